import type { z } from "zod";

/** One bad field, as the HTTP layer returns it in `error.details`. */
export interface FieldIssue {
  field: string;
  message: string;
}

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** The field name used for a problem with the whole value (e.g. "expected an object"). */
export const ROOT_FIELD = "(root)";

/** `["events", 3, "data", "newEta"]` → `events[3].data.newEta`; odd keys are quoted: `data["a b"]`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === "" ? ROOT_FIELD : out;
}

function messageOf(issue: Issue): string {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return "is required";
  return issue.message;
}

/**
 * Flattens a zod error into one `{ field, message }` per bad field, in input
 * order: unknown keys get one entry each, repeats are dropped, and past
 * `maxIssues` a last entry says how many more were left out. `prefix` is
 * prepended to every path (e.g. `["events", 3]` when validating one element).
 */
export function formatIssues(
  error: { issues: readonly Issue[] } | readonly Issue[],
  opts: { prefix?: readonly PathKey[]; maxIssues?: number } = {},
): FieldIssue[] {
  const issues: readonly Issue[] = "issues" in error ? error.issues : error;
  const prefix = opts.prefix ?? [];
  const max = opts.maxIssues ?? 100;
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const push = (path: readonly PathKey[], message: string) => {
    const field = formatPath([...prefix, ...path]);
    const id = `${field}\u0000${message}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ field, message });
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) push([...issue.path, key], "is not a known field");
    } else {
      push(issue.path, messageOf(issue));
    }
  }
  if (out.length <= max) return out;
  const more = out.length - max;
  return [
    ...out.slice(0, max),
    { field: ROOT_FIELD, message: `${more} more problem${more === 1 ? "" : "s"} not shown` },
  ];
}
