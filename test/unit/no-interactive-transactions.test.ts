import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

test("no interactive transaction comes back: D1 has none (batch $transaction([...]) or single conditional statements only)", () => {
  const offenders = [...sources(join(ROOT, "src")), ...sources(join(ROOT, "functions"))].flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) =>
        /\$transaction\(\s*(async\b|\(|function\b|[A-Za-z_$][\w$]*\s*=>)/.test(line)
          ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`]
          : [],
      ),
  );
  expect(offenders).toEqual([]);
});
