-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "tier" TEXT NOT NULL DEFAULT 'standard',
    "preferredChannel" TEXT NOT NULL DEFAULT 'both',
    "consentEmail" BOOLEAN NOT NULL DEFAULT true,
    "consentSms" BOOLEAN NOT NULL DEFAULT false,
    "smsOptedOut" BOOLEAN NOT NULL DEFAULT false,
    "accountLeadName" TEXT,
    "accountLeadEmail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InboundEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "bodyHash" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" DATETIME,
    "outcome" TEXT
);

-- CreateTable
CREATE TABLE "Shipment" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "promisedBy" DATETIME NOT NULL,
    "latestEta" DATETIME NOT NULL,
    "important" BOOLEAN NOT NULL DEFAULT false,
    "deliveredAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Complaint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "reference" TEXT,
    "channel" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "text" TEXT,
    "disruptionId" TEXT,
    CONSTRAINT "Complaint_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Complaint_disruptionId_fkey" FOREIGN KEY ("disruptionId") REFERENCES "Disruption" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Disruption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "reason" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "signalAt" DATETIME NOT NULL,
    "detectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstMessageAt" DATETIME,
    "complainedFirst" BOOLEAN NOT NULL DEFAULT false,
    "followUpDueAt" DATETIME,
    "followUpSentAt" DATETIME,
    "resolvedAt" DATETIME,
    "supersededById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Disruption_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TimelineEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disruptionId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "type" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "reason" TEXT,
    "data" TEXT,
    CONSTRAINT "TimelineEntry_disruptionId_fkey" FOREIGN KEY ("disruptionId") REFERENCES "Disruption" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Gesture" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "howToUse" TEXT,
    "value" DECIMAL NOT NULL,
    "currency" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true
);

-- CreateTable
CREATE TABLE "GesturePolicy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disruptionKind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "gestureId" TEXT NOT NULL,
    "fallbackGestureId" TEXT,
    "approvalLimit" DECIMAL NOT NULL,
    "approvalTimeout" TEXT NOT NULL DEFAULT '4h',
    "priority" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "GestureGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disruptionId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "gestureId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "value" DECIMAL NOT NULL,
    "currency" TEXT NOT NULL,
    "code" TEXT,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GestureGrant_disruptionId_fkey" FOREIGN KEY ("disruptionId") REFERENCES "Disruption" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "GestureGrant_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Budget" (
    "period" TEXT NOT NULL PRIMARY KEY,
    "limit" DECIMAL NOT NULL,
    "currency" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disruptionId" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "decidedAt" DATETIME,
    "decidedBy" TEXT,
    "note" TEXT,
    CONSTRAINT "Approval_disruptionId_fkey" FOREIGN KEY ("disruptionId") REFERENCES "Disruption" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disruptionId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT,
    "html" TEXT,
    "text" TEXT,
    "body" TEXT,
    "templateKey" TEXT,
    "templateVersion" INTEGER,
    "status" TEXT NOT NULL,
    "provider" TEXT,
    "providerId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "error" TEXT,
    "scheduledFor" DATETIME,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Message_disruptionId_fkey" FOREIGN KEY ("disruptionId") REFERENCES "Disruption" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT,
    "html" TEXT,
    "text" TEXT,
    "body" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "TemplateVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "subject" TEXT,
    "html" TEXT,
    "text" TEXT,
    "body" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,
    "publishedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "InboundEvent_type_receivedAt_idx" ON "InboundEvent"("type", "receivedAt");

-- CreateIndex
CREATE INDEX "Shipment_deliveredAt_latestEta_idx" ON "Shipment"("deliveredAt", "latestEta");

-- CreateIndex
CREATE INDEX "Complaint_customerId_receivedAt_idx" ON "Complaint"("customerId", "receivedAt");

-- CreateIndex
CREATE INDEX "Disruption_subjectKey_status_idx" ON "Disruption"("subjectKey", "status");

-- CreateIndex
CREATE INDEX "Disruption_customerId_detectedAt_idx" ON "Disruption"("customerId", "detectedAt");

-- CreateIndex
CREATE INDEX "Disruption_kind_status_detectedAt_idx" ON "Disruption"("kind", "status", "detectedAt");

-- CreateIndex
CREATE INDEX "TimelineEntry_disruptionId_at_idx" ON "TimelineEntry"("disruptionId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "GesturePolicy_disruptionKind_severity_tier_key" ON "GesturePolicy"("disruptionKind", "severity", "tier");

-- CreateIndex
CREATE UNIQUE INDEX "GestureGrant_code_key" ON "GestureGrant"("code");

-- CreateIndex
CREATE INDEX "GestureGrant_customerId_createdAt_idx" ON "GestureGrant"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "GestureGrant_createdAt_status_idx" ON "GestureGrant"("createdAt", "status");

-- CreateIndex
CREATE INDEX "Approval_status_requestedAt_idx" ON "Approval"("status", "requestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Message_idempotencyKey_key" ON "Message"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Message_disruptionId_createdAt_idx" ON "Message"("disruptionId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_status_channel_idx" ON "Message"("status", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxEntry_idempotencyKey_key" ON "OutboxEntry"("idempotencyKey");

-- CreateIndex
CREATE INDEX "TemplateVersion_kind_channel_locale_status_idx" ON "TemplateVersion"("kind", "channel", "locale", "status");

-- CreateIndex
CREATE UNIQUE INDEX "TemplateVersion_kind_channel_locale_version_key" ON "TemplateVersion"("kind", "channel", "locale", "version");
