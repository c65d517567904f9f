-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "rateLimit" INTEGER,
ADD COLUMN     "rateLimitWindowSeconds" INTEGER,
ADD COLUMN     "refillAmount" INTEGER,
ADD COLUMN     "refillIntervalSeconds" INTEGER,
ADD COLUMN     "remaining" INTEGER,
ADD COLUMN     "remainingSetAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "OAuthClient" ADD COLUMN     "rateLimit" INTEGER,
ADD COLUMN     "rateLimitWindowSeconds" INTEGER,
ADD COLUMN     "refillAmount" INTEGER,
ADD COLUMN     "refillIntervalSeconds" INTEGER,
ADD COLUMN     "remaining" INTEGER,
ADD COLUMN     "remainingSetAt" TIMESTAMP(3);
