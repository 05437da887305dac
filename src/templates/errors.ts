/** The one error type the templates capability throws; liquidjs errors never leak out raw. */
export type TemplateErrorCode =
  | "syntax_error"
  | "unknown_variable"
  | "unknown_filter"
  | "disallowed_tag"
  | "disallowed_filter"
  | "render_timeout"
  | "render_memory_limit"
  | "loop_too_long"
  | "template_too_large"
  | "render_error"
  | "invalid_variables"
  | "invalid_locale"
  | "invalid_time_zone"
  | "missing_part";

export type TemplatePart = "subject" | "html" | "text" | "body";

export class TemplateError extends Error {
  override readonly name = "TemplateError";
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly details: { part?: TemplatePart; line?: number; variable?: string; tag?: string; filter?: string } = {},
  ) {
    super(message);
  }
}

export const isTemplateError = (e: unknown): e is TemplateError => e instanceof TemplateError;
