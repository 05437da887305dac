/**
 * The recoveries list's filters: read from the query string (a bad value is a 400 that names the
 * field), said back in plain words with a way to clear them, and built as links by the overview
 * (`recoveriesHref`) so each figure opens the recoveries behind it.
 *
 * `from` / `to` are a UTC day (`2026-11-03`; `to` takes the whole day) or an instant with its
 * offset (`2026-11-30T20:33:00.000Z`, what the overview links with at the edge of "now").
 * They date a disruption by its detection, except for the outcomes dated by a message or a grant
 * (OUTCOME_DATED_BY): then they date that message or grant, as the overview's figure counts it.
 */
import { DISRUPTION_KINDS } from "../detection/types.ts";
import type { ErrorDetail } from "../http/errors.ts";
import { validationFailed } from "../http/errors.ts";
import { type DisruptionFilters, OUTCOME_DATED_BY, OUTCOMES, type Outcome } from "../recovery/queries.ts";
import { formatTime } from "./time.tsx";
import { kindLabel, outcomeLabel, statusLabel } from "./words.ts";

export const STATUSES = ["open", "notified", "awaiting_approval", "resolved", "superseded", "closed"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY = 86_400_000;

export type Query = Record<string, string | undefined>;

function bound(value: string, end: boolean): Date | undefined {
  if (DATE.test(value)) {
    const d = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return undefined;
    return end ? new Date(d.getTime() + DAY - 1) : d;
  }
  if (!INSTANT.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The query string → filters; every bad value is named in one 400 (`validation_failed`). */
export function readFilters(q: Query): DisruptionFilters {
  const issues: ErrorDetail[] = [];
  const given = (name: string) => {
    const v = q[name]?.trim();
    return v ? v : undefined;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const v = given(name);
    if (v === undefined) return undefined;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    issues.push({ field: name, message: `must be one of: ${allowed.join(", ")}` });
    return undefined;
  };
  const time = (name: "from" | "to") => {
    const v = given(name);
    if (v === undefined) return undefined;
    const d = bound(v, name === "to");
    if (!d) issues.push({ field: name, message: "must be a day (2026-11-03) or a time with its offset" });
    return d;
  };
  const customer = given("customer");
  if (customer && customer.length > 200) issues.push({ field: "customer", message: "at most 200 characters" });
  const proactive = oneOf("proactive", ["yes", "no"]);
  const filters: DisruptionFilters = {
    customer,
    kind: oneOf("kind", DISRUPTION_KINDS),
    status: oneOf("status", STATUSES),
    from: time("from"),
    to: time("to"),
    complainedFirst: proactive === "yes" ? false : proactive === "no" ? true : undefined,
    needsApproval: oneOf("approval", ["pending"]) ? true : undefined,
    outcome: oneOf("outcome", OUTCOMES),
  };
  if (filters.from && filters.to && filters.to < filters.from) issues.push({ field: "to", message: "is before from" });
  if (issues.length) throw validationFailed("the recoveries filter", issues);
  return filters;
}

/** A bound as a link writes it: a plain day when it falls on the day's edge, else the instant. */
function boundParam(d: Date, end: boolean): string {
  const t = d.getTime() + (end ? 1 : 0);
  return t % DAY === 0 ? new Date(t - (end ? DAY : 0)).toISOString().slice(0, 10) : d.toISOString();
}

/** The recoveries list filtered to what a figure counts. */
export function recoveriesHref(f: { from?: Date; to?: Date; kind?: string; outcome?: Outcome }): string {
  const q = new URLSearchParams();
  if (f.outcome) q.set("outcome", f.outcome);
  if (f.kind) q.set("kind", f.kind);
  if (f.from) q.set("from", boundParam(f.from, false));
  if (f.to) q.set("to", boundParam(f.to, true));
  return `/dashboard/recoveries?${q}`;
}

/** "3 Nov 2026" for a day, the viewer's time for an instant. */
function boundWords(value: string, d: Date, zone: string, now: Date): string {
  if (DATE.test(value))
    return new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    }).format(d);
  return formatTime(d, zone, now);
}

/** The active filters in plain words, one phrase each (none: the list is unfiltered). */
export function describeFilters(q: Query, f: DisruptionFilters, zone: string, now: Date): string[] {
  const words: string[] = [];
  if (f.outcome) words.push(outcomeLabel(f.outcome));
  if (f.kind) words.push(kindLabel(f.kind));
  if (f.status) words.push(`status: ${statusLabel(f.status)}`);
  if (f.customer) words.push(`customer id or name contains “${f.customer}”`);
  if (f.complainedFirst === false) words.push("we wrote first");
  if (f.complainedFirst === true) words.push("the customer complained first");
  if (f.needsApproval) words.push("waiting for a manager");
  const dated = f.outcome ? OUTCOME_DATED_BY[f.outcome] : undefined;
  const what = dated === "message" ? "message sent" : dated === "grant" ? "gesture granted" : "detected";
  const from = f.from && q.from ? boundWords(q.from.trim(), f.from, zone, now) : undefined;
  const to = f.to && q.to ? boundWords(q.to.trim(), f.to, zone, now) : undefined;
  if (from && to && from === to) words.push(`${what} on ${from}`);
  else if (from && to) words.push(`${what} from ${from} to ${to}`);
  else if (from) words.push(`${what} from ${from}`);
  else if (to) words.push(`${what} up to ${to}`);
  return words;
}

/** The active filters said back, with a link that clears them all. */
export function ActiveFilters(props: { words: string[] }) {
  if (props.words.length === 0) return null;
  return (
    <p class="active-filters" data-active-filters>
      <strong>Showing:</strong> {props.words.join(" · ")}{" "}
      <a href="/dashboard/recoveries" class="clear">
        Clear filters
      </a>
    </p>
  );
}

/** True for a from/to the list's date fields can show (a day); an instant travels in a hidden field. */
export const isDay = (value: string | undefined) => Boolean(value && DATE.test(value.trim()));
