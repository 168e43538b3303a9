-- AlterEnum
ALTER TYPE "MessageStatus" ADD VALUE 'in_response';

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "published" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "tokenExpiresAt" TIMESTAMP(3);
