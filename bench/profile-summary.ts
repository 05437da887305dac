/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time by package, and the inclusive time of
 * a few functions named on the command line. `tsx bench/profile-summary.ts <file> [fn ...]`.
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, ...watched] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary <file.cpuprofile> [functionName ...]");
const profile = JSON.parse(readFileSync(file, "utf8")) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const bucket = (n: Node): string => {
  const { url, functionName } = n.callFrame;
  if (!url) return functionName.startsWith("(") ? functionName : `(native) ${functionName}`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1] as string;
  if (url.startsWith("node:")) return "node internals";
  if (/\/src\/engine\//.test(url)) return "makegood engine";
  if (/\/src\/db\/generated\//.test(url)) return "prisma generated client";
  return "makegood (other)";
};
const buckets = new Map<string, number>();
for (const [id, ms] of self) {
  const k = bucket(byId.get(id) as Node);
  buckets.set(k, (buckets.get(k) ?? 0) + ms);
}
const pct = (ms: number) => `${((100 * ms) / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms`;
console.log(`total sampled ${total.toFixed(0)} ms`);
for (const [k, ms] of [...buckets].sort((a, b) => b[1] - a[1]).slice(0, 18)) console.log(`${pct(ms)}  ${k}`);

// Inclusive time: samples with the function anywhere on their stack (counted once per sample).
for (const name of watched) {
  let ms = 0;
  profile.samples.forEach((id, i) => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
      if (byId.get(cur)?.callFrame.functionName === name) {
        ms += (profile.timeDeltas[i] ?? 0) / 1000;
        break;
      }
  });
  console.log(`inclusive ${pct(ms)}  ${name}`);
}

// The heaviest functions by self time, with where they live (PROFILE_TOP=n).
const top = Number(process.env.PROFILE_TOP ?? 0);
if (top > 0) {
  const fns = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id) as Node;
    const k = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(src|functions|bench)\//, "$1/")}:${n.callFrame.lineNumber + 1}`;
    fns.set(k, (fns.get(k) ?? 0) + ms);
  }
  for (const [k, ms] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(ms)}  ${k}`);
}
