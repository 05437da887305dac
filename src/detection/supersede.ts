import { describeMinutes } from "./time.ts";
import { type Detection, type DisruptionKind, type Severity, severityRank } from "./types.ts";

/**
 * What a new detection does to the disruption already open for its subject.
 *
 *   nothing open                                   → open
 *   open kind from another family (order vs booking vs deliverable)
 *                                                  → ignore (subject keys never cross families; a caller bug)
 *   flights, new kind outranks open kind
 *     (delayed < diverted < cancelled)             → supersede  (close the old one, open the new kind)
 *   flights, new kind ranks below open kind        → ignore     (a cancelled flight is not un-cancelled by a
 *                                                                 delay report; only `departed` resolves it)
 *   same kind with a delay (shipment_delay, flight_delayed):
 *     delay moved by ≥ minDelayChangeMinutes
 *     (either way, default 30)                     → update     (the customer gets the new ETA)
 *     severity rose                                → update
 *     otherwise                                    → ignore     (a repeat, or jitter not worth a message)
 *   same kind without a delay (cancelled, diverted, deliverable_error):
 *     severity rose                                → update
 *     same or lower severity                       → ignore     (a duplicate)
 */

export type SupersedeAction = "open" | "update" | "supersede" | "ignore";

export interface OpenDisruptionState {
  kind: DisruptionKind;
  severity: Severity;
  delayMinutes?: number | null;
}

export interface SupersedeDecision {
  action: SupersedeAction;
  reason: string;
}

export interface SupersedeOptions {
  minDelayChangeMinutes?: number;
}

const FAMILY: Record<DisruptionKind, "shipment" | "flight" | "deliverable"> = {
  shipment_delay: "shipment",
  flight_delayed: "flight",
  flight_diverted: "flight",
  flight_cancelled: "flight",
  deliverable_error: "deliverable",
};
const FLIGHT_RANK: Partial<Record<DisruptionKind, number>> = {
  flight_delayed: 1,
  flight_diverted: 2,
  flight_cancelled: 3,
};
const label = (kind: DisruptionKind) => kind.replace("_", " ");

export function decideSupersede(
  open: OpenDisruptionState | null | undefined,
  next: Pick<Detection, "kind" | "severity" | "delayMinutes">,
  opts: SupersedeOptions = {},
): SupersedeDecision {
  if (!open) return { action: "open", reason: `No open disruption for this subject; open a ${label(next.kind)}.` };

  if (FAMILY[open.kind] !== FAMILY[next.kind]) {
    return {
      action: "ignore",
      reason: `The open ${label(open.kind)} and the new ${label(next.kind)} concern different kinds of subject; not merged.`,
    };
  }

  if (open.kind !== next.kind) {
    const from = FLIGHT_RANK[open.kind] ?? 0;
    const to = FLIGHT_RANK[next.kind] ?? 0;
    return to > from
      ? {
          action: "supersede",
          reason: `The flight is now ${verb(next.kind)}; this replaces the open ${label(open.kind)}.`,
        }
      : {
          action: "ignore",
          reason: `The flight is already ${verb(open.kind)}; a later "${verb(next.kind)}" report does not change that.`,
        };
  }

  const rose = severityRank(next.severity) > severityRank(open.severity);
  const severityChange = `${open.severity} → ${next.severity}`;

  if (next.kind === "shipment_delay" || next.kind === "flight_delayed") {
    const before = open.delayMinutes;
    const after = next.delayMinutes;
    const minChange = opts.minDelayChangeMinutes ?? 30;
    if (before != null && after != null && Math.abs(after - before) >= minChange) {
      const direction = after > before ? "grows" : "shrinks";
      return {
        action: "update",
        reason: `The delay ${direction} from ${describeMinutes(before)} to ${describeMinutes(after)} (${severityChange}).`,
      };
    }
    if (rose) return { action: "update", reason: `Severity rises (${severityChange}).` };
    const moved = before != null && after != null && after !== before;
    return {
      action: "ignore",
      reason: moved
        ? `The delay moved by ${describeMinutes(after - before)}, under the ${describeMinutes(minChange)} worth telling the customer.`
        : `Same delay as the open ${label(open.kind)}; a repeat.`,
    };
  }

  return rose
    ? { action: "update", reason: `Severity rises (${severityChange}).` }
    : {
        action: "ignore",
        reason: `Same or lower severity than the open ${label(open.kind)} (${severityChange}); a duplicate.`,
      };
}

function verb(kind: DisruptionKind): string {
  return kind === "flight_cancelled" ? "cancelled" : kind === "flight_diverted" ? "diverted" : "delayed";
}
