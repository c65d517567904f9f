-- A user's language is theirs only once they choose it (updateProfile), and until then it follows
-- the request (?locale=, Accept-Language) and then the product's default language.
ALTER TABLE "User" ALTER COLUMN "locale" DROP NOT NULL,
ALTER COLUMN "locale" DROP DEFAULT;

-- Every user so far got "en" without choosing: English is also where the fallback ends.
UPDATE "User" SET "locale" = NULL WHERE "locale" = 'en';
