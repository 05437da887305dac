import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, test } from "vitest";
import { goldenFiles } from "../golden/story-messages.ts";

const root = join(import.meta.dirname, "../golden/messages");

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [relative(root, join(dir, e.name))],
  );
}

const rendered = goldenFiles();

test("every message of the three stories is checked in as a golden file, and no stale one is left", () => {
  expect(filesUnder(root).sort()).toEqual([...rendered.keys()].sort());
});

test.each([...rendered.keys()])("%s reads exactly as reviewed (npm run golden:update to accept a change)", (path) => {
  const golden = existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : "(missing)";
  expect(rendered.get(path)).toBe(golden);
});
