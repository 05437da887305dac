-- AlterTable
ALTER TABLE "Disruption" ADD COLUMN "followUpBy" TEXT;
