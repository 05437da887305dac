/**
 * A disruption's facts (as the detector stored them) for people: a definition list with words for
 * labels, times in the viewer's zone (and the customer's), and how late it is — never raw JSON.
 */
import { Time } from "./time.tsx";
import { duration } from "./words.ts";

const LABELS: Record<string, string> = {
  orderId: "Order",
  promisedBy: "Promised by",
  newEta: "New estimate",
  previousEta: "Previous estimate",
  carrier: "Carrier",
  reason: "Reason given",
  reasonCode: "Reason",
  important: "Important order",
  items: "Items",
  flightNumber: "Flight",
  bookingRef: "Booking",
  origin: "From",
  destination: "To",
  scheduledDeparture: "Scheduled departure",
  newDeparture: "New departure",
  delayMinutes: "Delay",
  rebookedFlight: "Rebooked on",
  rebookingUrl: "Rebooking link",
  title: "Deliverable",
  deliverableId: "Deliverable id",
  clientId: "Client",
  issues: "Issues found",
  summary: "Summary",
  deliveredAt: "Delivered",
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const labelOf = (key: string) =>
  LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());

function Value(props: { value: unknown; name: string; customerZone?: string }) {
  const v = props.value;
  if (typeof v === "string" && ISO.test(v) && !Number.isNaN(Date.parse(v)))
    return <Time at={new Date(v)} customerZone={props.customerZone} />;
  if (typeof v === "boolean") return <>{v ? "yes" : "no"}</>;
  if (typeof v === "number" && props.name === "delayMinutes") return <>{duration(v * 60_000)}</>;
  if (Array.isArray(v))
    return (
      <>
        {v
          .map((item) =>
            item && typeof item === "object"
              ? String(
                  (item as Record<string, unknown>).name ??
                    (item as Record<string, unknown>).summary ??
                    Object.values(item).join(" "),
                )
              : String(item),
          )
          .join(", ")}
      </>
    );
  if (v && typeof v === "object")
    return (
      <>
        {Object.entries(v)
          .map(([k, x]) => `${labelOf(k)}: ${typeof x === "object" ? JSON.stringify(x) : String(x)}`)
          .join("; ")}
      </>
    );
  return <>{String(v)}</>;
}

/** "4 days late" from a promise and a new estimate, or from delayMinutes; null when neither is known. */
export function howLate(facts: Record<string, unknown>): string | null {
  const promised = typeof facts.promisedBy === "string" ? Date.parse(facts.promisedBy) : Number.NaN;
  const eta = typeof facts.newEta === "string" ? Date.parse(facts.newEta) : Number.NaN;
  if (Number.isFinite(promised) && Number.isFinite(eta) && eta > promised) return `${duration(eta - promised)} late`;
  if (typeof facts.delayMinutes === "number" && facts.delayMinutes > 0)
    return `${duration(facts.delayMinutes * 60_000)} late`;
  return null;
}

export function parseFacts(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function Facts(props: { facts: Record<string, unknown>; customerZone?: string }) {
  const entries = Object.entries(props.facts).filter(
    ([key, v]) => v !== null && v !== undefined && v !== "" && key !== "customerId",
  );
  const late = howLate(props.facts);
  return (
    <dl class="facts">
      {late ? (
        <>
          <dt>How late</dt>
          <dd>
            <strong>{late}</strong>
          </dd>
        </>
      ) : null}
      {entries.map(([key, value]) => (
        <>
          <dt>{labelOf(key)}</dt>
          <dd>
            <Value value={value} name={key} customerZone={props.customerZone} />
          </dd>
        </>
      ))}
    </dl>
  );
}
