import { afterAll, beforeAll, expect, test } from "vitest";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { eventsRoutes } from "../../../src/events/routes.ts";
import { renderDocsPage } from "../../../src/http/docs-page.ts";
import type { NodeRuntime } from "../../../src/node-runtime.ts";
import { recoveryRoutes } from "../../../src/recovery/api.ts";
import { replayRoutes } from "../../../src/replay/api.ts";
import { call, startRuntime } from "./harness.ts";

let runtime: NodeRuntime;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ runtime, stop } = await startRuntime());
});
afterAll(() => stop());

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { security: Record<string, string[]>[]; requestBody?: unknown }>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
}

const fetchDoc = async () => {
  const response = await call(runtime, "GET", "/api/openapi.json");
  expect(response.status).toBe(200);
  return (await response.json()) as Doc;
};

/** `/customers/:customerId` (Hono, under /api) → `/api/customers/{customerId}` (OpenAPI). */
const toOpenApiPath = (honoPath: string) => `/api${honoPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`;

test("the document is public OpenAPI 3.1 with the bearer scheme and the error body", async () => {
  const doc = await fetchDoc();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.components.securitySchemes).toEqual({
    apiKey: expect.objectContaining({ type: "http", scheme: "bearer" }),
  });
  expect(doc.components.schemas.Error).toMatchObject({
    properties: { error: { required: expect.arrayContaining(["code", "message", "requestId"]) } },
  });
});

test("request schemas are generated from the zod schemas the routes validate with", async () => {
  const { components } = await fetchDoc();
  const event = components.schemas.Event as { oneOf: { properties: { type: { const: string } } }[] };
  expect(event.oneOf.map((m) => m.properties.type.const)).toContain("flight.status_changed");
  expect(components.schemas.EventBatch).toMatchObject({ properties: { events: { type: "array", maxItems: 500 } } });
  expect(components.schemas.CustomerInput).toMatchObject({
    type: "object",
    additionalProperties: false,
    properties: { tier: { enum: ["standard", "valued", "vip"] } },
  });
  // The embedded customer is documented, not an empty schema.
  const eta = event.oneOf.find((m) => m.properties.type.const === "shipment.eta_updated") as unknown as {
    properties: { customer: { properties: Record<string, unknown> } };
  };
  expect(Object.keys(eta.properties.customer.properties)).toContain("consent");
});

test("every operation in the document is a real route: protected ones answer 401 without a key, public ones 200", async () => {
  const doc = await fetchDoc();
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  expect(operations.length).toBeGreaterThanOrEqual(5);
  for (const { path, method, op } of operations) {
    const url = path.replace(/\{[^}]+\}/g, "some-id");
    const response = await call(runtime, method.toUpperCase(), url, op.requestBody ? {} : undefined);
    expect({ method, path, status: response.status }).toEqual({
      method,
      path,
      status: op.security.length > 0 ? 401 : 200,
    });
  }
});

test("every route of eventsRoutes and recoveryRoutes is in the document", async () => {
  const doc = await fetchDoc();
  const deps = {
    prisma: runtime.prisma,
    inngest: runtime.inngest,
    apiKeys: prismaApiKeyStore(runtime.prisma),
    now: () => new Date(),
  };
  const routes = [...eventsRoutes(deps).routes, ...recoveryRoutes(deps).routes, ...replayRoutes(deps).routes].filter(
    (r) => r.method !== "ALL",
  );
  expect(routes.length).toBeGreaterThanOrEqual(5);
  for (const route of routes) {
    expect(Object.keys(doc.paths[toOpenApiPath(route.path)] ?? {}), `${route.method} ${route.path}`).toContain(
      route.method.toLowerCase(),
    );
  }
});

test("the docs page is public HTML listing every operation and the auth scheme", async () => {
  const response = await call(runtime, "GET", "/api/docs");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  const page = await response.text();
  for (const path of Object.keys((await fetchDoc()).paths)) expect(page).toContain(path);
  expect(page).toContain("Authorization: Bearer");
  expect(page).toContain("events:write");
  expect(page).toContain("&quot;shipment.eta_updated&quot;");
});

test("the docs page escapes everything it renders", async () => {
  const hostile = '<script>alert("x")</script>';
  const page = await renderDocsPage({
    info: { title: hostile, version: "1", description: `<img src=x onerror=alert(1)>` },
    paths: {
      [`/api/${hostile}`]: {
        get: {
          summary: hostile,
          description: hostile,
          security: [{ apiKey: [hostile] }],
          parameters: [{ name: hostile, in: "path", description: hostile }],
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/X" } } } },
          responses: { "200": { description: hostile } },
        },
      },
    },
    components: { schemas: { X: { description: hostile } }, securitySchemes: { apiKey: { description: hostile } } },
  });
  expect(page.toString()).not.toContain("<script>");
  expect(page.toString()).not.toContain("<img");
  expect(page.toString()).toContain("&lt;script&gt;");
});
