/**
 * API keys for ops systems: `mg_<prefix>_<secret>`. The prefix identifies the key
 * (safe to show and log); only a SHA-256 hash of the whole key is stored — the key
 * is random, 192 bits, so a fast hash is right here (passwords need a slow one).
 * Pure JS hashing (@noble/hashes) and Web Crypto's random values, so this runs on Workers too.
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { sha256Hex } from "../hash.ts";

/** `admin`: erase a customer's personal data and export it (DELETE /api/customers/{id}, …/export). */
export const SCOPES = ["events:write", "customers:write", "read", "approve", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export interface StoredApiKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: Scope[];
  revokedAt: Date | null;
}

export interface ApiKeyStore {
  insert(key: Omit<StoredApiKey, "revokedAt">): Promise<void>;
  findByPrefix(prefix: string): Promise<StoredApiKey | undefined>;
  touch(id: string, at: Date): Promise<void>;
}

const KEY_PATTERN = /^mg_([0-9a-f]{12})_([0-9a-f]{48})$/;

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

function randomHex(bytes: number): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Creates a key; the returned `secret` is the only time the full key exists outside the caller. */
export async function createApiKey(
  store: ApiKeyStore,
  name: string,
  scopes: Scope[],
): Promise<{ id: string; prefix: string; secret: string }> {
  if (!name.trim()) throw new Error("a key needs a name");
  if (scopes.length === 0) throw new Error("a key needs at least one scope");
  const prefix = randomHex(6);
  const secret = `mg_${prefix}_${randomHex(24)}`;
  const id = `key_${randomHex(8)}`;
  await store.insert({ id, name: name.trim(), prefix, hash: sha256Hex(secret), scopes });
  return { id, prefix, secret };
}

export type KeyCheck =
  | { ok: true; key: StoredApiKey }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "revoked" };

/** Checks a presented key. Constant-time on the hash; a malformed key never reaches the store. */
export async function verifyApiKey(store: ApiKeyStore, presented: string | undefined): Promise<KeyCheck> {
  if (!presented) return { ok: false, reason: "missing" };
  const match = KEY_PATTERN.exec(presented);
  if (!match) return { ok: false, reason: "malformed" };
  const key = await store.findByPrefix(match[1] as string);
  const hash = sha256Hex(presented);
  if (!key || !constantTimeEqual(key.hash, hash)) return { ok: false, reason: "unknown" };
  if (key.revokedAt) return { ok: false, reason: "revoked" };
  return { ok: true, key };
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
