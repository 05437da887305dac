import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { verifyResendWebhook, verifyTwilioWebhook } from "../../../src/messaging/webhooks.ts";

// Signatures are computed here with node:crypto, independently of the code under test.
const secretBytes = Buffer.from("makegood-test-webhook-secret-32b");
const secret = `whsec_${secretBytes.toString("base64")}`;
const body = JSON.stringify({ type: "email.delivered", data: { email_id: "4ef9a417" } });
const now = () => Math.floor(Date.now() / 1000);

function svixHeaders(opts: { id?: string; ts?: number; payload?: string; key?: Buffer } = {}) {
  const id = opts.id ?? "msg_2abc";
  const ts = String(opts.ts ?? now());
  const mac = createHmac("sha256", opts.key ?? secretBytes)
    .update(`${id}.${ts}.${opts.payload ?? body}`)
    .digest("base64");
  return { "svix-id": id, "svix-timestamp": ts, "svix-signature": `v1,${mac}` };
}

describe("Resend (Svix) webhook signatures", () => {
  test("a correctly signed delivery is accepted and keeps its id for de-duplication", async () => {
    const check = await verifyResendWebhook({ secret, body, headers: new Headers(svixHeaders({ id: "msg_42" })) });
    expect(check).toMatchObject({ ok: true, id: "msg_42" });
  });

  test("a rotated secret's second signature in the header is accepted", async () => {
    const headers = svixHeaders();
    headers["svix-signature"] = `v1,AAAAbogus= ${headers["svix-signature"]}`;
    expect((await verifyResendWebhook({ secret, body, headers })).ok).toBe(true);
  });

  test("a tampered body is rejected", async () => {
    const check = await verifyResendWebhook({
      secret,
      body: body.replace("delivered", "bounced"),
      headers: svixHeaders(),
    });
    expect(check).toEqual({ ok: false, reason: "bad_signature" });
  });

  test("a stale or future timestamp is rejected even with a valid signature", async () => {
    const old = svixHeaders({ ts: now() - 6 * 60 });
    expect(await verifyResendWebhook({ secret, body, headers: old })).toEqual({ ok: false, reason: "stale_timestamp" });
    const future = svixHeaders({ ts: now() + 6 * 60 });
    expect(await verifyResendWebhook({ secret, body, headers: future })).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
  });

  test("missing headers are rejected", async () => {
    const { "svix-signature": _dropped, ...rest } = svixHeaders();
    expect(await verifyResendWebhook({ secret, body, headers: rest })).toEqual({
      ok: false,
      reason: "missing_headers",
    });
    expect(await verifyResendWebhook({ secret, body, headers: {} })).toEqual({ ok: false, reason: "missing_headers" });
  });

  test("a signature made with another secret is rejected", async () => {
    const headers = svixHeaders({ key: Buffer.from("someone-else-s-secret-entirely!!") });
    expect(await verifyResendWebhook({ secret, body, headers })).toEqual({ ok: false, reason: "bad_signature" });
  });

  test("a non-numeric timestamp is malformed", async () => {
    const headers = { ...svixHeaders(), "svix-timestamp": "yesterday" };
    expect(await verifyResendWebhook({ secret, body, headers })).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("Twilio webhook signatures", () => {
  // The example from Twilio's documentation.
  const authToken = "12345";
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = {
    CallSid: "CA1234567890ABCDE",
    Caller: "+14158675309",
    Digits: "1234",
    From: "+14158675309",
    To: "+18005551212",
  };
  const headers = { "X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8=" };

  test("Twilio's documented example verifies, from an object or from a parsed form body", async () => {
    expect(await verifyTwilioWebhook({ authToken, url, params, headers })).toEqual({ ok: true });
    const form = new URLSearchParams(Object.entries(params).reverse());
    expect(await verifyTwilioWebhook({ authToken, url, params: form, headers: new Headers(headers) })).toEqual({
      ok: true,
    });
  });

  test("the URL with an explicit default port still matches", async () => {
    const withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    expect(await verifyTwilioWebhook({ authToken, url: withPort, params, headers })).toEqual({ ok: true });
  });

  test("a tampered parameter, another URL, a wrong token or a missing header is rejected", async () => {
    const bad = { ok: false, reason: "bad_signature" };
    expect(await verifyTwilioWebhook({ authToken, url, params: { ...params, Digits: "9999" }, headers })).toEqual(bad);
    expect(await verifyTwilioWebhook({ authToken, url: `${url}&x=1`, params, headers })).toEqual(bad);
    expect(await verifyTwilioWebhook({ authToken: "54321", url, params, headers })).toEqual(bad);
    expect(await verifyTwilioWebhook({ authToken, url, params, headers: {} })).toEqual({
      ok: false,
      reason: "missing_headers",
    });
  });
});
