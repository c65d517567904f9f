-- AlterTable
ALTER TABLE "OutboundEmail" ADD COLUMN     "leaseUntil" TIMESTAMP(3);
