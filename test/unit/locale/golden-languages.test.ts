import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, test } from "vitest";
import { localeMismatches } from "../../../src/locale/checker.ts";
import { LANGUAGES } from "../../../src/locale/languages.ts";

/** Every golden message reads as one language: its folder's (the account lead's task is the team's English). */
const root = join(import.meta.dirname, "../../golden/messages");
const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [relative(root, join(dir, e.name))],
      )
    : [];

const all = files(root);

test("there are golden messages in every language", () => {
  for (const lang of LANGUAGES)
    expect(
      all.some((f) => f.split("/").includes(lang)),
      lang,
    ).toBe(true);
});

test.each(all)("%s is written in one language", (path) => {
  const lang = LANGUAGES.find((l) => path.split("/").includes(l)) ?? "en";
  expect(localeMismatches(readFileSync(join(root, path), "utf8"), lang)).toEqual([]);
});
