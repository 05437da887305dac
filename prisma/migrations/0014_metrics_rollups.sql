-- CreateTable
CREATE TABLE "MetricsDay" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "disruptions" INTEGER NOT NULL,
    "notified" INTEGER NOT NULL,
    "proactive" INTEGER NOT NULL,
    "complained" INTEGER NOT NULL,
    "promisedSent" INTEGER NOT NULL,
    "kept" INTEGER NOT NULL,
    "unsentDue" INTEGER NOT NULL,
    "validFrom" TEXT,
    "validUntil" TEXT,
    "notifyHist" TEXT NOT NULL,

    PRIMARY KEY ("day", "kind")
);

-- CreateTable
CREATE TABLE "DeliveryDay" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "sent" INTEGER NOT NULL,
    "reported" INTEGER NOT NULL,
    "delivered" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "complaints" INTEGER NOT NULL,
    "refused" INTEGER NOT NULL,
    "fallbacks" INTEGER NOT NULL,
    "deliveredHist" TEXT NOT NULL,

    PRIMARY KEY ("day", "kind", "channel", "provider")
);

-- CreateTable
CREATE TABLE "GestureDay" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "gestureKind" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "total" REAL NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("day", "kind", "gestureKind", "currency")
);

-- CreateTable
CREATE TABLE "MetricsMonth" (
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "notifyHist" TEXT NOT NULL,

    PRIMARY KEY ("month", "kind")
);

-- CreateTable
CREATE TABLE "DeliveryMonth" (
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "deliveredHist" TEXT NOT NULL,

    PRIMARY KEY ("month", "kind", "channel", "provider")
);

-- CreateTable
CREATE TABLE "MetricsDirtyDay" (
    "day" TEXT NOT NULL PRIMARY KEY
);

-- Mark a day's rollups out of date whenever a row they count changes (any writer: the app,
-- erasure and retention touch no counted column, so they mark nothing). Read by src/recovery/metrics-rollup.ts.
CREATE TRIGGER "Disruption_rollup_insert" AFTER INSERT ON "Disruption" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(NEW."detectedAt", 1, 10));
END;
CREATE TRIGGER "Disruption_rollup_update" AFTER UPDATE OF "detectedAt", "status", "kind", "complainedFirst", "signalAt", "firstMessageAt", "followUpDueAt", "followUpSentAt" ON "Disruption"
WHEN OLD."detectedAt" IS NOT NEW."detectedAt" OR OLD."status" IS NOT NEW."status" OR OLD."kind" IS NOT NEW."kind" OR OLD."complainedFirst" IS NOT NEW."complainedFirst" OR OLD."signalAt" IS NOT NEW."signalAt" OR OLD."firstMessageAt" IS NOT NEW."firstMessageAt" OR OLD."followUpDueAt" IS NOT NEW."followUpDueAt" OR OLD."followUpSentAt" IS NOT NEW."followUpSentAt" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(OLD."detectedAt", 1, 10)), (substr(NEW."detectedAt", 1, 10));
END;
CREATE TRIGGER "Disruption_rollup_delete" AFTER DELETE ON "Disruption" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(OLD."detectedAt", 1, 10));
END;
CREATE TRIGGER "Message_rollup_insert" AFTER INSERT ON "Message" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(NEW."createdAt", 1, 10));
END;
CREATE TRIGGER "Message_rollup_update" AFTER UPDATE OF "createdAt", "disruptionId", "status", "channel", "provider", "deliveryStatus", "fallbackFor", "sentAt", "deliveredAt" ON "Message"
WHEN OLD."createdAt" IS NOT NEW."createdAt" OR OLD."disruptionId" IS NOT NEW."disruptionId" OR OLD."status" IS NOT NEW."status" OR OLD."channel" IS NOT NEW."channel" OR OLD."provider" IS NOT NEW."provider" OR OLD."deliveryStatus" IS NOT NEW."deliveryStatus" OR OLD."fallbackFor" IS NOT NEW."fallbackFor" OR OLD."sentAt" IS NOT NEW."sentAt" OR OLD."deliveredAt" IS NOT NEW."deliveredAt" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(OLD."createdAt", 1, 10)), (substr(NEW."createdAt", 1, 10));
END;
CREATE TRIGGER "Message_rollup_delete" AFTER DELETE ON "Message" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(OLD."createdAt", 1, 10));
END;
CREATE TRIGGER "GestureGrant_rollup_insert" AFTER INSERT ON "GestureGrant" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(NEW."createdAt", 1, 10));
END;
CREATE TRIGGER "GestureGrant_rollup_update" AFTER UPDATE OF "createdAt", "disruptionId", "status", "kind", "currency", "value" ON "GestureGrant"
WHEN OLD."createdAt" IS NOT NEW."createdAt" OR OLD."disruptionId" IS NOT NEW."disruptionId" OR OLD."status" IS NOT NEW."status" OR OLD."kind" IS NOT NEW."kind" OR OLD."currency" IS NOT NEW."currency" OR OLD."value" IS NOT NEW."value" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(OLD."createdAt", 1, 10)), (substr(NEW."createdAt", 1, 10));
END;
CREATE TRIGGER "GestureGrant_rollup_delete" AFTER DELETE ON "GestureGrant" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") VALUES (substr(OLD."createdAt", 1, 10));
END;
-- A disruption's kind is also the kind of its messages' and grants' rollup rows.
CREATE TRIGGER "Disruption_rollup_kind" AFTER UPDATE OF "kind" ON "Disruption"
WHEN OLD."kind" IS NOT NEW."kind" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("createdAt", 1, 10) FROM "Message" WHERE "disruptionId" = NEW."id";
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("createdAt", 1, 10) FROM "GestureGrant" WHERE "disruptionId" = NEW."id";
END;
-- Backfill: every day that holds data is out of date; the first reads (and src/server.ts at start)
-- compute them, a month per batch.
INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT DISTINCT substr("detectedAt", 1, 10) FROM "Disruption";
INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT DISTINCT substr("createdAt", 1, 10) FROM "Message";
INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT DISTINCT substr("createdAt", 1, 10) FROM "GestureGrant";
