-- CreateTable
CREATE TABLE "UnreadNotificationCount" (
    "recipientId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UnreadNotificationCount_pkey" PRIMARY KEY ("recipientId","organizationId")
);

-- CreateIndex
CREATE INDEX "UnreadNotificationCount_organizationId_idx" ON "UnreadNotificationCount"("organizationId");

-- AddForeignKey
ALTER TABLE "UnreadNotificationCount" ADD CONSTRAINT "UnreadNotificationCount_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnreadNotificationCount" ADD CONSTRAINT "UnreadNotificationCount_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The counts of the notifications already stored.
INSERT INTO "UnreadNotificationCount" ("recipientId", "organizationId", "count")
SELECT "recipientId", "organizationId", COUNT(*)::int FROM "Notification" WHERE "readAt" IS NULL GROUP BY 1, 2;
