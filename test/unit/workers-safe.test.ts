import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const NODE_ONLY = [
  /^node:/,
  /^(fs|path|os|child_process|net|http|https|crypto|stream|util)$/,
  /^better-sqlite3$/,
  /^@prisma\/adapter-better-sqlite3$/,
  /^@hono\/node-server/,
];

/** Every module reachable from an entry, by following relative imports; and every package it imports. */
function importGraph(entry: string) {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)) {
      const spec = match[1] as string;
      if (/^import\s+type\s/.test(match[0].trim())) continue; // types vanish at run time
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else packages.set(spec, file);
    }
  };
  visit(resolve(root, entry));
  return { files: [...seen], packages };
}

test("everything the Workers entry reaches uses Web APIs only (no Node built-ins, no native SQLite)", () => {
  const { files, packages } = importGraph("src/worker.ts");
  expect(files.length).toBeGreaterThan(30);
  const offenders = [...packages]
    .filter(([spec]) => NODE_ONLY.some((re) => re.test(spec)))
    .map(([spec, file]) => `${file.replace(root, "")} imports ${spec}`);
  expect(offenders).toEqual([]);
  expect(files.some((f) => f.includes("/src/engine/engine.ts"))).toBe(false);
});
