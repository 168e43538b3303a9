-- DropIndex
DROP INDEX "ReferralTimer_dueAt_idx";

-- CreateIndex
CREATE INDEX "ReferralTimer_pending_dueAt_idx" ON "ReferralTimer"("dueAt", "id") WHERE ("firedAt" IS NULL AND "cancelledAt" IS NULL);
