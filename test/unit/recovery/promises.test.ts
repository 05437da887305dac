import { expect, test } from "vitest";
import { deliverablePromises } from "../../../src/recovery/promises.ts";

/** The client's wall clock, to read a promise the way they will. */
const onClock = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);

test("a problem found in the morning: a call within four hours and the fix within a day, rounded up", () => {
  // Tuesday 3 March 2026, 09:10 in London.
  const at = new Date("2026-03-03T09:10:00Z");
  const p = deliverablePromises(at, at, "Europe/London");
  expect(onClock(p.callBy, "Europe/London")).toBe("Tue 13:30");
  expect(onClock(p.correctedBy, "Europe/London")).toBe("Wed 10:00");
});

test("found in the evening: the call is promised for the next working morning, never by midnight", () => {
  // Monday 30 November 2026, 19:55 in London: four hours on would be 00:00.
  const at = new Date("2026-11-30T19:55:00Z");
  const p = deliverablePromises(at, at, "Europe/London");
  expect(onClock(p.callBy, "Europe/London")).toBe("Tue 10:00");
  // A day on would be Tuesday 20:00, after hours: Wednesday by noon.
  expect(onClock(p.correctedBy, "Europe/London")).toBe("Wed 12:00");
});

test("found on Friday afternoon: the fix is due Monday, on the client's own clock (New York)", () => {
  // Friday 6 March 2026, 16:00 in New York (21:00 UTC).
  const at = new Date("2026-03-06T21:00:00Z");
  const p = deliverablePromises(at, at, "America/New_York");
  expect(onClock(p.callBy, "America/New_York")).toBe("Mon 10:00");
  expect(onClock(p.correctedBy, "America/New_York")).toBe("Mon 12:00");
});

test("working hours hold across a change of clocks (Europe, last Sunday of March)", () => {
  // Saturday 28 March 2026, 12:00 in Paris; clocks go forward that night.
  const at = new Date("2026-03-28T11:00:00Z");
  const p = deliverablePromises(at, at, "Europe/Paris");
  expect(onClock(p.callBy, "Europe/Paris")).toBe("Mon 10:00");
  expect(p.callBy.toISOString()).toBe("2026-03-30T08:00:00.000Z");
});
