// The templates capability: pure, Workers-safe (no file system; defaults are bundled as data).
export { DEFAULT_LOCALES, DEFAULT_TEMPLATES, type DefaultTemplate, defaultTemplateSet } from "./defaults.ts";
export { isTemplateError, TemplateError, type TemplateErrorCode, type TemplatePart } from "./errors.ts";
export { ALLOWED_FILTERS, ALLOWED_TAGS, createLiquid, DEFAULT_LIMITS, type LiquidLimits } from "./liquid.ts";
export {
  type EmailRenderInput,
  type RenderedEmail,
  type RenderedSms,
  renderMessage,
  type SmsRenderInput,
} from "./render.ts";
export { analyzeSms, type SmsEncoding, type SmsInfo } from "./sms.ts";
export {
  type Issue,
  type IssueCode,
  LANGUAGE_CODES,
  type ValidateInput,
  type ValidateOptions,
  type ValidationResult,
  validateTemplate,
} from "./validate.ts";
export {
  GESTURE_KINDS,
  isTemplateKind,
  sampleVariables,
  TEMPLATE_KINDS,
  type TemplateKind,
  type TemplateVariables,
  templateVariables,
} from "./variables.ts";
