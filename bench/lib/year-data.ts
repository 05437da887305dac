/**
 * A year of an airline-and-retailer's recoveries, generated straight into makegood's SQLite file
 * with raw better-sqlite3 prepared inserts in big transactions (Prisma would take an hour):
 * disruptions spread evenly over the last 365 days, each with its apology by email and SMS, its
 * timeline (signal, detection, messages sent), a gesture for one in three, and the columns the
 * metrics read filled in as the workflows would (told within seconds, a few complaints first,
 * follow-ups mostly on time). Deterministic for a given count.
 */
import Database from "better-sqlite3";

const DAY = 86_400_000;
const KINDS = [
  "shipment_delay",
  "shipment_delay",
  "shipment_delay",
  "shipment_delay",
  "shipment_delay",
  "flight_cancelled",
  "flight_cancelled",
  "flight_delayed",
  "flight_delayed",
  "deliverable_error",
] as const;
const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Tim", "Hedy"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Lee"];

/** DateTime as Prisma's SQLite adapter stores it. */
const t = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface YearShape {
  disruptions: number;
  customers: number;
  now: number;
}

export const customerName = (c: number) =>
  `${FIRST[c % FIRST.length]} ${LAST[Math.floor(c / FIRST.length) % LAST.length]}-${c}`;
export const customerId = (c: number) => `cust-${String(c).padStart(7, "0")}`;
export const disruptionId = (i: number) =>
  `dis_${String(i).padStart(8, "0")}_${((i * 2_654_435_761) >>> 0).toString(16)}`;

export function seedYear(file: string, shape: YearShape, progress: (done: number) => void = () => {}): void {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const rnd = random(42);
  const customer = db.prepare(
    `INSERT INTO "Customer" ("id","name","email","phone","locale","timeZone","tier","preferredChannel","consentEmail","consentSms","createdAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,?,1,1,?,?)`,
  );
  const disruption = db.prepare(
    `INSERT INTO "Disruption" ("id","customerId","kind","subjectKey","severity","status","reason","facts","signalAt","detectedAt",
       "firstMessageAt","complainedFirst","followUpDueAt","followUpSentAt","resolvedAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const message = db.prepare(
    `INSERT INTO "Message" ("id","disruptionId","customerId","purpose","channel","recipient","subject","html","text","body",
       "templateKey","templateVersion","status","provider","providerId","idempotencyKey","sentAt","createdAt","deliveryStatus","deliveredAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,1,'sent',?,?,?,?,?,?,?)`,
  );
  const timeline = db.prepare(
    `INSERT INTO "TimelineEntry" ("id","disruptionId","at","type","summary","reason","data") VALUES (?,?,?,?,?,?,?)`,
  );
  const grant = db.prepare(
    `INSERT INTO "GestureGrant" ("id","disruptionId","customerId","gestureId","kind","description","value","currency","code","status","reason","createdAt")
     VALUES (?,?,?,?,?,?,?,'EUR',?,'granted',?,?)`,
  );
  const start = shape.now - 365 * DAY;
  db.transaction(() => {
    for (let c = 0; c < shape.customers; c++) {
      const at = t(start - DAY);
      customer.run(
        customerId(c),
        customerName(c),
        `c${c}@example.com`,
        `+4479${String(11_000_000 + c).padStart(8, "0")}`,
        c % 5 === 0 ? "fr-FR" : "en-GB",
        c % 5 === 0 ? "Europe/Paris" : "Europe/London",
        c % 7 === 0 ? "valued" : "standard",
        "both",
        at,
        at,
      );
    }
  })();
  const BATCH = 20_000;
  for (let from = 0; from < shape.disruptions; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(shape.disruptions, from + BATCH); i++) {
        const detected = start + Math.floor((i / shape.disruptions) * 365 * DAY) + Math.floor(rnd() * 1000);
        const signal = detected - 150 - Math.floor(rnd() * 200);
        const kind = KINDS[i % KINDS.length] as string;
        const c = Math.floor(rnd() * shape.customers);
        const cid = customerId(c);
        const id = disruptionId(i);
        const roll = rnd();
        const superseded = roll < 0.03;
        const open = !superseded && detected > shape.now - 3 * DAY;
        const status = superseded ? "superseded" : open ? "notified" : "resolved";
        const told = rnd() < 0.97;
        const firstMessage = told ? signal + 800 + Math.floor(rnd() * rnd() * 9000) : null;
        const due = detected + 3 * DAY;
        const followUp = open
          ? null
          : rnd() < 0.92
            ? due - Math.floor(rnd() * 2 * DAY)
            : rnd() < 0.5
              ? due + 3_600_000
              : null;
        const subject = kind.startsWith("flight") ? `booking:BA${100 + (i % 900)}-${i}` : `order:O-${i}`;
        disruption.run(
          id,
          cid,
          kind,
          subject,
          rnd() < 0.2 ? "high" : "medium",
          status,
          "ETA 3 days later than promised",
          JSON.stringify({ subject, newEta: t(detected + 3 * DAY) }),
          t(signal),
          t(detected),
          firstMessage === null ? null : t(firstMessage),
          rnd() < 0.04 ? 1 : 0,
          t(due),
          followUp === null ? null : t(followUp),
          open || superseded ? null : t(followUp ?? due),
          t(followUp ?? firstMessage ?? detected),
        );
        timeline.run(`tl_${id}_s`, id, t(signal), "signal", `Signal ${kind}`, "carrier update", null);
        timeline.run(`tl_${id}_d`, id, t(detected), "detection", "Disruption detected", "3 days late", null);
        if (firstMessage !== null) {
          const email = `c${c}@example.com`;
          const phone = `+4479${String(11_000_000 + c).padStart(8, "0")}`;
          const delivered = rnd() < 0.85 ? firstMessage + 2000 + Math.floor(rnd() * 8000) : null;
          const text = `Hi ${customerName(c)}, we're sorry: your ${subject} is running late. New date: ${t(detected + 3 * DAY).slice(0, 10)}. We'll write again when it arrives.`;
          message.run(
            `msg_${id}_e`,
            id,
            cid,
            "apology",
            "email",
            email,
            `Sorry — ${subject} is late`,
            `<html><body><p>${text}</p><p>With our apologies,<br>Tom Becker</p></body></html>`,
            text,
            null,
            `${kind}.email.en`,
            "resend",
            `re_${id}`,
            `run_${id}:apology:email`,
            t(firstMessage),
            t(firstMessage - 50),
            delivered === null ? null : "delivered",
            delivered === null ? null : t(delivered),
          );
          message.run(
            `msg_${id}_s`,
            id,
            cid,
            "apology",
            "sms",
            phone,
            null,
            null,
            null,
            text.slice(0, 150),
            `${kind}.sms.en`,
            "twilio",
            `SM${id}`,
            `run_${id}:apology:sms`,
            t(firstMessage + 30),
            t(firstMessage - 40),
            delivered === null ? null : "delivered",
            delivered === null ? null : t(delivered + 500),
          );
          timeline.run(
            `tl_${id}_m`,
            id,
            t(firstMessage),
            "message",
            `Email apology sent to ${email}`,
            "accepted by resend",
            null,
          );
        }
        if (i % 3 === 0 && !superseded) {
          const value = kind.startsWith("flight") ? 50 : 15;
          grant.run(
            `grant_${id}`,
            id,
            cid,
            kind.startsWith("flight") ? "meal-voucher" : "free-shipping",
            kind.startsWith("flight") ? "meal_voucher" : "discount",
            kind.startsWith("flight") ? "A meal voucher" : "Free shipping on the next order",
            value,
            `MG-${id}`,
            "policy default",
            t(detected + 500),
          );
        }
      }
    })();
    progress(Math.min(shape.disruptions, from + BATCH));
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}
