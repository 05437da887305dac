import { celEnv, isCelError, parse, plan } from "@bufbuild/cel";

/**
 * CEL expressions (trigger `expression`, waitForEvent/cancelOn `if`, flow-control
 * keys), compiled once and cached. `event` is the run's trigger event, `async`
 * the incoming candidate.
 */
type Program = (vars: Record<string, unknown>) => unknown;
type ParsedExpr = ReturnType<typeof parse>;
type Expr = NonNullable<ParsedExpr["expr"]>;

const env = celEnv();
const cache = new Map<string, { program: Program; ast: ParsedExpr }>();

function compiled(expression: string) {
  let entry = cache.get(expression);
  if (!entry) {
    const ast = parse(expression);
    entry = { ast, program: plan(env, ast) as unknown as Program };
    if (cache.size > 10_000) cache.clear();
    cache.set(expression, entry);
  }
  return entry;
}

/** Throws with the expression in the message when it does not parse: used at sync time. */
export function checkExpression(expression: string): void {
  compiled(expression);
}

/** A missing field or a type error counts as "no match", as on Inngest. */
export function matches(expression: string, vars: Record<string, unknown>): boolean {
  const result = compiled(expression).program(vars);
  return !isCelError(result) && result === true;
}

/** Evaluate a key expression (concurrency, idempotency, …) to a string; undefined on error. */
export function evaluateKey(expression: string, vars: Record<string, unknown>): string | undefined {
  const result = compiled(expression).program(vars);
  if (isCelError(result) || result === undefined || result === null) return undefined;
  return typeof result === "string"
    ? result
    : JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
}

/**
 * An index for waits, so an incoming event is matched without scanning every
 * waiter: find a top-level `&&` conjunct `async.<path> == <value>` where the
 * value is a literal or a field of the run's own trigger event. Returns the
 * path on the incoming event and the JSON of the value it must equal.
 */
export function waitIndex(
  expression: string,
  triggerEvent: Record<string, unknown>,
): { path: string; value: string } | undefined {
  let expr: Expr | undefined;
  try {
    expr = compiled(expression).ast.expr;
  } catch {
    return undefined;
  }
  for (const conjunct of conjuncts(expr)) {
    const call = conjunct.exprKind.case === "callExpr" ? conjunct.exprKind.value : undefined;
    if (call?.function !== "_==_" || call.args.length !== 2) continue;
    const [left, right] = call.args as [Expr, Expr];
    for (const [a, b] of [
      [left, right],
      [right, left],
    ] as const) {
      const asyncPath = selectPath(a, "async");
      if (!asyncPath) continue;
      const value = operandValue(b, triggerEvent);
      if (value !== undefined) return { path: asyncPath, value: indexValue(value) };
    }
  }
  return undefined;
}

export function indexValue(value: unknown): string {
  return JSON.stringify(typeof value === "bigint" ? Number(value) : value);
}

export function valueAtPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function conjuncts(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  if (expr.exprKind.case === "callExpr" && expr.exprKind.value.function === "_&&_") {
    return expr.exprKind.value.args.flatMap((a) => conjuncts(a));
  }
  return [expr];
}

/** `async.data.x` → "data.x" when rooted at `root`. */
function selectPath(expr: Expr, root: string): string | undefined {
  const fields: string[] = [];
  let current: Expr | undefined = expr;
  while (current?.exprKind.case === "selectExpr") {
    if (current.exprKind.value.testOnly) return undefined;
    fields.unshift(current.exprKind.value.field);
    current = current.exprKind.value.operand;
  }
  if (current?.exprKind.case !== "identExpr" || current.exprKind.value.name !== root || fields.length === 0) {
    return undefined;
  }
  return fields.join(".");
}

function operandValue(expr: Expr, triggerEvent: Record<string, unknown>): unknown {
  const eventPath = selectPath(expr, "event");
  if (eventPath) {
    const v = valueAtPath(triggerEvent, eventPath);
    return typeof v === "object" && v !== null ? undefined : v;
  }
  if (expr.exprKind.case === "constExpr") {
    const k = expr.exprKind.value.constantKind;
    if (k.case === "stringValue" || k.case === "boolValue" || k.case === "doubleValue") return k.value;
    if (k.case === "int64Value" || k.case === "uint64Value") return Number(k.value);
  }
  return undefined;
}
