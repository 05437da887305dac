import { Hono } from "hono";
import type { ApiKeyStore } from "../auth/api-keys.ts";
import { apiKeyActor, audit } from "../auth/audit.ts";
import type { AuthVariables } from "../auth/middleware.ts";
import { requireScope } from "../auth/middleware.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { isTransientDatabaseError, unavailable } from "../http/database-errors.ts";
import { renderDocsPage } from "../http/docs-page.ts";
import { AppError, validationFailed } from "../http/errors.ts";
import { readJsonBody } from "../http/json-body.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import { type ErasableStore, eraseCustomer } from "../privacy/erase.ts";
import { exportCustomer } from "../privacy/export.ts";
import { arrivalEvents } from "../recovery/signal-issues.ts";
import { eventsOpenApiDocument } from "./api-description.ts";
import { customerView, disruptionHistory, upsertCustomer } from "./customers.ts";
import { eventOutcome } from "./event-outcome.ts";
import { type IncomingEvent, ingestEvents } from "./ingest.ts";
import { CustomerId, CustomerInput, createEventSchemas, EventId, formatIssues } from "./schemas.ts";

export interface EventsApiDeps {
  prisma: PrismaClient;
  inngest: MakegoodInngest;
  apiKeys: ApiKeyStore;
  now: () => Date;
  /** The embedded engine's run history, erased with the customer (Node; on Workers the engine is elsewhere). */
  engineStore?: ErasableStore;
}

/** A customer is a few hundred bytes; 64 KiB is generous and keeps PUTs cheap. */
const MAX_CUSTOMER_BODY_BYTES = 64 * 1024;

function customerIdFrom(param: string | undefined): string {
  const result = CustomerId.safeParse(param);
  if (!result.success)
    throw validationFailed("the customer id", formatIssues(result.error, { prefix: ["customerId"] }));
  return result.data;
}

/** Bookings, orders or deliverables held for this customer are released by the engine (a repeat is dropped there). */
async function releaseHeldFor(deps: EventsApiDeps, customerId: string): Promise<void> {
  const arrivals = await arrivalEvents(deps.prisma, [customerId], deps.now());
  if (arrivals.length === 0) return;
  await deps.inngest.send(arrivals).catch(() => {
    throw unavailable("the customer was stored but the recovery engine is unreachable; retry the same request");
  });
}

/**
 * `/api/events`, `/api/customers/{id}` and the API's documentation (API.md).
 * Mounted at `/api` by createApp. Every route needs an API key with its scope,
 * except the two documentation routes.
 */
export function eventsRoutes(deps: EventsApiDeps): Hono<{ Variables: AuthVariables }> {
  const app = new Hono<{ Variables: AuthVariables }>();
  const schemas = createEventSchemas({ now: deps.now });

  app.post("/events", requireScope(deps.apiKeys, "events:write"), async (c) => {
    const body = await readJsonBody(c.req.raw);
    const parsed = schemas.parseEventsBody(body);
    if (!parsed.ok) throw validationFailed("the request", parsed.issues);
    const raws: unknown[] = parsed.batch ? (body as { events: unknown[] }).events : [body];
    const incoming: IncomingEvent[] = parsed.events.map((event, i) => ({
      event,
      raw: raws[i],
      at: parsed.batch ? `events[${i}]` : "",
    }));
    return c.json(await ingestEvents(deps, incoming), 202);
  });

  app.get("/events/:eventId", requireScope(deps.apiKeys, "read"), async (c) => {
    const parsed = EventId.safeParse(c.req.param("eventId"));
    if (!parsed.success) throw validationFailed("the event id", formatIssues(parsed.error, { prefix: ["eventId"] }));
    const view = await eventOutcome(deps.prisma, parsed.data, deps.now());
    if (!view) throw new AppError("not_found", "no event accepted with this id");
    return c.json(view);
  });

  app.put("/customers/:customerId", requireScope(deps.apiKeys, "customers:write"), async (c) => {
    const id = customerIdFrom(c.req.param("customerId"));
    const result = CustomerInput.safeParse(await readJsonBody(c.req.raw, { maxBytes: MAX_CUSTOMER_BODY_BYTES }));
    if (!result.success) throw validationFailed("the customer", formatIssues(result.error));
    const stored = await upsertCustomer(deps.prisma, id, result.data).catch((error: unknown) => {
      throw isTransientDatabaseError(error) ? unavailable("the customer could not be stored right now; retry") : error;
    });
    await releaseHeldFor(deps, id);
    return c.json(customerView(stored), 200);
  });

  app.get("/customers/:customerId", requireScope(deps.apiKeys, "read"), async (c) => {
    const id = customerIdFrom(c.req.param("customerId"));
    const row = await deps.prisma.customer.findUnique({ where: { id } });
    if (!row) throw new AppError("not_found", "no customer with this id");
    return c.json({ ...customerView(row), disruptions: await disruptionHistory(deps.prisma, id) });
  });

  // Erasure: personal data goes, the anonymised facts stay (src/privacy/erase.ts). Erasing again answers the same.
  app.delete("/customers/:customerId", requireScope(deps.apiKeys, "admin"), async (c) => {
    const id = customerIdFrom(c.req.param("customerId"));
    const report = await eraseCustomer(deps.prisma, id, deps.now(), { engine: deps.engineStore });
    if (!report) throw new AppError("not_found", "no customer with this id");
    await audit(
      deps.prisma,
      apiKeyActor(c.get("apiKey")),
      "customer.erase",
      id,
      { alreadyErased: report.alreadyErased, changed: report.changed },
      deps.now(),
    );
    return c.json(report, 200);
  });

  app.get("/customers/:customerId/export", requireScope(deps.apiKeys, "admin"), async (c) => {
    const id = customerIdFrom(c.req.param("customerId"));
    const data = await exportCustomer(deps.prisma, id, deps.now());
    if (!data) throw new AppError("not_found", "no customer with this id");
    await audit(deps.prisma, apiKeyActor(c.get("apiKey")), "customer.export", id, undefined, deps.now());
    c.header("content-disposition", `attachment; filename="customer-${encodeURIComponent(id)}.json"`);
    return c.json(data);
  });

  app.get("/openapi.json", (c) => c.json(eventsOpenApiDocument()));
  app.get("/docs", (c) => c.html(renderDocsPage(eventsOpenApiDocument())));

  return app;
}
