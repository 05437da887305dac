/**
 * Password hashing for dashboard accounts: Argon2id (RFC 9106), memory-hard, in
 * pure JS (@noble/hashes) so it runs the same on Node and Workers.
 *
 * Parameters: m = 8 MiB, t = 1 pass, p = 1 lane, 16-byte random salt, 32-byte tag.
 * One hash takes ~60–130 ms here (measured on the dev machine, idle to loaded).
 * That is below OWASP's native-code figure (19 MiB × 2) because pure JS is ~10×
 * slower than native Argon2; the stored string carries its parameters, so raising
 * them later only needs `needsRehash` at the next successful sign-in.
 * On Workers a hash costs the same CPU time: plan for a paid CPU limit.
 *
 * Stored as the PHC string `$argon2id$v=19$m=8192,t=1,p=1$<salt b64>$<hash b64>`.
 */
import { argon2idAsync } from "@noble/hashes/argon2.js";

export const ARGON2ID = { m: 8192, t: 1, p: 1, dkLen: 32, saltLen: 16 } as const;

/** Longer passwords are refused before hashing (a denial-of-service guard). */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 12;

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
const unb64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, m: number, t: number, p: number, dkLen: number) {
  return argon2idAsync(password.normalize("NFKC"), salt, { m, t, p, dkLen, maxmem: 2 ** 30 });
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new Error(`a password has at most ${MAX_PASSWORD_LENGTH} characters`);
  const { m, t, p, dkLen, saltLen } = ARGON2ID;
  const salt = crypto.getRandomValues(new Uint8Array(saltLen));
  const tag = await derive(password, salt, m, t, p, dkLen);
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(tag)}`;
}

/** True only when `password` produced `stored`. Compares in constant time; a malformed string is false. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored);
  if (!match || password.length > MAX_PASSWORD_LENGTH) return false;
  const [m, t, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const expected = unb64(match[5] as string);
  if (m < 8 * p || m > 2 ** 20 || t < 1 || t > 10 || p < 1 || expected.length < 16) return false;
  const actual = await derive(password, unb64(match[4] as string), m, t, p, expected.length);
  return constantTimeEqual(actual, expected);
}

/** Burns the same time as a real check, for unknown accounts (no user enumeration by timing). */
let dummy: Promise<string> | undefined;
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword("not a real password, only for timing");
  await verifyPassword(password, await dummy);
  return false;
}

/** A stored hash made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const match = PHC.exec(stored);
  return !match || Number(match[1]) < ARGON2ID.m || Number(match[2]) < ARGON2ID.t;
}

/** A random password for first accounts: 20 characters from an unambiguous alphabet (~110 bits). */
export function generatePassword(length = 20): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < 224 && out.length < length) out.push(alphabet[byte % 56] as string); // 224 = 4 × 56: no bias
    }
  }
  return out.join("");
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
