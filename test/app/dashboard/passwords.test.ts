import { expect, test } from "vitest";
import { ARGON2ID, generatePassword, hashPassword, needsRehash, verifyPassword } from "../../../src/auth/passwords.ts";

test("a password hashes to an argon2id string naming its parameters, and verifies", async () => {
  const stored = await hashPassword("correct horse battery staple");
  expect(stored).toMatch(
    new RegExp(`^\\$argon2id\\$v=19\\$m=${ARGON2ID.m},t=${ARGON2ID.t},p=${ARGON2ID.p}\\$[\\w+/]{22}\\$[\\w+/]{43}$`),
  );
  expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
  expect(needsRehash(stored)).toBe(false);
});

test("a wrong password, or a tampered hash, does not verify", async () => {
  const stored = await hashPassword("correct horse battery staple");
  expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
  expect(await verifyPassword("", stored)).toBe(false);
  const at = stored.length - 10;
  const tampered = stored.slice(0, at) + (stored[at] === "A" ? "B" : "A") + stored.slice(at + 1);
  expect(await verifyPassword("correct horse battery staple", tampered)).toBe(false);
  expect(await verifyPassword("correct horse battery staple", "plaintext")).toBe(false);
});

test("two hashes of the same password differ (random salt)", async () => {
  const [a, b] = await Promise.all([hashPassword("same password!"), hashPassword("same password!")]);
  expect(a).not.toBe(b);
  expect(await verifyPassword("same password!", a)).toBe(true);
  expect(await verifyPassword("same password!", b)).toBe(true);
});

test("a hash made with weaker parameters verifies and asks to be redone", async () => {
  const weak = (await hashPassword("x".repeat(12))).replace(`m=${ARGON2ID.m}`, "m=1024");
  expect(needsRehash(weak)).toBe(true);
});

test("one hash takes tens of milliseconds, not microseconds (memory-hard, tuned for ~50–150 ms)", async () => {
  const started = performance.now();
  await hashPassword("timing check password");
  expect(performance.now() - started).toBeGreaterThan(20);
});

test("generated passwords are long and from an unambiguous alphabet", () => {
  const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
  expect(passwords.size).toBe(50);
  for (const p of passwords) expect(p).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{20}$/);
});
