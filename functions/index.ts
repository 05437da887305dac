import type { MakegoodInngest } from "../src/inngest/client.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { fallBackAfterDeliveryFailureFunction } from "./fall-back-after-delivery-failure.ts";
import { followUpOnResolutionFunction } from "./follow-up-on-resolution.ts";
import { handleSignalFunction } from "./handle-signal.ts";
import { purgeExpiredContentFunction } from "./purge-expired-content.ts";
import { recoverDisruptionFunction } from "./recover-disruption.ts";
import { releaseHeldSignalsFunction } from "./release-held-signals.ts";
import { sweepOverdueShipmentsFunction } from "./sweep-overdue-shipments.ts";

/**
 * Every durable workflow makegood serves. Functions are thin: they sequence
 * steps and call capability code in src/, with services injected here.
 */
export function createFunctions(inngest: MakegoodInngest, services: RecoveryServices) {
  return [
    handleSignalFunction(inngest, services),
    recoverDisruptionFunction(inngest, services),
    followUpOnResolutionFunction(inngest, services),
    sweepOverdueShipmentsFunction(inngest, services),
    releaseHeldSignalsFunction(inngest, services),
    fallBackAfterDeliveryFailureFunction(inngest, services),
    purgeExpiredContentFunction(inngest, services),
  ];
}
