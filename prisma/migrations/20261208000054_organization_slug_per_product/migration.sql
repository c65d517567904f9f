-- DropIndex
DROP INDEX "Organization_slug_key";

-- CreateIndex
CREATE UNIQUE INDEX "Organization_productId_slug_key" ON "Organization"("productId", "slug");
