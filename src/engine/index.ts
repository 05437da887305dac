export { type Clock, systemClock, VirtualClock } from "./clock.ts";
export { Engine, type EngineOptions } from "./engine.ts";
export {
  canonicalJson,
  generateEventKey,
  generateSigningKey,
  hashedSigningKey,
  signBody,
  verifySignature,
} from "./signing.ts";
export { httpTransport, inProcessTransport, type Transport } from "./transport.ts";
export type { EngineEvent, Logger } from "./types.ts";
