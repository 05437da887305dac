import { describe, expect, test } from "vitest";
import { backoffMs, retryAfterMs } from "../../src/engine/backoff.ts";
import { evaluateKey, matches, waitIndex } from "../../src/engine/cel.ts";
import { parseDuration, wakeTime } from "../../src/engine/duration.ts";
import { seededIds } from "../../src/engine/ids.ts";
import { canonicalJson, hashedSigningKey, signBody, verifySignature } from "../../src/engine/signing.ts";

describe("durations", () => {
  test("Inngest time strings add up, compound ones included", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration("1w")).toBe(604_800_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration(1500)).toBe(1500);
  });
  test("nonsense is refused rather than read as zero", () => {
    expect(() => parseDuration("soon")).toThrow(/invalid duration/);
    expect(() => parseDuration("5 minutes")).toThrow(/invalid duration/);
  });
  test("a sleep target is a duration from now or an absolute date", () => {
    expect(wakeTime("1m", 1000)).toBe(61_000);
    expect(wakeTime("2026-01-01T00:00:00.000Z", 0)).toBe(Date.parse("2026-01-01T00:00:00Z"));
  });
});

describe("retry timing", () => {
  test("backoff follows Inngest's schedule with bounded jitter, capped at 2 h", () => {
    expect(backoffMs(0, () => 0)).toBe(15_000);
    expect(backoffMs(1, () => 0)).toBe(30_000);
    expect(backoffMs(4, () => 0)).toBe(300_000);
    expect(backoffMs(50, () => 0)).toBe(7_200_000);
    expect(backoffMs(0, () => 0.999)).toBeLessThan(16_500);
  });
  test("Retry-After as seconds or a date, clamped to 1 s – 24 h", () => {
    expect(retryAfterMs("90", 0)).toBe(90_000);
    expect(retryAfterMs("0", 0)).toBe(1000);
    expect(retryAfterMs("999999", 0)).toBe(86_400_000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});

describe("CEL", () => {
  test("match expressions compare the trigger event with the candidate", () => {
    const expr = "event.data.orderId == async.data.orderId";
    expect(matches(expr, { event: { data: { orderId: "o1" } }, async: { data: { orderId: "o1" } } })).toBe(true);
    expect(matches(expr, { event: { data: { orderId: "o1" } }, async: { data: { orderId: "o2" } } })).toBe(false);
  });
  test("a missing field is no match, not an exception", () => {
    expect(matches("async.data.x == 1", { event: {}, async: { data: {} } })).toBe(false);
  });
  test("a wait on `match` is indexed by the candidate's path and the trigger's value", () => {
    expect(waitIndex("event.data.orderId == async.data.orderId", { data: { orderId: "o-7" } })).toEqual({
      path: "data.orderId",
      value: '"o-7"',
    });
    expect(waitIndex("async.data.n == 3 && async.data.kind == 'x'", {})).toEqual({ path: "data.n", value: "3" });
    expect(waitIndex("async.data.n > 3", {})).toBeUndefined();
    expect(waitIndex("async.data.a == 1 || async.data.b == 2", {})).toBeUndefined();
  });
  test("keys evaluate to strings", () => {
    expect(evaluateKey("event.data.customer", { event: { data: { customer: "c1" } } })).toBe("c1");
    expect(evaluateKey("event.data.n", { event: { data: { n: 4 } } })).toBe("4");
    expect(evaluateKey("event.data.missing", { event: { data: {} } })).toBeUndefined();
  });
});

describe("signing", () => {
  const key = `signkey-prod-${"ab".repeat(32)}`;
  test("the sync credential is the SHA-256 of the key's bytes, as the SDK sends it", () => {
    // Value captured from inngest@4.24.0's register request for this key.
    expect(hashedSigningKey(key)).toBe("signkey-prod-9a2db2e23f1504cd056606553ac049c5e718e8f9ce9233876df1a7a1821af885");
  });
  test("canonical JSON sorts keys and is what gets signed", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
    const body = canonicalJson({ x: 1 });
    const now = Date.now();
    expect(verifySignature(body, signBody(body, key, now), key, now)).toBe(true);
    expect(verifySignature(`${body} `, signBody(body, key, now), key, now)).toBe(false);
    expect(verifySignature(body, signBody(body, key, now - 6 * 60_000), key, now)).toBe(false);
  });
  test("ids seeded by the SDK are stable across a retried send, distinct within it", () => {
    const seed = "1764000000000,AAECAwQFBgcICQ==";
    const a = seededIds(seed, 3) as string[];
    expect(seededIds(seed, 3)).toEqual(a);
    expect(new Set(a).size).toBe(3);
    expect(seededIds("1764000000000,other", 3)).not.toEqual(a);
    expect(seededIds(undefined, 3)).toBeUndefined();
  });
});
