-- CreateTable
CREATE TABLE "SignalIssue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "customerId" TEXT,
    "subjectKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    "heldUntil" DATETIME,
    "releasedAt" DATETIME,
    "releaseOutcome" TEXT
);

-- CreateIndex
CREATE INDEX "SignalIssue_customerId_releasedAt_idx" ON "SignalIssue"("customerId", "releasedAt");

-- CreateIndex
CREATE INDEX "SignalIssue_subjectKey_releasedAt_idx" ON "SignalIssue"("subjectKey", "releasedAt");

-- CreateIndex
CREATE INDEX "SignalIssue_createdAt_idx" ON "SignalIssue"("createdAt");

-- CreateIndex
CREATE INDEX "SignalIssue_eventId_idx" ON "SignalIssue"("eventId");
