import { z } from "zod";

/**
 * A small OpenAPI 3.1 builder. Paths and operation metadata are written by
 * hand next to the routes; every schema in the document is GENERATED from the
 * zod schemas the routes validate with (`z.toJSONSchema`, input side), so the
 * document cannot describe a body the server would not accept.
 */

export type JsonSchema = Record<string, unknown>;
export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

export interface ApiResponse {
  description: string;
  /** A component schema name, e.g. "Error". */
  schema?: string;
  contentType?: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface ApiParameter {
  name: string;
  in: "path" | "query";
  description: string;
  schema: z.ZodType;
  required?: boolean;
}

export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI form: `/api/customers/{customerId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** The API key scope the operation needs; absent means public (no key). */
  scope?: string;
  parameters?: ApiParameter[];
  /** JSON request body: the component schema names it accepts (more than one → oneOf). */
  requestBody?: { schemas: string[]; description?: string };
  responses: Record<string, ApiResponse>;
}

export interface ApiDescription {
  title: string;
  version: string;
  description: string;
  /** Named zod schemas, emitted under components.schemas. */
  schemas: Record<string, z.ZodType>;
  operations: ApiOperation[];
  securityScheme: { name: string; description: string };
}

type ZodDef = { type: string; in?: { _zod: { def: { type: string } } }; out?: z.ZodType };
const defOf = (schema: unknown): ZodDef => (schema as { _zod: { def: ZodDef } })._zod.def;

/**
 * `z.unknown().superRefine(...).pipe(real)` (a guard run before the real
 * schema, e.g. rejecting `__proto__` keys) has `unknown` as its input side,
 * which would document as `{}`. The guard accepts exactly what `real`
 * accepts, so document `real`.
 */
const isGuardPipe = (schema: unknown): boolean => {
  const def = defOf(schema);
  return def.type === "pipe" && def.in?._zod.def.type === "unknown" && def.out !== undefined;
};

/** The JSON Schema a client should send for `schema`. */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if (isGuardPipe(ctx.zodSchema) && !("$ref" in ctx.jsonSchema)) {
        Object.assign(ctx.jsonSchema, toJsonSchema(defOf(ctx.zodSchema).out as z.ZodType));
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  delete json.$id;
  return json;
}

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const jsonContent = (names: string[], contentType = "application/json") => ({
  [contentType]: { schema: names.length === 1 ? schemaRef(names[0] as string) : { oneOf: names.map(schemaRef) } },
});

function operationObject(op: ApiOperation, securityName: string) {
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.tags ? { tags: op.tags } : {}),
    // OpenAPI 3.1: for non-OAuth schemes the array lists the roles (here: the key scope) required.
    security: op.scope ? [{ [securityName]: [op.scope] }] : [],
    ...(op.scope ? { "x-required-scope": op.scope } : {}),
    ...(op.parameters?.length
      ? {
          parameters: op.parameters.map((p) => ({
            name: p.name,
            in: p.in,
            required: p.in === "path" ? true : (p.required ?? false),
            description: p.description,
            schema: toJsonSchema(p.schema),
          })),
        }
      : {}),
    ...(op.requestBody
      ? {
          requestBody: {
            required: true,
            ...(op.requestBody.description ? { description: op.requestBody.description } : {}),
            content: jsonContent(op.requestBody.schemas),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.schema
            ? { content: jsonContent([r.schema], r.contentType) }
            : r.contentType
              ? { content: { [r.contentType]: {} } }
              : {}),
        },
      ]),
    ),
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

export function buildOpenApiDocument(api: ApiDescription) {
  const paths: Record<string, Record<string, ReturnType<typeof operationObject>>> = {};
  for (const op of api.operations) {
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, ReturnType<typeof operationObject>>)[op.method] = operationObject(
      op,
      api.securityScheme.name,
    );
  }
  return {
    openapi: "3.1.0" as const,
    info: { title: api.title, version: api.version, description: api.description },
    security: [{ [api.securityScheme.name]: [] }],
    paths,
    components: {
      securitySchemes: {
        [api.securityScheme.name]: {
          type: "http" as const,
          scheme: "bearer",
          description: api.securityScheme.description,
        },
      },
      schemas: Object.fromEntries(Object.entries(api.schemas).map(([name, s]) => [name, toJsonSchema(s)])),
    },
  };
}
