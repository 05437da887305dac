-- CreateIndex
CREATE INDEX "Approval_disruptionId_idx" ON "Approval"("disruptionId");

-- CreateIndex
CREATE INDEX "Disruption_metrics_idx" ON "Disruption"("detectedAt", "status", "kind", "complainedFirst", "signalAt", "firstMessageAt", "followUpDueAt", "followUpSentAt");

-- CreateIndex
CREATE INDEX "GestureGrant_disruptionId_idx" ON "GestureGrant"("disruptionId");

-- CreateIndex
CREATE INDEX "Message_delivery_idx" ON "Message"("createdAt", "status", "channel", "provider", "deliveryStatus", "fallbackFor", "sentAt", "deliveredAt");
