import { describe, expect, test } from "vitest";
import { bundleEditor } from "../../../scripts/build-editor.ts";
import { EDITOR_BUNDLE } from "../../../src/dashboard/editor/bundle.generated.ts";
import { liquidSpot } from "../../../src/dashboard/editor/liquid-spot.ts";

describe("the editor's autocomplete: where the cursor is", () => {
  test.each([
    ["Hello {{ ", { what: "variable", word: "" }],
    ["Hello {{ cust", { what: "variable", word: "cust" }],
    ["{{customer.fi", { what: "variable", word: "customer.fi" }],
    ["{{- customer.fi", { what: "variable", word: "customer.fi" }],
    ["{{ shipment.newEta | date", { what: "filter", word: "date" }],
    ["{{ shipment.newEta |", { what: "filter", word: "" }],
    ['{{ flight.date | datetime: "full", flight.dep', { what: "variable", word: "flight.dep" }],
    ["{% ", { what: "tag", word: "" }],
    ["{% unl", { what: "tag", word: "unl" }],
    ["{% if gesture.ki", { what: "variable", word: "gesture.ki" }],
    ['{% if gesture.kind == "voucher" or gesture.am', { what: "variable", word: "gesture.am" }],
  ] as const)("%j → %j", (before, spot) => {
    expect(liquidSpot(before)).toEqual(spot);
  });

  test.each(["Hello cust", "{{ customer.firstName }} cust", "{% if x %} cust", "{{ 'a"])("%j → nothing", (before) => {
    expect(liquidSpot(before)).toBeNull();
  });
});

test("the served editor bundle is built from the current sources (else: npx tsx scripts/build-editor.ts)", async () => {
  const fresh = await bundleEditor();
  expect(EDITOR_BUNDLE.hash).toBe(fresh.hash);
  expect(EDITOR_BUNDLE.js.length).toBeGreaterThan(100_000);
});
