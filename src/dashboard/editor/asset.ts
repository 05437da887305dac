/**
 * The template editor's script (CodeMirror 6 and the studio's glue, one minified file built by
 * scripts/build-editor.ts): served from our own origin, so the strict CSP's `script-src 'self'`
 * allows it, at a path carrying its content hash, cached for a year (a new build is a new path).
 */
import { EDITOR_BUNDLE } from "./bundle.generated.ts";

export const EDITOR_SCRIPT_PATH = `/dashboard/assets/editor.${EDITOR_BUNDLE.hash}.js`;
export const EDITOR_SCRIPT_ROUTE = "/dashboard/assets/:file";

/** The script for a requested file name, or null (an older or unknown hash: 404). */
export function editorScript(file: string): Response | null {
  if (`/dashboard/assets/${file}` !== EDITOR_SCRIPT_PATH) return null;
  return new Response(EDITOR_BUNDLE.js, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      // private: the route needs a signed-in editor; immutable: the path changes with the content.
      "cache-control": "private, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
