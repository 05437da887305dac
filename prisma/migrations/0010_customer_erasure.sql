-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "erasedAt" DATETIME;

-- CreateIndex
CREATE INDEX "InboundEvent_receivedAt_idx" ON "InboundEvent"("receivedAt");
