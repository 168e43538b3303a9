-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('supervisor', 'duty_officer', 'township_staff', 'agency_staff');

-- CreateEnum
CREATE TYPE "ChannelKind" AS ENUM ('sms', 'voice', 'wecom_app', 'wecom_kf', 'console');

-- CreateEnum
CREATE TYPE "ConversationStatus" AS ENUM ('bot', 'staff', 'closed');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('received', 'processed', 'failed', 'queued', 'sent');

-- CreateEnum
CREATE TYPE "CaseType" AS ENUM ('emergency', 'application', 'enquiry', 'clue');

-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('incomplete', 'accepted', 'routed', 'in_progress', 'answered', 'closed', 'merged', 'rejected');

-- CreateEnum
CREATE TYPE "ReferralRole" AS ENUM ('lead', 'assist');

-- CreateEnum
CREATE TYPE "ReferralStep" AS ENUM ('investigate', 'handle', 'notify', 'aid_first');

-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('agency', 'township', 'county_window');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('created', 'dispatched', 'signed', 'in_progress', 'answered', 'closed', 'returned', 'merged');

-- CreateEnum
CREATE TYPE "DutyTaskKind" AS ENUM ('urgent', 'asked_for_person', 'stuck', 'callback', 'voicemail', 'escalation');

-- CreateEnum
CREATE TYPE "DutyTaskStatus" AS ENUM ('open', 'taken', 'done');

-- CreateTable
CREATE TABLE "County" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "directory" JSONB NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "County_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Agency" (
    "id" UUID NOT NULL,
    "countyCode" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "categories" TEXT[],
    "phone" TEXT,

    CONSTRAINT "Agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Township" (
    "id" UUID NOT NULL,
    "countyCode" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[],

    CONSTRAINT "Township_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Village" (
    "id" UUID NOT NULL,
    "townshipId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[],

    CONSTRAINT "Village_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffUser" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "townshipId" UUID,
    "agencyId" UUID,
    "tokenHash" TEXT NOT NULL,
    "wecomUserId" TEXT,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resident" (
    "id" UUID NOT NULL,
    "name" TEXT,
    "idNumberEnc" TEXT,
    "idNumberHash" TEXT,
    "idNumberMasked" TEXT,
    "phone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelIdentity" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "residentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" UUID NOT NULL,
    "identityId" UUID NOT NULL,
    "channel" "ChannelKind" NOT NULL,
    "status" "ConversationStatus" NOT NULL DEFAULT 'bot',
    "state" JSONB,
    "heldById" UUID,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastMessageAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" UUID NOT NULL,
    "channel" "ChannelKind" NOT NULL,
    "direction" "Direction" NOT NULL,
    "providerId" TEXT NOT NULL,
    "conversationId" UUID,
    "sender" TEXT NOT NULL,
    "recipient" TEXT NOT NULL DEFAULT '',
    "text" TEXT NOT NULL DEFAULT '',
    "digits" TEXT,
    "speechConfidence" DOUBLE PRECISION,
    "media" JSONB NOT NULL DEFAULT '[]',
    "raw" JSONB NOT NULL DEFAULT '{}',
    "status" "MessageStatus" NOT NULL,
    "error" TEXT,
    "idempotencyKey" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" UUID NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "type" "CaseType" NOT NULL,
    "status" "CaseStatus" NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "urgentReason" TEXT,
    "categories" TEXT[],
    "classification" JSONB,
    "channel" "ChannelKind" NOT NULL,
    "residentId" UUID,
    "conversationId" UUID,
    "openedByMessageId" UUID,
    "applicantName" TEXT,
    "applicantSex" TEXT,
    "idNumberEnc" TEXT,
    "idNumberHash" TEXT,
    "idNumberMasked" TEXT,
    "phone" TEXT,
    "householdSize" INTEGER,
    "townshipId" UUID,
    "villageId" UUID,
    "address" TEXT,
    "relation" TEXT,
    "reason" TEXT,
    "consentGiven" BOOLEAN,
    "consentAt" TIMESTAMP(3),
    "consentChannel" "ChannelKind",
    "emergency" JSONB,
    "mergedIntoId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseLink" (
    "fromId" UUID NOT NULL,
    "toId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseLink_pkey" PRIMARY KEY ("fromId","toId")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "role" "ReferralRole" NOT NULL,
    "step" "ReferralStep" NOT NULL,
    "unitKind" "UnitKind" NOT NULL,
    "agencyId" UUID,
    "townshipId" UUID,
    "status" "ReferralStatus" NOT NULL DEFAULT 'created',
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "signDueAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "dispatchedAt" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),
    "signedById" UUID,
    "startedAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "returnedAt" TIMESTAMP(3),
    "returnReason" TEXT,
    "feedbackResult" TEXT,
    "feedbackDate" TIMESTAMP(3),
    "feedbackHandler" TEXT,
    "feedbackNote" TEXT,
    "satisfaction" TEXT,
    "satisfactionNote" TEXT,
    "reopenCount" INTEGER NOT NULL DEFAULT 0,
    "extensionRequestedAt" TIMESTAMP(3),
    "extensionReason" TEXT,
    "extensionDueAt" TIMESTAMP(3),
    "extensionApprovedAt" TIMESTAMP(3),
    "extensionApprovedById" UUID,
    "mergedIntoId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralPause" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "from" TIMESTAMP(3) NOT NULL,
    "to" TIMESTAMP(3),

    CONSTRAINT "ReferralPause_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralTimer" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "step" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "ReferralTimer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutyTask" (
    "id" UUID NOT NULL,
    "kind" "DutyTaskKind" NOT NULL,
    "status" "DutyTaskStatus" NOT NULL DEFAULT 'open',
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,
    "caseId" UUID,
    "conversationId" UUID,
    "contact" TEXT,
    "recordingUrl" TEXT,
    "takenById" UUID,
    "takenAt" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DutyTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyPerson" (
    "id" UUID NOT NULL,
    "townshipId" UUID NOT NULL,
    "villageId" UUID,
    "name" TEXT NOT NULL,
    "idNumberEnc" TEXT,
    "idNumberHash" TEXT,
    "idNumberMasked" TEXT,
    "phone" TEXT,
    "category" TEXT NOT NULL,
    "note" TEXT,
    "visitEveryDays" INTEGER NOT NULL DEFAULT 30,
    "nextVisitDue" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeyPerson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" UUID NOT NULL,
    "keyPersonId" UUID NOT NULL,
    "staffId" UUID,
    "visitedAt" TIMESTAMP(3) NOT NULL,
    "findings" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyCounter" (
    "scope" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "DailyCounter_pkey" PRIMARY KEY ("scope","day")
);

-- CreateTable
CREATE TABLE "MonthlyReport" (
    "id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "unitKind" "UnitKind" NOT NULL,
    "unitCode" TEXT NOT NULL,
    "figures" JSONB NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MonthlyReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "caseId" UUID,
    "referralId" UUID,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Agency_countyCode_code_key" ON "Agency"("countyCode", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Township_countyCode_code_key" ON "Township"("countyCode", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Village_townshipId_code_key" ON "Village"("townshipId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_tokenHash_key" ON "StaffUser"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Resident_idNumberHash_key" ON "Resident"("idNumberHash");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelIdentity_kind_address_key" ON "ChannelIdentity"("kind", "address");

-- CreateIndex
CREATE INDEX "Conversation_identityId_lastMessageAt_idx" ON "Conversation"("identityId", "lastMessageAt");

-- CreateIndex
CREATE UNIQUE INDEX "Message_idempotencyKey_key" ON "Message"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Message_conversationId_createdAt_idx" ON "Message"("conversationId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_status_direction_idx" ON "Message"("status", "direction");

-- CreateIndex
CREATE UNIQUE INDEX "Message_channel_direction_providerId_key" ON "Message"("channel", "direction", "providerId");

-- CreateIndex
CREATE UNIQUE INDEX "Case_trackingNumber_key" ON "Case"("trackingNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Case_openedByMessageId_key" ON "Case"("openedByMessageId");

-- CreateIndex
CREATE INDEX "Case_idNumberHash_idx" ON "Case"("idNumberHash");

-- CreateIndex
CREATE INDEX "Case_phone_idx" ON "Case"("phone");

-- CreateIndex
CREATE INDEX "Case_status_createdAt_idx" ON "Case"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_trackingNumber_key" ON "Referral"("trackingNumber");

-- CreateIndex
CREATE INDEX "Referral_status_dueAt_idx" ON "Referral"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Referral_townshipId_status_idx" ON "Referral"("townshipId", "status");

-- CreateIndex
CREATE INDEX "Referral_agencyId_status_idx" ON "Referral"("agencyId", "status");

-- CreateIndex
CREATE INDEX "Referral_caseId_idx" ON "Referral"("caseId");

-- CreateIndex
CREATE INDEX "ReferralPause_referralId_idx" ON "ReferralPause"("referralId");

-- CreateIndex
CREATE INDEX "ReferralTimer_dueAt_idx" ON "ReferralTimer"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralTimer_referralId_step_key" ON "ReferralTimer"("referralId", "step");

-- CreateIndex
CREATE INDEX "DutyTask_status_urgent_createdAt_idx" ON "DutyTask"("status", "urgent", "createdAt");

-- CreateIndex
CREATE INDEX "KeyPerson_townshipId_nextVisitDue_idx" ON "KeyPerson"("townshipId", "nextVisitDue");

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyReport_month_unitKind_unitCode_key" ON "MonthlyReport"("month", "unitKind", "unitCode");

-- CreateIndex
CREATE INDEX "AuditEvent_caseId_at_idx" ON "AuditEvent"("caseId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_referralId_at_idx" ON "AuditEvent"("referralId", "at");

-- AddForeignKey
ALTER TABLE "Agency" ADD CONSTRAINT "Agency_countyCode_fkey" FOREIGN KEY ("countyCode") REFERENCES "County"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Township" ADD CONSTRAINT "Township_countyCode_fkey" FOREIGN KEY ("countyCode") REFERENCES "County"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Village" ADD CONSTRAINT "Village_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffUser" ADD CONSTRAINT "StaffUser_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffUser" ADD CONSTRAINT "StaffUser_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelIdentity" ADD CONSTRAINT "ChannelIdentity_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "ChannelIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_heldById_fkey" FOREIGN KEY ("heldById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseLink" ADD CONSTRAINT "CaseLink_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseLink" ADD CONSTRAINT "CaseLink_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralPause" ADD CONSTRAINT "ReferralPause_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralTimer" ADD CONSTRAINT "ReferralTimer_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DutyTask" ADD CONSTRAINT "DutyTask_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DutyTask" ADD CONSTRAINT "DutyTask_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DutyTask" ADD CONSTRAINT "DutyTask_takenById_fkey" FOREIGN KEY ("takenById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyPerson" ADD CONSTRAINT "KeyPerson_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyPerson" ADD CONSTRAINT "KeyPerson_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_keyPersonId_fkey" FOREIGN KEY ("keyPersonId") REFERENCES "KeyPerson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;
