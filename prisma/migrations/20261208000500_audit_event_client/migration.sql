-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "client" TEXT;
