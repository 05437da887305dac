import { describe, expect, test } from "vitest";
import { detectFlightDisruptions, type FlightDecision } from "../../../src/detection/index.ts";
import type { FlightStatus } from "../../../src/events/schemas.ts";

const ctx = { delayThresholdMinutes: 60 };
const flight = (status: FlightStatus, extra: { delayMinutes?: number; reason?: string } = {}) => ({
  flightNumber: "BA123",
  date: "2025-03-01",
  status,
  ...extra,
  bookings: [
    {
      bookingRef: "ABC123",
      customerId: "cus-ada",
      rebookedFlight: { flightNumber: "BA125", departsAt: "2025-03-01T18:00:00Z" },
    },
    { bookingRef: "XYZ789", customerId: "cus-bob" },
  ],
});
const only = (decisions: FlightDecision[]) => {
  expect(decisions.length).toBeGreaterThan(0);
  return decisions[0] as FlightDecision;
};

describe("one decision per booking", () => {
  test("a cancellation gives every booking its own disruption, keyed by booking", () => {
    const d = detectFlightDisruptions(flight("cancelled"), ctx);
    expect(d.map((x) => [x.subjectKey, x.customerId, x.disruption])).toEqual([
      ["booking:ABC123", "cus-ada", true],
      ["booking:XYZ789", "cus-bob", true],
    ]);
  });

  test("a booking listed twice is decided once", () => {
    const data = flight("cancelled");
    data.bookings.push({ bookingRef: "ABC123", customerId: "cus-ada" });
    expect(detectFlightDisruptions(data, ctx).map((x) => x.bookingRef)).toEqual(["ABC123", "XYZ789"]);
  });

  test("no bookings, no decisions", () => {
    expect(detectFlightDisruptions({ ...flight("cancelled"), bookings: [] }, ctx)).toEqual([]);
  });
});

describe("cancelled and diverted are always disruptions", () => {
  test("cancelled with a rebooking is high, without one critical", () => {
    const [rebooked, stranded] = detectFlightDisruptions(flight("cancelled", { reason: "crew shortage" }), ctx);
    expect(rebooked).toMatchObject({ disruption: true, kind: "flight_cancelled", severity: "high" });
    expect(stranded).toMatchObject({ disruption: true, kind: "flight_cancelled", severity: "critical" });
    expect(rebooked?.reason).toBe(
      "Flight BA123 on 2025-03-01 is cancelled (crew shortage); passenger rebooked on BA125 departing 2025-03-01T18:00:00Z → high",
    );
    expect(stranded?.reason).toBe(
      "Flight BA123 on 2025-03-01 is cancelled (crew shortage); passenger not rebooked yet → critical",
    );
  });

  test("diverted is high", () => {
    const d = only(detectFlightDisruptions(flight("diverted", { reason: "weather at LHR" }), ctx));
    expect(d).toMatchObject({ disruption: true, kind: "flight_diverted", severity: "high" });
    expect(d.reason).toContain("is diverted (weather at LHR)");
  });

  test("a cancellation is a disruption even with a tiny delay figure attached", () => {
    expect(only(detectFlightDisruptions(flight("cancelled", { delayMinutes: 5 }), ctx)).disruption).toBe(true);
  });
});

describe("delays count only past the threshold", () => {
  const decide = (delayMinutes: number, threshold = 60) =>
    only(detectFlightDisruptions(flight("delayed", { delayMinutes }), { delayThresholdMinutes: threshold }));

  test("exactly at the threshold is not a disruption", () => {
    const d = decide(60);
    expect(d.disruption).toBe(false);
    expect(d.reason).toBe("Flight BA123 on 2025-03-01 is delayed by 1 hour, within the 1 hour threshold.");
  });

  test("one minute past the threshold is", () => {
    expect(decide(61)).toMatchObject({ disruption: true, kind: "flight_delayed", delayMinutes: 61, severity: "low" });
  });

  test.each([
    [120, "low"],
    [121, "medium"],
    [180, "medium"],
    [181, "high"],
    [300, "high"],
    [301, "critical"],
  ])("a %i-minute delay is %s", (minutes, severity) => {
    expect(decide(minutes)).toMatchObject({ disruption: true, severity });
  });

  test("the threshold is configurable", () => {
    expect(decide(100, 120).disruption).toBe(false);
    expect(decide(100, 90).disruption).toBe(true);
  });

  test("a delay with no minutes given waits for the next update", () => {
    const d = only(detectFlightDisruptions(flight("delayed"), ctx));
    expect(d.disruption).toBe(false);
    expect(d.reason).toContain("without a delay length");
  });

  test("the reason names the delay and the threshold", () => {
    expect(decide(150).reason).toBe(
      "Flight BA123 on 2025-03-01 is delayed by 2 hours 30 minutes, past the 1 hour threshold → medium",
    );
  });
});

describe("departed and scheduled", () => {
  test("departed is no disruption and resolves each booking", () => {
    const d = detectFlightDisruptions(flight("departed"), ctx);
    expect(d.map((x) => [x.subjectKey, x.disruption, "resolves" in x && x.resolves])).toEqual([
      ["booking:ABC123", false, true],
      ["booking:XYZ789", false, true],
    ]);
  });

  test("scheduled is no disruption and resolves nothing", () => {
    const d = only(detectFlightDisruptions(flight("scheduled"), ctx));
    expect(d.disruption).toBe(false);
    expect("resolves" in d && d.resolves).toBeFalsy();
  });
});
