/**
 * Save-time checks on the HTML of an email template: things that are code, not content.
 * Run on the source (to point at the line) and on the rendered sample (to catch markup that a
 * `{% if %}` splits in two in the source).
 */
export interface HtmlIssue {
  code: "html_script" | "html_unsafe_element" | "html_event_handler" | "html_javascript_url" | "unquoted_attribute";
  message: string;
  line?: number;
}

const lineAt = (s: string, index: number) => s.slice(0, index).split("\n").length;

function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(Number.parseInt(h, 16) % 0x110000))
    .replace(/&#(\d+);?/g, (_m, d: string) => String.fromCodePoint(Number.parseInt(d, 10) % 0x110000))
    .replace(/&colon;/gi, ":")
    .replace(/&tab;|&newline;/gi, "");
}

export function htmlIssues(html: string, origin: "source" | "rendered"): HtmlIssue[] {
  const issues: HtmlIssue[] = [];
  const at = (i: number) => (origin === "source" ? { line: lineAt(html, i) } : {});
  const where = (i: number) => (origin === "source" ? `line ${lineAt(html, i)}` : "in the rendered sample");

  for (const m of html.matchAll(/<\s*script\b/gi)) {
    issues.push({
      code: "html_script",
      message: `<script> is not allowed in an email (${where(m.index)})`,
      ...at(m.index),
    });
  }
  for (const m of html.matchAll(/<\s*(iframe|object|embed|form|base|frame|frameset|applet)\b/gi)) {
    const el = m[1]?.toLowerCase();
    issues.push({
      code: "html_unsafe_element",
      message: `<${el}> is not allowed in an email (${where(m.index)})`,
      ...at(m.index),
    });
  }
  for (const m of html.matchAll(/<[a-z][^>]*?[\s/"'](on[a-z]+)\s*=/gi)) {
    const attr = m[1]?.toLowerCase();
    issues.push({
      code: "html_event_handler",
      message: `the event handler attribute ${attr}= is not allowed (${where(m.index)})`,
      ...at(m.index),
    });
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a scheme
  const squashed = (s: string) => decode(s).replace(/[\u0000-\u0020]/g, "");
  for (const m of html.matchAll(
    /\b(?:href|src|action|formaction|xlink:href|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi,
  )) {
    const value = squashed((m[1] ?? "").replace(/^["']|["']$/g, ""));
    const scheme = value.match(/^(javascript|vbscript|data):/i)?.[1]?.toLowerCase();
    if (scheme) {
      issues.push({
        code: "html_javascript_url",
        message: `a ${scheme}: URL is not allowed (${where(m.index)})`,
        ...at(m.index),
      });
    }
  }
  if (origin === "source") {
    for (const m of html.matchAll(/<[a-z][^>]*?\s([a-z-:]+)\s*=\s*\{\{/gi)) {
      issues.push({
        code: "unquoted_attribute",
        message: `{{ … }} is the unquoted value of ${m[1]}= (${where(m.index)}); wrap it in double quotes, or a value with a space can add attributes`,
        ...at(m.index),
      });
    }
  }
  return issues;
}
