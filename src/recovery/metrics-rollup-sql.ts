/**
 * The SELECTs that fill the metrics rollups (./metrics-rollup.ts), one row per rollup key over the
 * rows of a time span, columns in table order. The same SELECTs read the partial days at a
 * period's edges live, so a rollup row and a live read cannot disagree. Plain SQLite SQL that D1
 * runs as well; dates compare as the ISO text both adapters store (src/db/sql-time.ts).
 */
import { sqlTime } from "../db/sql-time.ts";
import { bucketSql } from "./histogram.ts";

/** A time column's span: [from, to) or [from, to]. */
export interface Span {
  from?: Date;
  to?: Date;
  toInclusive: boolean;
}

const ms = (from: string, to: string) => `CAST(round((julianday(${to}) - julianday(${from})) * 86400000.0) AS INTEGER)`;

function spanWhere(column: string, span: Span) {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (span.from) {
    clauses.push(`${column} >= ?`);
    params.push(sqlTime(span.from));
  }
  if (span.to) {
    clauses.push(`${column} ${span.toInclusive ? "<=" : "<"} ?`);
    params.push(sqlTime(span.to));
  }
  return { where: clauses.length ? clauses.join(" AND ") : "1", params };
}

export const TRUST_COLUMNS = `"day", "kind", "disruptions", "notified", "proactive", "complained", "promisedSent", "kept", "unsentDue", "validFrom", "validUntil", "notifyHist"`;
export function trustSelect(span: Span, now: Date) {
  const w = spanWhere(`d."detectedAt"`, span);
  const t = sqlTime(now);
  const unsent = `d."followUpDueAt" IS NOT NULL AND d."followUpSentAt" IS NULL`;
  return {
    sql: `SELECT day, kind, sum(n) AS disruptions, sum(notified) AS notified, sum(proactive) AS proactive,
        sum(complained) AS complained, sum(promisedSent) AS promisedSent, sum(kept) AS kept, sum(unsentDue) AS unsentDue,
        max(validFrom) AS validFrom, min(validUntil) AS validUntil,
        coalesce(json_group_object(b, n) FILTER (WHERE b IS NOT NULL), '{}') AS hist
      FROM (SELECT substr(d."detectedAt", 1, 10) AS day, d."kind" AS kind, ${bucketSql("r")} AS b, count(*) AS n,
          sum(d."firstMessageAt" IS NOT NULL) AS notified,
          sum(d."firstMessageAt" IS NOT NULL AND d."complainedFirst" = 0) AS proactive,
          sum(d."complainedFirst" <> 0) AS complained,
          sum(d."followUpDueAt" IS NOT NULL AND d."followUpSentAt" IS NOT NULL) AS promisedSent,
          sum(d."followUpDueAt" IS NOT NULL AND d."followUpSentAt" IS NOT NULL AND d."followUpSentAt" <= d."followUpDueAt") AS kept,
          sum(${unsent} AND d."followUpDueAt" <= ?) AS unsentDue,
          max(CASE WHEN ${unsent} AND d."followUpDueAt" <= ? THEN d."followUpDueAt" END) AS validFrom,
          min(CASE WHEN ${unsent} AND d."followUpDueAt" > ? THEN d."followUpDueAt" END) AS validUntil
        FROM (SELECT d.*, ${ms(`d."signalAt"`, `d."firstMessageAt"`)} AS r FROM "Disruption" d
          WHERE d."status" <> 'superseded' AND ${w.where}) d
        GROUP BY 1, 2, 3)
      GROUP BY day, kind`,
    params: [t, t, t, ...w.params],
  };
}

export const DELIVERY_COLUMNS = `"day", "kind", "channel", "provider", "sent", "reported", "delivered", "failed", "complaints", "refused", "fallbacks", "deliveredHist"`;
export function deliverySelect(span: Span) {
  const w = spanWhere(`m."createdAt"`, span);
  const sent = `m."status" = 'sent'`;
  const report = `coalesce(m."deliveryStatus", '')`;
  return {
    sql: `SELECT day, kind, channel, provider, sum(sent) AS sent, sum(reported) AS reported, sum(delivered) AS delivered,
        sum(failed) AS failed, sum(complaints) AS complaints, sum(refused) AS refused, sum(fallbacks) AS fallbacks,
        coalesce(json_group_object(b, timed) FILTER (WHERE b IS NOT NULL), '{}') AS hist
      FROM (SELECT substr(m."createdAt", 1, 10) AS day, d."kind" AS kind, m."channel" AS channel,
          coalesce(m."provider", '') AS provider, ${bucketSql("r")} AS b,
          sum(${sent}) AS sent,
          sum(${sent} AND m."deliveryStatus" IS NOT NULL) AS reported,
          sum(${sent} AND ${report} IN ('delivered', 'complained')) AS delivered,
          sum(${sent} AND ${report} IN ('bounced', 'undelivered', 'failed')) AS failed,
          sum(${sent} AND ${report} = 'complained') AS complaints,
          sum(m."status" = 'failed') AS refused,
          sum(m."fallbackFor" IS NOT NULL) AS fallbacks,
          sum(r IS NOT NULL) AS timed
        FROM (SELECT m.*, CASE WHEN +m."status" = 'sent' AND m."sentAt" IS NOT NULL AND m."deliveredAt" IS NOT NULL
            THEN max(0, ${ms(`m."sentAt"`, `m."deliveredAt"`)}) END AS r FROM "Message" m WHERE ${w.where}) m
        JOIN "Disruption" d ON d."id" = m."disruptionId"
        GROUP BY 1, 2, 3, 4, 5)
      GROUP BY day, kind, channel, provider`,
    params: w.params,
  };
}

/**
 * `total()`, not `sum()`: always a REAL. Read live, a column is typed from its first row, so an
 * integer first total (20) would turn the next one (12.5) into 12.
 */
export const GESTURE_COLUMNS = `"day", "kind", "gestureKind", "currency", "total", "count"`;
export function gestureSelect(span: Span) {
  const w = spanWhere(`g."createdAt"`, span);
  return {
    sql: `SELECT substr(g."createdAt", 1, 10) AS day, d."kind" AS kind, g."kind" AS gestureKind, g."currency" AS currency,
        total(g."value") AS total, count(*) AS count
      FROM "GestureGrant" g JOIN "Disruption" d ON d."id" = g."disruptionId"
      WHERE g."status" = 'granted' AND ${w.where}
      GROUP BY 1, 2, 3, 4`,
    params: w.params,
  };
}

export const APPROVAL_COLUMNS = `"day", "kind", "requested", "approved", "denied", "expired", "apologyFirst", "gestureSent", "gestureHist"`;
/** Per approval: its disruption's day, whether the apology went first, and decision → the gesture's own message. */
export function approvalSelect(span: Span) {
  const w = spanWhere(`d."detectedAt"`, span);
  const gestureSentAt = `(SELECT min(m."sentAt") FROM "Message" m
      WHERE m."disruptionId" = d."id" AND m."purpose" = 'gesture' AND m."status" = 'sent')`;
  return {
    sql: `SELECT day, kind, sum(n) AS requested, sum(approved) AS approved, sum(denied) AS denied, sum(expired) AS expired,
        sum(apologyFirst) AS apologyFirst, sum(gestureSent) AS gestureSent,
        coalesce(json_group_object(b, gestureSent) FILTER (WHERE b IS NOT NULL), '{}') AS hist
      FROM (SELECT day, kind, ${bucketSql("r")} AS b, count(*) AS n,
          sum(status = 'approved') AS approved, sum(status = 'denied') AS denied, sum(status = 'expired') AS expired,
          sum(apologyFirst) AS apologyFirst, sum(r IS NOT NULL) AS gestureSent
        FROM (SELECT day, kind, status, apologyFirst,
            CASE WHEN decidedAt IS NOT NULL AND sentAt IS NOT NULL THEN max(0, ${ms("decidedAt", "sentAt")}) END AS r
          FROM (SELECT substr(d."detectedAt", 1, 10) AS day, d."kind" AS kind, a."status" AS status,
              d."firstMessageAt" IS NOT NULL AND (a."decidedAt" IS NULL OR d."firstMessageAt" <= a."decidedAt") AS apologyFirst,
              a."decidedAt" AS decidedAt, ${gestureSentAt} AS sentAt
            FROM "Approval" a JOIN "Disruption" d ON d."id" = a."disruptionId"
            WHERE d."status" <> 'superseded' AND ${w.where}))
        GROUP BY 1, 2, 3)
      GROUP BY day, kind`,
    params: w.params,
  };
}
