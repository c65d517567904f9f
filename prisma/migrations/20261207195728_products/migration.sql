-- Products: every organization belongs to one. Existing organizations move into the default
-- product, made here under a placeholder slug that no request can name (it breaks the slug
-- syntax), and the first start renames it to DEFAULT_PRODUCT. Every existing organization gets an
-- ACTIVE subscription with all of Herald's modules, so nothing that works today stops.

-- CreateEnum
CREATE TYPE "SubscriptionStatus" AS ENUM ('ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELED');

-- CreateTable
CREATE TABLE "Product" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultLocale" TEXT NOT NULL DEFAULT 'en',
    "features" TEXT[],
    "allowedOrigins" TEXT[],
    "mailFrom" TEXT,
    "invitationUrl" TEXT,
    "passwordResetUrl" TEXT,
    "operatorOrganizationId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

INSERT INTO "Product" ("id", "slug", "name", "features", "allowedOrigins", "updatedAt")
VALUES ('01900000-0000-7000-8000-000000000001', '_default', 'Herald',
  ARRAY['organization', 'members', 'service_accounts', 'tokens', 'work_items', 'sla_policies', 'notifications', 'audit'],
  ARRAY[]::TEXT[], CURRENT_TIMESTAMP);

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "productId" UUID,
ADD COLUMN     "subscriptionFeatures" TEXT[],
ADD COLUMN     "subscriptionPeriodEnd" TIMESTAMP(3),
ADD COLUMN     "subscriptionPlan" TEXT,
ADD COLUMN     "subscriptionStatus" "SubscriptionStatus" NOT NULL DEFAULT 'ACTIVE';

UPDATE "Organization" SET "productId" = '01900000-0000-7000-8000-000000000001',
  "subscriptionFeatures" = ARRAY['organization', 'members', 'service_accounts', 'tokens', 'work_items', 'sla_policies', 'notifications', 'audit'];

ALTER TABLE "Organization" ALTER COLUMN "productId" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Product_slug_key" ON "Product"("slug");

-- CreateIndex
CREATE INDEX "Product_operatorOrganizationId_idx" ON "Product"("operatorOrganizationId");

-- CreateIndex
CREATE INDEX "Organization_productId_id_idx" ON "Organization"("productId", "id");

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_operatorOrganizationId_fkey" FOREIGN KEY ("operatorOrganizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
