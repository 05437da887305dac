import { afterEach, expect, test } from "vitest";
import { LoopHeadroom } from "../../src/engine/headroom.ts";

const made: LoopHeadroom[] = [];
const headroom = (max: number, min?: number) => {
  const h = new LoopHeadroom({ max, min, intervalMs: 60_000 });
  made.push(h);
  return h;
};
afterEach(() => {
  for (const h of made.splice(0)) h.stop();
});

test("starts low, climbs by one per quiet interval to the maximum, and stays there while quiet", () => {
  const h = headroom(8);
  let grown = 0;
  h.onGrow = () => grown++;
  expect(h.limit()).toBe(2);
  for (let i = 0; i < 20; i++) h.adjust(0.3);
  expect(h.limit()).toBe(8);
  expect(grown).toBe(6);
});

test("a nearly full loop cuts the limit by a quarter each interval, never below the minimum", () => {
  const h = headroom(32, 3);
  for (let i = 0; i < 40; i++) h.adjust(0.1);
  expect(h.limit()).toBe(32);
  h.adjust(0.95);
  expect(h.limit()).toBe(24);
  h.adjust(0.95);
  expect(h.limit()).toBe(18);
  for (let i = 0; i < 20; i++) h.adjust(1);
  expect(h.limit()).toBe(3);
});

test("between the thresholds the limit holds: the engine neither floods nor starves the loop", () => {
  const h = headroom(16);
  for (let i = 0; i < 5; i++) h.adjust(0.2);
  const held = h.limit();
  for (let i = 0; i < 10; i++) h.adjust(0.78);
  expect(h.limit()).toBe(held);
});

test("the minimum never exceeds the maximum", () => {
  expect(headroom(1).limit()).toBe(1);
});
