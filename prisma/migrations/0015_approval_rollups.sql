-- CreateTable
CREATE TABLE "ApprovalDay" (
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "requested" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "denied" INTEGER NOT NULL,
    "expired" INTEGER NOT NULL,
    "apologyFirst" INTEGER NOT NULL,
    "gestureSent" INTEGER NOT NULL,
    "gestureHist" TEXT NOT NULL,

    PRIMARY KEY ("day", "kind")
);

-- ApprovalDay rows are keyed by their disruption's day (detectedAt): an approval, or a gesture's
-- own message, marks that day out of date when it changes (the Disruption triggers of 0014 already
-- mark it when the apology goes out). Read by src/recovery/metrics-rollup.ts.
CREATE TRIGGER "Approval_rollup_insert" AFTER INSERT ON "Approval" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("detectedAt", 1, 10) FROM "Disruption" WHERE "id" = NEW."disruptionId";
END;
CREATE TRIGGER "Approval_rollup_update" AFTER UPDATE OF "disruptionId", "status", "decidedAt" ON "Approval"
WHEN OLD."disruptionId" IS NOT NEW."disruptionId" OR OLD."status" IS NOT NEW."status" OR OLD."decidedAt" IS NOT NEW."decidedAt" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("detectedAt", 1, 10) FROM "Disruption" WHERE "id" IN (OLD."disruptionId", NEW."disruptionId");
END;
CREATE TRIGGER "Approval_rollup_delete" AFTER DELETE ON "Approval" BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("detectedAt", 1, 10) FROM "Disruption" WHERE "id" = OLD."disruptionId";
END;
CREATE TRIGGER "Message_rollup_gesture_insert" AFTER INSERT ON "Message" WHEN NEW."purpose" = 'gesture' BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("detectedAt", 1, 10) FROM "Disruption" WHERE "id" = NEW."disruptionId";
END;
CREATE TRIGGER "Message_rollup_gesture_update" AFTER UPDATE OF "status", "sentAt" ON "Message"
WHEN NEW."purpose" = 'gesture' AND (OLD."status" IS NOT NEW."status" OR OLD."sentAt" IS NOT NEW."sentAt") BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("detectedAt", 1, 10) FROM "Disruption" WHERE "id" = NEW."disruptionId";
END;
CREATE TRIGGER "Message_rollup_gesture_delete" AFTER DELETE ON "Message" WHEN OLD."purpose" = 'gesture' BEGIN
  INSERT OR IGNORE INTO "MetricsDirtyDay" ("day") SELECT substr("detectedAt", 1, 10) FROM "Disruption" WHERE "id" = OLD."disruptionId";
END;
-- Backfill: the days that hold approvals are computed by the next read.
INSERT OR IGNORE INTO "MetricsDirtyDay" ("day")
  SELECT DISTINCT substr(d."detectedAt", 1, 10) FROM "Approval" a JOIN "Disruption" d ON d."id" = a."disruptionId";
