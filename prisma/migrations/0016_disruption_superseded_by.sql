-- CreateIndex
CREATE INDEX "Disruption_superseded_by" ON "Disruption"("supersededById") WHERE "supersededById" IS NOT NULL;
