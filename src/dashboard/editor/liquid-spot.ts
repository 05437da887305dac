/** Pure text logic of the editor's autocomplete (unit-tested without a browser). */

/** Where the cursor is: inside `{{ … }}` or `{% … %}`, completing a variable, a filter or a tag name. */
export function liquidSpot(before: string): { what: "variable" | "filter" | "tag"; word: string } | null {
  const open = Math.max(before.lastIndexOf("{{"), before.lastIndexOf("{%"));
  if (open < 0) return null;
  const inside = before.slice(open + 2);
  if (inside.includes("}}") || inside.includes("%}")) return null;
  const filter = /\|\s*(\w*)$/.exec(inside);
  if (filter) return { what: "filter", word: filter[1] ?? "" };
  if (before.startsWith("{%", open)) {
    const tag = /^-?\s*(\w*)$/.exec(inside);
    if (tag) return { what: "tag", word: tag[1] ?? "" };
  }
  const variable = /(?:^|[\s(,:[=<>!-])([\w.]*)$/.exec(inside);
  return variable ? { what: "variable", word: variable[1] ?? "" } : null;
}
