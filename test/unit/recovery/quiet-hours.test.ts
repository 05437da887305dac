import { expect, test } from "vitest";
import { isWithinWindow, nextSendTime } from "../../../src/recovery/quiet-hours.ts";

const at = (iso: string) => new Date(iso);

test("an SMS due at 23:00 local waits until 08:00 local the next morning", () => {
  // 23:00 in London in winter is 23:00 UTC.
  expect(nextSendTime(at("2026-01-14T23:00:00Z"), "Europe/London").toISOString()).toBe("2026-01-15T08:00:00.000Z");
});

test("inside the window it goes now", () => {
  const now = at("2026-01-14T12:30:00Z");
  expect(nextSendTime(now, "Europe/London")).toBe(now);
});

test("early morning waits for the same day's opening", () => {
  // 06:00 in New York (EST, UTC-5) → 08:00 EST = 13:00 UTC.
  expect(nextSendTime(at("2026-01-14T11:00:00Z"), "America/New_York").toISOString()).toBe("2026-01-14T13:00:00.000Z");
});

test("the window is the recipient's, not the server's: 15:00 UTC is 00:00 in Tokyo", () => {
  expect(isWithinWindow(at("2026-01-14T15:00:00Z"), "Asia/Tokyo")).toBe(false);
  expect(nextSendTime(at("2026-01-14T15:00:00Z"), "Asia/Tokyo").toISOString()).toBe("2026-01-14T23:00:00.000Z");
});

test("across a DST change the opening is still 08:00 local", () => {
  // Europe/Paris springs forward on 2026-03-29: 22:00 CET on the 28th → 08:00 CEST (06:00 UTC) on the 29th.
  expect(nextSendTime(at("2026-03-28T21:00:00Z"), "Europe/Paris").toISOString()).toBe("2026-03-29T06:00:00.000Z");
  // US falls back on 2026-11-01: 22:00 EDT on Oct 31 → 08:00 EST (13:00 UTC) on Nov 1.
  expect(nextSendTime(at("2026-11-01T02:00:00Z"), "America/New_York").toISOString()).toBe("2026-11-01T13:00:00.000Z");
});

test("21:00 local is already outside the window; 20:59 is inside", () => {
  expect(isWithinWindow(at("2026-07-01T20:00:00Z"), "Europe/London")).toBe(false); // 21:00 BST
  expect(isWithinWindow(at("2026-07-01T19:59:00Z"), "Europe/London")).toBe(true); // 20:59 BST
});
