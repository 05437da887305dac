/** Detection: pure functions from signals to decisions. No I/O. */
export { type ComplaintMatch, type ComplaintRef, matchComplaint, type OpenDisruptionRef } from "./complaint.ts";
export { type DeliverableDetection, detectDeliverableErrors, ISSUE_TO_SEVERITY } from "./deliverable.ts";
export {
  detectFlightDisruptions,
  FLIGHT_DELAY_SEVERITY,
  type FlightContext,
  type FlightDecision,
  type FlightDisruption,
  type FlightNoDisruption,
} from "./flight.ts";
export { type EventLike, type Resolution, type ResolutionFacts, resolvedSubjects } from "./resolution.ts";
export {
  detectShipmentDelay,
  SHIPMENT_DELAY_SEVERITY,
  type ShipmentContext,
  type ShipmentDelayDetection,
} from "./shipment.ts";
export {
  decideSupersede,
  type OpenDisruptionState,
  type SupersedeAction,
  type SupersedeDecision,
  type SupersedeOptions,
} from "./supersede.ts";
export { findOverdueShipments, type OverdueShipment, type SweepShipment } from "./sweep.ts";
export { describeMinutes, type InstantLike } from "./time.ts";
export * from "./types.ts";
