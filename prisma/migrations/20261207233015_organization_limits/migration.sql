-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "limitConcurrentRequests" INTEGER,
ADD COLUMN     "limitLiveConnections" INTEGER,
ADD COLUMN     "limitRequestsPerDay" INTEGER,
ADD COLUMN     "limitRequestsPerMinute" INTEGER,
ADD COLUMN     "ownConcurrentRequests" INTEGER,
ADD COLUMN     "ownLiveConnections" INTEGER,
ADD COLUMN     "ownRequestsPerDay" INTEGER,
ADD COLUMN     "ownRequestsPerMinute" INTEGER;

-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "defaultConcurrentRequests" INTEGER,
ADD COLUMN     "defaultLiveConnections" INTEGER,
ADD COLUMN     "defaultRequestsPerDay" INTEGER,
ADD COLUMN     "defaultRequestsPerMinute" INTEGER;
