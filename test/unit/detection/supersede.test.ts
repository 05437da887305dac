import { describe, expect, test } from "vitest";
import { type DisruptionKind, decideSupersede, type Severity } from "../../../src/detection/index.ts";

const open = (kind: DisruptionKind, severity: Severity, delayMinutes?: number) => ({ kind, severity, delayMinutes });
const next = open;

describe("nothing open", () => {
  test.each([null, undefined])("with %s open, a detection opens a disruption", (none) => {
    expect(decideSupersede(none, next("shipment_delay", "low", 90)).action).toBe("open");
  });
});

describe("flight kinds: delayed < diverted < cancelled", () => {
  test.each([
    ["flight_delayed", "flight_cancelled", "supersede"],
    ["flight_delayed", "flight_diverted", "supersede"],
    ["flight_diverted", "flight_cancelled", "supersede"],
    ["flight_cancelled", "flight_delayed", "ignore"],
    ["flight_cancelled", "flight_diverted", "ignore"],
    ["flight_diverted", "flight_delayed", "ignore"],
  ] as [DisruptionKind, DisruptionKind, string][])("open %s, new %s → %s", (from, to, action) => {
    expect(decideSupersede(open(from, "medium", 90), next(to, "low", 30)).action).toBe(action);
  });

  test("the supersede reason says what replaces what", () => {
    expect(decideSupersede(open("flight_delayed", "low", 90), next("flight_cancelled", "high")).reason).toBe(
      "The flight is now cancelled; this replaces the open flight delayed.",
    );
  });

  test("a cancellation is not undone by a delay report", () => {
    expect(decideSupersede(open("flight_cancelled", "high"), next("flight_delayed", "critical", 400)).reason).toBe(
      'The flight is already cancelled; a later "delayed" report does not change that.',
    );
  });
});

describe("same kind with a delay", () => {
  test("a bigger shipment delay updates", () => {
    const d = decideSupersede(open("shipment_delay", "low", 24 * 60), next("shipment_delay", "medium", 3 * 24 * 60));
    expect(d).toEqual({ action: "update", reason: "The delay grows from 1 day to 3 days (low → medium)." });
  });

  test("a smaller shipment delay updates", () => {
    const d = decideSupersede(open("shipment_delay", "medium", 3 * 24 * 60), next("shipment_delay", "low", 24 * 60));
    expect(d.action).toBe("update");
    expect(d.reason).toContain("shrinks");
  });

  test("the same delay again is ignored as a repeat", () => {
    expect(decideSupersede(open("shipment_delay", "low", 600), next("shipment_delay", "low", 600))).toEqual({
      action: "ignore",
      reason: "Same delay as the open shipment delay; a repeat.",
    });
  });

  test("a change just under the minimum is ignored, exactly at it updates", () => {
    expect(decideSupersede(open("flight_delayed", "low", 90), next("flight_delayed", "low", 119)).action).toBe(
      "ignore",
    );
    expect(decideSupersede(open("flight_delayed", "low", 90), next("flight_delayed", "low", 120)).action).toBe(
      "update",
    );
  });

  test("the minimum change is configurable", () => {
    const d = decideSupersede(open("flight_delayed", "low", 90), next("flight_delayed", "low", 95), {
      minDelayChangeMinutes: 5,
    });
    expect(d.action).toBe("update");
  });

  test("a severity rise updates even when the delay barely moves", () => {
    expect(decideSupersede(open("shipment_delay", "low", 600), next("shipment_delay", "medium", 605)).action).toBe(
      "update",
    );
  });

  test("an unknown previous delay falls back to severity", () => {
    expect(decideSupersede(open("flight_delayed", "low"), next("flight_delayed", "low", 100)).action).toBe("ignore");
    expect(decideSupersede(open("flight_delayed", "low"), next("flight_delayed", "high", 200)).action).toBe("update");
  });
});

describe("same kind without a delay", () => {
  test.each([
    ["low", "high", "update"],
    ["high", "high", "ignore"],
    ["critical", "high", "ignore"],
  ] as [Severity, Severity, string][])("deliverable error %s then %s → %s", (a, b, action) => {
    expect(decideSupersede(open("deliverable_error", a), next("deliverable_error", b)).action).toBe(action);
  });

  test("a repeated cancellation is a duplicate", () => {
    expect(decideSupersede(open("flight_cancelled", "high"), next("flight_cancelled", "high"))).toEqual({
      action: "ignore",
      reason: "Same or lower severity than the open flight cancelled (high → high); a duplicate.",
    });
  });

  test("a cancellation that loses its rebooking gets worse: update", () => {
    expect(decideSupersede(open("flight_cancelled", "high"), next("flight_cancelled", "critical")).action).toBe(
      "update",
    );
  });
});

describe("kinds that never share a subject", () => {
  test("a shipment delay against an open flight disruption is ignored, with a reason", () => {
    const d = decideSupersede(open("flight_delayed", "low", 90), next("shipment_delay", "high", 3000));
    expect(d.action).toBe("ignore");
    expect(d.reason).toContain("different kinds of subject");
  });
});
