-- AlterTable
ALTER TABLE "Disruption" ADD COLUMN "resolution" TEXT;
