/** Printing for the benchmarks: aligned "figure   value   aim" lines, percentiles, the machine header. */
import { cpus, totalmem } from "node:os";

/** The p-th percentile of an ascending array (nearest rank); NaN when empty. */
export const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

/** A duration for people: "38 ms", "2.41 s"; a missing sample (Infinity) reads "not reached". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return Number.isNaN(ms) ? "—" : "not reached";
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`; // aims and caps: "3 s", not "3.00 s"
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const FIGURE = 52;
const VALUE = 26;

export function section(title: string): void {
  console.log(`\n${title}`);
  console.log(`  ${"figure".padEnd(FIGURE)} ${"value".padEnd(VALUE)} aim`);
}

/** One figure; the aim, when given, is printed beside it with ✓ or ✗ when `met` says. */
export function row(figure: string, value: string, aim?: { text: string; met?: boolean }): void {
  const mark = aim?.met === undefined ? "" : aim.met ? " ✓" : " ✗";
  console.log(`  ${figure.padEnd(FIGURE)} ${value.padEnd(VALUE)} ${aim ? `${aim.text}${mark}` : ""}`.trimEnd());
}

export function note(text: string): void {
  console.log(`  (${text})`);
}

export function header(title: string): void {
  const cpu = cpus();
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  console.log(title);
  console.log(`  machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"}, ${gib} GiB, Node ${process.version}`);
  console.log(`  date:    ${new Date().toISOString()}`);
}
