-- AlterTable
ALTER TABLE "WorkItem" ADD COLUMN     "pendingBreachAt" TIMESTAMP(3),
ADD COLUMN     "pendingWarningAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "WorkItem_pendingWarningAt_idx" ON "WorkItem"("pendingWarningAt");

-- CreateIndex
CREATE INDEX "WorkItem_pendingBreachAt_idx" ON "WorkItem"("pendingBreachAt");

-- Existing items: what the sweep has still to send, from the same rules it applied so far.
UPDATE "WorkItem" SET "pendingBreachAt" = "dueAt"
WHERE "dueAt" IS NOT NULL AND "slaBreachedAt" IS NULL AND status NOT IN ('RESOLVED', 'CLOSED');

UPDATE "WorkItem" AS i SET "pendingWarningAt" = i."dueAt" - make_interval(mins => p."warnBeforeMinutes")
FROM "SlaPolicy" AS p
WHERE p.id = i."slaPolicyId" AND p."warnBeforeMinutes" > 0 AND i."dueAt" IS NOT NULL
  AND i."slaWarnedAt" IS NULL AND i."slaBreachedAt" IS NULL AND i.status NOT IN ('RESOLVED', 'CLOSED');
