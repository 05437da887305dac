import { type Context, type Emitter, evalToken, type FilterImplOptions, ForTag, type FS, Liquid } from "liquidjs";
import { datetimeFilter, type FilterThis, firstName, moneyFilter } from "./filters.ts";
import { toGsmLookalikes } from "./sms.ts";

/**
 * How `{{ output }}` is written:
 * - html: HTML-escaped (customer data is untrusted: a name can be `<img onerror=…>`)
 * - text / sms: not HTML, so no entities — but invisible bidi/control characters are removed,
 *   and in SMS typographic characters become GSM-7 look-alikes so data never forces UCS-2
 * - subject: like text, plus CR/LF/tab become spaces (a newline in a header is header injection)
 */
export type OutputMode = "html" | "text" | "sms" | "subject";

export interface LiquidLimits {
  /** characters a single parse may read (also the hard cap on template size) */
  parseLimit: number;
  /**
   * wall-clock milliseconds a single render may take. A real message renders in about 1 ms; the
   * bound is generous so that a busy machine (GC, CPU contention) never fails a good template,
   * while a hostile one still stops in well under a second.
   */
  renderLimit: number;
  /** "allocation units" (string lengths, array sizes) a single render may create */
  memoryLimit: number;
  /** items one `{% for %}` may iterate over */
  maxLoopIterations: number;
}

export const DEFAULT_LIMITS: LiquidLimits = {
  parseLimit: 20 * 1024,
  renderLimit: 500,
  memoryLimit: 1_000_000,
  maxLoopIterations: 200,
};

/**
 * Tags CX may use. Everything else is removed from the engine, so `{% include %}`, `{% render %}`,
 * `{% layout %}`/`{% block %}` (file system), `{% raw %}` (unprocessed output), `{% echo %}` and
 * `{% liquid %}` (second syntaxes that are harder to review), `{% cycle %}`, `{% tablerow %}`,
 * `{% increment %}`/`{% decrement %}` fail at parse time with "tag … not found".
 * (`elsif`, `else`, `when` and the `end…` tags are parts of these blocks, not tags of their own.)
 */
export const ALLOWED_TAGS: ReadonlySet<string> = new Set([
  "if",
  "unless",
  "case",
  "for",
  "assign",
  "capture",
  "comment",
  "#",
  "break",
  "continue",
]);

/** Filters CX may use; `raw` (unescaped output) is deliberately absent. */
export const ALLOWED_FILTERS: ReadonlySet<string> = new Set([
  "date",
  "datetime",
  "money",
  "first_name",
  "upcase",
  "downcase",
  "capitalize",
  "default",
  "escape",
  "truncate",
  "strip",
  "plus",
  "minus",
  "times",
  "round",
  "size",
  "join",
  "first",
  "last",
  "url_encode",
]);

export interface CreateLiquidOptions {
  mode: OutputMode;
  /** BCP 47 locale for `date`, `datetime`, `money` */
  locale: string;
  /** IANA time zone for `date`, `datetime` */
  timeZone: string;
  limits?: Partial<LiquidLimits>;
}

// Bidi overrides/isolates (a "Trojan Source" trick in names), zero-width space, BOM, and control
// characters other than tab/newline.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u202A-\u202E\u2066-\u2069\uFEFF]/g;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };

function toText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(toText).join("");
  return String(v);
}

function writer(mode: OutputMode) {
  return function output(this: FilterThis, v: unknown): string {
    const s = toText(v).replace(INVISIBLE, "");
    this.context.memoryLimit.use(s.length);
    switch (mode) {
      case "html":
        return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
      case "sms":
        return toGsmLookalikes(s);
      case "subject":
        return s.replace(/[\r\n\t]+/g, " ");
      case "text":
        return s;
    }
  };
}

/** No template is ever read from storage by the engine: every lookup fails. */
const NO_FILES: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  readFileSync: (file) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_dir, file) => file,
  sep: "/",
  dirname: () => "",
};

/** `{% for %}` that refuses collections over the limit before iterating at all. */
function boundedFor(max: number) {
  return class BoundedFor extends ForTag {
    override *render(ctx: Context, emitter: Emitter): ReturnType<ForTag["render"]> {
      const collection: unknown = yield evalToken(this.collection, ctx);
      if (Array.isArray(collection) && collection.length > max) {
        throw new Error(`for loop over ${collection.length} items exceeds the limit of ${max}`);
      }
      return yield* super.render(ctx, emitter);
    }
  };
}

/**
 * The one way the codebase gets a Liquid engine. Each option is a hardening decision:
 */
export function createLiquid(opts: CreateLiquidOptions): Liquid {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const liquid = new Liquid({
    // Escaping is the default, not something authors must remember (`| escape` on every output).
    // For text channels the writer only strips invisible characters; see OutputMode.
    outputEscape: writer(opts.mode),
    // `{{ customer.constructor }}` / `__proto__` / `toString`: only the data's own properties are
    // visible, never what it inherits from Object.prototype.
    ownPropertyOnly: true,
    // A misspelled filter is an error, not a silently dropped transformation.
    strictFilters: true,
    // A misspelled or undeclared variable is an error, not an empty string in front of a customer
    // ("Hi ,"). Optional data is passed as null, which renders empty without an error.
    strictVariables: true,
    lenientIf: false,
    // DoS bounds: template size, wall time per render, allocations per render (a `{% for %}` over
    // (1..100000000), a `{% capture %}` that doubles itself, a huge `{% assign %}`).
    parseLimit: limits.parseLimit,
    renderLimit: limits.renderLimit,
    memoryLimit: limits.memoryLimit,
    // No file system: no relative paths, no real fs (Workers have none), no cache of files.
    relativeReference: false,
    dynamicPartials: false,
    fs: NO_FILES,
    root: [],
    partials: [],
    layouts: [],
    cache: false,
    // `date` formats in the customer's zone and language, never the server's.
    timezoneOffset: opts.timeZone,
    locale: opts.locale,
    jsTruthy: false,
    // Non-standard syntax extensions stay off.
    groupedExpressions: false,
    jekyllInclude: false,
    keepOutputType: false,
  });

  for (const name of Object.keys(liquid.tags)) if (!ALLOWED_TAGS.has(name)) delete liquid.tags[name];
  liquid.registerTag("for", boundedFor(limits.maxLoopIterations));

  for (const name of Object.keys(liquid.filters)) if (!ALLOWED_FILTERS.has(name)) delete liquid.filters[name];
  const defaults = { locale: opts.locale, timeZone: opts.timeZone };
  liquid.registerFilter("datetime", datetimeFilter(defaults));
  liquid.registerFilter("money", moneyFilter(defaults));
  liquid.registerFilter("first_name", firstName);
  // Output is escaped already; an explicit `| escape` must not escape twice ("&amp;amp;").
  // Marked raw so the automatic escape is not added after it.
  const escapeFilter: FilterImplOptions =
    opts.mode === "html" ? { raw: true, handler: writer("html") } : { raw: false, handler: writer(opts.mode) };
  liquid.registerFilter("escape", escapeFilter);
  return liquid;
}

/**
 * Rendering a stored template again and again (every recovery renders three parts) need not
 * build an engine and parse the source each time: engines are kept per option set and parsed
 * templates per engine and source. Both maps are bounded; a full one is simply emptied.
 */
const MAX_CACHED = 500;
const engines = new Map<string, { liquid: Liquid; parsed: Map<string, ReturnType<Liquid["parse"]>> }>();

export function renderCached(source: string, scope: Record<string, unknown>, opts: CreateLiquidOptions): string {
  const key = JSON.stringify([opts.mode, opts.locale, opts.timeZone, opts.limits ?? null]);
  let engine = engines.get(key);
  if (!engine) {
    if (engines.size >= MAX_CACHED) engines.clear();
    engine = { liquid: createLiquid(opts), parsed: new Map() };
    engines.set(key, engine);
  }
  let template = engine.parsed.get(source);
  if (!template) {
    if (engine.parsed.size >= MAX_CACHED) engine.parsed.clear();
    template = engine.liquid.parse(source);
    engine.parsed.set(source, template);
  }
  return String(engine.liquid.renderSync(template, scope));
}
