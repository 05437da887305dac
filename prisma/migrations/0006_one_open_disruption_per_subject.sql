-- A subject had at most one open disruption by convention; the index makes it a rule, so a
-- signal decided on stale reads fails and decides again. Older duplicates, if any, are closed
-- as superseded by the newest first.
UPDATE "Disruption" SET "status" = 'superseded'
WHERE "status" IN ('open', 'awaiting_approval', 'notified')
  AND EXISTS (
    SELECT 1 FROM "Disruption" AS newer
    WHERE newer."subjectKey" = "Disruption"."subjectKey"
      AND newer."status" IN ('open', 'awaiting_approval', 'notified')
      AND (newer."detectedAt" > "Disruption"."detectedAt"
        OR (newer."detectedAt" = "Disruption"."detectedAt" AND newer."id" > "Disruption"."id"))
  );

-- CreateIndex
CREATE UNIQUE INDEX "Disruption_one_open_per_subject" ON "Disruption"("subjectKey") WHERE status IN ('open', 'awaiting_approval', 'notified');
