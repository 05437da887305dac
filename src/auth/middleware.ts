import type { MiddlewareHandler } from "hono";
import { AppError } from "../http/errors.ts";
import { type ApiKeyStore, type Scope, type StoredApiKey, verifyApiKey } from "./api-keys.ts";

export type AuthVariables = { apiKey: StoredApiKey };

const MESSAGES = {
  missing: "send an API key as `Authorization: Bearer <key>`",
  malformed: "the API key is not in the form mg_<prefix>_<secret>",
  unknown: "the API key is not valid",
  revoked: "the API key was revoked",
} as const;

/** Authenticates `Authorization: Bearer <api key>` and requires `scope`; nothing passes without both. */
export function requireScope(store: ApiKeyStore, scope: Scope): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const presented = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
    const check = await verifyApiKey(store, presented);
    if (!check.ok)
      throw new AppError("unauthenticated", MESSAGES[check.reason], undefined, { "www-authenticate": "Bearer" });
    if (!check.key.scopes.includes(scope)) {
      throw new AppError("forbidden", `this key lacks the "${scope}" scope (it has: ${check.key.scopes.join(", ")})`);
    }
    c.set("apiKey", check.key);
    await next();
  };
}
