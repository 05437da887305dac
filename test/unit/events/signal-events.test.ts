import { describe, expect, test } from "vitest";
import type { OpsEvent } from "../../../src/events/schemas.ts";
import { SIGNAL_BATCH_NAME, SIGNALS_PER_EVENT, signalEventsFor, signalFor } from "../../../src/events/signals.ts";
import { etaUpdated } from "./samples.ts";

const eta = (i: number, reason = "Sorting hub closed by snow") => {
  const event = etaUpdated();
  return { ...event, id: `evt-${i}`, data: { ...event.data, orderId: `ord-${i}`, reason } } as OpsEvent;
};
const events = (n: number) => Array.from({ length: n }, (_, i) => eta(i));
const carried = (sent: ReturnType<typeof signalEventsFor>) =>
  sent.flatMap((e) => ("signals" in e.data ? e.data.signals.map((s) => s.id) : [e.data.id]));

describe("signals handed to the engine", () => {
  test("a lone event goes as its own signal, as it always has", () => {
    const [event] = events(1) as [OpsEvent];
    expect(signalEventsFor([event])).toEqual([signalFor(event)]);
  });

  test("events accepted together go as one batch event carrying each signal, in order", () => {
    const batch = events(3);
    const sent = signalEventsFor(batch);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.name).toBe(SIGNAL_BATCH_NAME);
    expect(sent[0]?.data).toEqual({ signals: batch.map((e) => signalFor(e).data) });
  });

  test(`a batch carries at most ${SIGNALS_PER_EVENT} signals; the rest follow, none lost or repeated`, () => {
    const batch = events(2 * SIGNALS_PER_EVENT + 1);
    const sent = signalEventsFor(batch);
    expect(sent.map((e) => e.name)).toEqual([SIGNAL_BATCH_NAME, SIGNAL_BATCH_NAME, "makegood/shipment.eta_updated"]);
    expect(carried(sent)).toEqual(batch.map((e) => e.id));
  });

  test("large signals start a new batch before one grows past 128 KB", () => {
    const batch = Array.from({ length: 6 }, (_, i) => eta(i, "x".repeat(30_000)));
    const sent = signalEventsFor(batch);
    expect(sent.length).toBeGreaterThan(1);
    for (const e of sent) expect(JSON.stringify(e.data).length).toBeLessThan(128 * 1024 + 1024);
    expect(carried(sent)).toEqual(batch.map((e) => e.id));
  });

  test("the batch id comes from the signals' ids: the same ones again are a duplicate the engine drops", () => {
    const [first] = signalEventsFor(events(3));
    const [again] = signalEventsFor(events(3));
    const [other] = signalEventsFor(events(4));
    expect(first?.id).toBe(again?.id);
    expect(first?.id).not.toBe(other?.id);
  });
});
