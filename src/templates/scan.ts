import {
  filters as builtinFilters,
  type Liquid,
  type TagToken,
  Tokenizer,
  type TopLevelToken,
  TypeGuards,
} from "liquidjs";
import { ALLOWED_FILTERS, ALLOWED_TAGS } from "./liquid.ts";
import { didYouMean } from "./suggest.ts";

/**
 * Save-time scan of a template's tokens, before (and independently of) parsing, so that every
 * disallowed tag and filter is reported at once with its line — the engine would stop at the first.
 */
export interface ScanIssue {
  code: "disallowed_tag" | "disallowed_filter" | "unknown_filter" | "raw_output" | "gesture_unguarded";
  message: string;
  line: number;
}

const BLOCK_PARTS = new Set(["else", "elsif", "when"]);
const OPENERS = new Set(["if", "unless", "case", "for", "capture", "comment", "raw"]);
const FILE_TAGS = new Set(["include", "render", "layout", "block"]);
const BUILTIN_TAGS = new Set([...FILE_TAGS, "raw", "tablerow", "cycle", "increment", "decrement", "echo", "liquid"]);

/** Gesture fields that show the gesture; they belong inside `{% unless gesture.pendingApproval %}`. */
export const SHOWN_GESTURE = /\bgesture\.(code|description|amount|howToUse)\b/;

type Guard = "guarded" | "pending" | "neutral";
interface Frame {
  tag: string;
  now: Guard;
  /** state of the elsif/else branches */
  after: Guard;
}

function guardOf(tag: string, args: string): Pick<Frame, "now" | "after"> {
  const a = args.replace(/\s+/g, " ").trim();
  const mentions = /\bgesture\.pendingApproval\b/.test(a);
  if (!mentions) return { now: "neutral", after: "neutral" };
  const negated = /gesture\.pendingApproval ?(== ?false|!= ?true)/.test(a);
  const positive = /^gesture\.pendingApproval( ?(== ?true|!= ?false))?$/.test(a);
  if (tag === "if" && negated && !/\bor\b/.test(a)) return { now: "guarded", after: "neutral" };
  if (tag === "if" && positive) return { now: "pending", after: "guarded" };
  if (tag === "unless" && !negated && !/\band\b/.test(a)) return { now: "guarded", after: "pending" };
  return { now: "neutral", after: "neutral" };
}

const lineOf = (t: TopLevelToken) => t.getPosition()[0] ?? 1;

function filterNames(liquid: Liquid, input: string, range?: [number, number]): string[] {
  const value = new Tokenizer(input, liquid.options.operators, undefined, range).readFilteredValue();
  return value.filters.map((f) => f.name);
}

function checkFilter(name: string, line: number, issues: ScanIssue[]) {
  if (ALLOWED_FILTERS.has(name)) return;
  if (name === "raw") {
    issues.push({
      code: "raw_output",
      message: `"| raw" outputs a value unescaped (line ${line}); remove it: values are escaped for you`,
      line,
    });
  } else if (Object.hasOwn(builtinFilters, name)) {
    issues.push({ code: "disallowed_filter", message: `the filter "${name}" is not allowed (line ${line})`, line });
  } else {
    const hint = didYouMean(name, ALLOWED_FILTERS);
    issues.push({ code: "unknown_filter", message: `"${name}" is not a filter (line ${line}).${hint}`, line });
  }
}

function checkTag(tag: TagToken, issues: ScanIssue[]): boolean {
  const name = tag.name;
  const line = lineOf(tag);
  if (ALLOWED_TAGS.has(name) || BLOCK_PARTS.has(name)) return true;
  // the end of a block is reported with its opening tag, not twice
  if (name.startsWith("end") && (OPENERS.has(name.slice(3)) || BUILTIN_TAGS.has(name.slice(3)))) return true;
  let message: string;
  if (FILE_TAGS.has(name)) message = `{% ${name} %} is not allowed (line ${line}): templates cannot load other files`;
  else if (name === "raw") message = `{% raw %} is not allowed (line ${line}): its content is output unprocessed`;
  else if (BUILTIN_TAGS.has(name)) message = `{% ${name} %} is not allowed (line ${line})`;
  else message = `"${name}" is not a tag (line ${line}).${didYouMean(name, ALLOWED_TAGS)}`;
  issues.push({ code: "disallowed_tag", message, line });
  return false;
}

/** Throws liquidjs's TokenizationError on unbalanced delimiters; the caller reports it. */
export function scanTemplate(liquid: Liquid, source: string): ScanIssue[] {
  const issues: ScanIssue[] = [];
  const tokens = new Tokenizer(source, liquid.options.operators).readTopLevelTokens(liquid.options);
  const stack: Frame[] = [];
  const inComment = () => stack.some((f) => f.tag === "comment" || f.tag === "raw");
  const guarded = () => stack.some((f) => f.now === "guarded");
  const checkGesture = (text: string, line: number) => {
    const m = text.match(SHOWN_GESTURE);
    if (m && !guarded()) {
      issues.push({
        code: "gesture_unguarded",
        message: `${m[0]} is shown outside {% unless gesture.pendingApproval %} (line ${line}): the customer would see a gesture a manager has not approved yet`,
        line,
      });
    }
  };

  for (const token of tokens) {
    if (TypeGuards.isTagToken(token)) {
      const { name, args } = token;
      if (name.startsWith("end") && OPENERS.has(name.slice(3))) {
        if (stack[stack.length - 1]?.tag === name.slice(3)) stack.pop();
        continue;
      }
      if (inComment()) continue;
      if (!checkTag(token, issues)) continue;
      if (name === "else" || name === "elsif" || name === "when") {
        const top = stack[stack.length - 1];
        if (top) top.now = top.after;
        if (name !== "else") checkGesture(args, lineOf(token));
        continue;
      }
      if (name === "assign") {
        const eq = args.indexOf("=");
        if (eq >= 0) for (const f of filterNames(liquid, args.slice(eq + 1))) checkFilter(f, lineOf(token), issues);
      }
      checkGesture(args, lineOf(token));
      if (OPENERS.has(name)) stack.push({ tag: name, ...guardOf(name, args) });
    } else if (TypeGuards.isOutputToken(token)) {
      if (inComment()) continue;
      for (const f of filterNames(liquid, token.input, token.contentRange)) checkFilter(f, lineOf(token), issues);
      checkGesture(token.content, lineOf(token));
    }
  }
  return issues;
}
