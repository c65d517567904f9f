-- AlterTable
ALTER TABLE "OutboundEmail" ADD COLUMN     "from" TEXT;
