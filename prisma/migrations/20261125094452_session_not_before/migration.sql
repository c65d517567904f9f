-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "sessionsNotBefore" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionsNotBefore" TIMESTAMP(3);
