import { describe, expect, test } from "vitest";
import { editorCompletions } from "../../../src/templates/completions.ts";
import { ALLOWED_FILTERS } from "../../../src/templates/liquid.ts";
import { validateTemplate } from "../../../src/templates/validate.ts";
import { declaredPaths, TEMPLATE_KINDS } from "../../../src/templates/variables.ts";

describe("what the template editor offers as you type", () => {
  test("a shipment delay offers its customer, shipment and gesture variables, with their kind and sample value", () => {
    const c = editorCompletions("shipment_delay", "en");
    const byPath = new Map(c.variables.map((v) => [v.path, v]));
    expect(byPath.get("customer.firstName")).toEqual({ path: "customer.firstName", type: "text", sample: "Samira" });
    expect(byPath.get("shipment.newEta")).toMatchObject({ type: "time" });
    expect(byPath.get("shipment.items")).toMatchObject({ type: "list", sample: "2 items" });
    expect(byPath.get("gesture.amount")).toMatchObject({ type: "number" });
    expect(byPath.get("complainedFirst")).toMatchObject({ type: "yes/no" });
    // Groups are not offered (their fields are), nor another kind's variables.
    expect(byPath.has("customer")).toBe(false);
    expect(byPath.has("flight.number")).toBe(false);
  });

  test("samples are in the template's language", () => {
    const fr = editorCompletions("shipment_delay", "fr").variables.find((v) => v.path === "customer.firstName");
    expect(fr?.sample).toBe("Camille");
  });

  test("for every kind, each offered variable is one the validator accepts, and every declared value is offered", () => {
    for (const kind of TEMPLATE_KINDS) {
      const offered = editorCompletions(kind, "en").variables.map((v) => v.path);
      for (const path of offered) {
        const result = validateTemplate({ channel: "sms", kind, body: `{{ ${path} }}` });
        expect(
          result.errors.filter((e) => e.code === "unknown_variable"),
          `${kind}: ${path}`,
        ).toEqual([]);
      }
      const groups = new Set(
        offered.flatMap((p) =>
          p
            .split(".")
            .slice(0, -1)
            .map((_, i, a) => a.slice(0, i + 1).join(".")),
        ),
      );
      const declared = declaredPaths(kind).map((d) => d.path);
      expect(
        declared.filter((p) => !offered.includes(p) && !groups.has(p)),
        kind,
      ).toEqual([]);
    }
  });

  test("filters are exactly the allowed ones (no `raw`); tags include the allowed tags and the parts of blocks", () => {
    const c = editorCompletions("flight_cancelled", "de");
    expect(new Set(c.filters)).toEqual(new Set(ALLOWED_FILTERS));
    expect(c.filters).not.toContain("raw");
    expect(c.tags).toEqual(expect.arrayContaining(["if", "for", "unless", "else", "endif", "endfor"]));
    expect(c.tags).not.toContain("render");
  });
});
