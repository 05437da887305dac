/** Bench customers who can be told at once on both channels, and what the fakes say they received. */
import type { FakeResend } from "../../test/fakes/fake-resend.ts";
import type { FakeTwilio } from "../../test/fakes/fake-twilio.ts";
import type { ServerProcess } from "./server-process.ts";

function localHour(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" }).format(at);
  return Number(hour);
}

/**
 * A time zone where it is daytime now, so SMS is inside the quiet-hours window (08:00–21:00 local)
 * for the whole bench and goes out at once, beside the email: a well-known zone between 09:00 and
 * 18:00 if there is one, else the canonical zone closest to 13:00.
 */
export function daytimeZone(now = new Date()): string {
  const known = ["Europe/London", "Europe/Paris", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"];
  const daytime = known.find((zone) => localHour(now, zone) >= 9 && localHour(now, zone) <= 18);
  if (daytime) return daytime;
  const score = (zone: string) => Math.abs(localHour(now, zone) - 13);
  let best = known[0] as string;
  for (const zone of Intl.supportedValuesOf("timeZone")) if (score(zone) < score(best)) best = zone;
  return best;
}

export interface BenchCustomer {
  id: string;
  email: string;
  phone: string;
}

let phones = 0;

/** `n` customers of a group: unique ids and addresses, and UK mobile numbers unique in this process. */
export function benchCustomers(group: string, n: number): BenchCustomer[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${group}-${i}`,
    email: `${group}-${i}@example.com`,
    phone: `+447911${String(phones++).padStart(6, "0")}`,
  }));
}

/** The PUT /api/customers body: consent to both channels, both preferred, in a daytime zone. */
export function customerBody(c: BenchCustomer, timeZone: string) {
  return {
    name: `Bench Passenger ${c.id}`,
    email: c.email,
    phone: c.phone,
    locale: "en-GB",
    timeZone,
    tier: "standard",
    preferredChannel: "both",
    consent: { email: true, sms: true },
  };
}

/** Create (or replace) the customers through the public API, 25 requests at a time. */
export async function putCustomers(server: ServerProcess, customers: BenchCustomer[], timeZone: string) {
  for (let i = 0; i < customers.length; i += 25) {
    await Promise.all(
      customers.slice(i, i + 25).map((c) => server.request("PUT", `/api/customers/${c.id}`, customerBody(c, timeZone))),
    );
  }
}

/** What each recipient received on one channel: when the first message was accepted, and how many. */
export interface Received {
  first: Map<string, number>;
  count: Map<string, number>;
}

function tally(items: Iterable<[string, number]>): Received {
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  for (const [to, at] of items) {
    if (!first.has(to)) first.set(to, at);
    count.set(to, (count.get(to) ?? 0) + 1);
  }
  return { first, count };
}

export function emailsReceived(resend: FakeResend): Received {
  return tally(resend.deliveries.flatMap((d) => d.to.map((to): [string, number] => [to, d.receivedAt])));
}

export function smsReceived(twilio: FakeTwilio): Received {
  return tally(twilio.deliveries.map((d): [string, number] => [d.to, d.receivedAt]));
}

/** Recipients who got more than one message on the channel (the benches expect exactly one: the apology). */
export function duplicates(received: Received): number {
  let n = 0;
  for (const c of received.count.values()) if (c > 1) n++;
  return n;
}

/** Per customer, ms from its event's 202 to the first email, the first SMS, and the first of either (Infinity: none yet). */
export function timesToNotify(
  customers: readonly BenchCustomer[],
  acceptedAt: (i: number) => number,
  resend: FakeResend,
  twilio: FakeTwilio,
) {
  const mail = emailsReceived(resend);
  const sms = smsReceived(twilio);
  // Not reached, or its event never got its 202 within the cap: Infinity, so percentiles stay honest.
  const since = (i: number, at: number | undefined) =>
    at === undefined || !Number.isFinite(acceptedAt(i)) ? Number.POSITIVE_INFINITY : at - acceptedAt(i);
  const email = customers.map((c, i) => since(i, mail.first.get(c.email)));
  const text = customers.map((c, i) => since(i, sms.first.get(c.phone)));
  const told = email.map((e, i) => Math.min(e, text[i] as number));
  return { email, sms: text, told, duplicates: { email: duplicates(mail), sms: duplicates(sms) } };
}

export const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);
export const reached = (values: readonly number[]) => values.filter(Number.isFinite).length;
