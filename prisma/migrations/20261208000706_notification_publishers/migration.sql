-- CreateTable
CREATE TABLE "NotificationPublisher" (
    "notificationId" UUID NOT NULL,
    "serviceAccountId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,

    CONSTRAINT "NotificationPublisher_pkey" PRIMARY KEY ("notificationId")
);

-- CreateIndex
CREATE INDEX "NotificationPublisher_organizationId_serviceAccountId_notif_idx" ON "NotificationPublisher"("organizationId", "serviceAccountId", "notificationId");

-- AddForeignKey
ALTER TABLE "NotificationPublisher" ADD CONSTRAINT "NotificationPublisher_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;
