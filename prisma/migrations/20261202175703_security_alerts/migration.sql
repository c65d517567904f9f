-- AlterEnum
ALTER TYPE "NotificationType" ADD VALUE 'SECURITY_ALERT';

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "securityAlertSlackWebhookUrl" TEXT;

-- CreateTable
CREATE TABLE "SecurityAlert" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "hourStart" TIMESTAMP(3) NOT NULL,
    "params" JSONB NOT NULL,
    "slackDueAt" TIMESTAMP(3),
    "slackAttempts" INTEGER NOT NULL DEFAULT 0,
    "slackSentAt" TIMESTAMP(3),
    "slackLastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CredentialIp" (
    "kind" TEXT NOT NULL,
    "credentialId" UUID NOT NULL,
    "ip" TEXT NOT NULL,
    "organizationId" UUID NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CredentialIp_pkey" PRIMARY KEY ("kind","credentialId","ip")
);

-- CreateIndex
CREATE INDEX "SecurityAlert_slackDueAt_idx" ON "SecurityAlert"("slackDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityAlert_organizationId_dedupeKey_hourStart_key" ON "SecurityAlert"("organizationId", "dedupeKey", "hourStart");

-- CreateIndex
CREATE INDEX "CredentialIp_organizationId_idx" ON "CredentialIp"("organizationId");

-- AddForeignKey
ALTER TABLE "SecurityAlert" ADD CONSTRAINT "SecurityAlert_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CredentialIp" ADD CONSTRAINT "CredentialIp_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
