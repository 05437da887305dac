import { expect, test } from "vitest";
import { voucherCode } from "../../../src/recovery/codes.ts";

test("voucher codes are grouped, unambiguous and different each time", () => {
  const codes = new Set(Array.from({ length: 2000 }, () => voucherCode()));
  expect(codes.size).toBe(2000);
  for (const code of codes) expect(code).toMatch(/^MG-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
});

test("the code comes from the random source given", () => {
  expect(voucherCode("FL", (n) => new Uint8Array(n))).toBe("FL-2222-2222-2222");
});
