-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "revokedByType" "ActorType";

-- AlterTable
ALTER TABLE "OAuthClient" ADD COLUMN     "revokedByType" "ActorType";

-- Credentials revoked before this column existed: the revoker is a user or a service account
-- of the organization, whichever the id names.
UPDATE "ApiToken" SET "revokedByType" = CASE
    WHEN EXISTS (SELECT 1 FROM "ServiceAccount" s WHERE s."id" = "ApiToken"."revokedById") THEN 'SERVICE_ACCOUNT'::"ActorType"
    ELSE 'USER'::"ActorType"
  END
  WHERE "revokedById" IS NOT NULL;

UPDATE "OAuthClient" SET "revokedByType" = CASE
    WHEN EXISTS (SELECT 1 FROM "ServiceAccount" s WHERE s."id" = "OAuthClient"."revokedById") THEN 'SERVICE_ACCOUNT'::"ActorType"
    ELSE 'USER'::"ActorType"
  END
  WHERE "revokedById" IS NOT NULL;
