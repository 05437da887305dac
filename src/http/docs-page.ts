import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * The human-readable API docs: one HTML page rendered from the OpenAPI
 * document. Every value goes through hono/html's escaping (`html` escapes
 * each interpolation), so nothing in the document can become markup.
 */

type Json = Record<string, unknown>;

interface DocOperation {
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { description?: string }>;
}

export interface DocsSource {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, DocOperation>>;
  components?: { schemas?: Record<string, Json>; securitySchemes?: Record<string, { description?: string }> };
}

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const REF_PREFIX = "#/components/schemas/";

/** A request schema for display: `$ref`s to components are replaced by the component, one level deep. */
function resolve(schema: Json | undefined, doc: DocsSource): Json[] {
  if (!schema) return [];
  const deref = (s: Json): Json => {
    const ref = typeof s.$ref === "string" && s.$ref.startsWith(REF_PREFIX) ? s.$ref.slice(REF_PREFIX.length) : null;
    return ref ? { title: ref, ...(doc.components?.schemas?.[ref] ?? {}) } : s;
  };
  return Array.isArray(schema.oneOf) ? (schema.oneOf as Json[]).map(deref) : [deref(schema)];
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function scopesOf(op: DocOperation): string[] {
  return (op.security ?? []).flatMap((requirement) => Object.values(requirement).flat());
}

function operation(path: string, method: string, op: DocOperation, doc: DocsSource): Html {
  const scopes = scopesOf(op);
  const isPublic = (op.security ?? []).length === 0;
  const bodies = resolve(op.requestBody?.content?.["application/json"]?.schema, doc);
  return html`<section class="op">
  <h3><span class="method">${method.toUpperCase()}</span> <code>${path}</code></h3>
  <p>${op.summary ?? ""}</p>
  ${op.description ? html`<p class="desc">${op.description}</p>` : ""}
  <p class="auth">${
    isPublic ? "Public: no API key." : html`API key with scope <code>${scopes.join(", ") || "any"}</code>.`
  }</p>
  ${
    op.parameters?.length
      ? html`<h4>Parameters</h4><ul>${op.parameters.map(
          (p) => html`<li><code>${p.name}</code> (${p.in}) ${p.description ?? ""}</li>`,
        )}</ul>`
      : ""
  }
  ${bodies.map(
    (schema) =>
      html`<h4>Request body${typeof schema.title === "string" ? html`: ${schema.title}` : ""}</h4><pre>${pretty(schema)}</pre>`,
  )}
  <h4>Responses</h4>
  <ul>${Object.entries(op.responses ?? {}).map(
    ([status, r]) => html`<li><code>${status}</code> ${r.description ?? ""}</li>`,
  )}</ul>
</section>`;
}

export function renderDocsPage(doc: DocsSource): Html {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => operation(path, method, op, doc)),
  );
  const auth = Object.values(doc.components?.securitySchemes ?? {})
    .map((s) => s.description ?? "")
    .join(" ");
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} ${doc.info.version}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
pre { background: #f5f5f5; padding: 1rem; overflow: auto; max-height: 30rem; font-size: 0.85rem; }
.method { font-family: monospace; background: #222; color: #fff; padding: 0.1rem 0.4rem; border-radius: 0.2rem; }
.op { border-top: 1px solid #ddd; padding-top: 1rem; }
.desc { white-space: pre-line; }
</style>
</head>
<body>
<h1>${doc.info.title} <small>${doc.info.version}</small></h1>
<p class="desc">${doc.info.description ?? ""}</p>
<h2>Authentication</h2>
<p>Send <code>Authorization: Bearer &lt;api key&gt;</code>. ${auth}</p>
<p>The machine-readable document: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<h2>Operations</h2>
${operations}
</body>
</html>`;
}
