-- AlterEnum
ALTER TYPE "ReferralStep" ADD VALUE 'paperwork';

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "followsId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "Referral_followsId_key" ON "Referral"("followsId");

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_followsId_fkey" FOREIGN KEY ("followsId") REFERENCES "Referral"("id") ON DELETE SET NULL ON UPDATE CASCADE;
