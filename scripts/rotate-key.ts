// Retires the embedded signing key and generates a new one. The retired public key stays
// in the JWKS, and keeps verifying, until the access tokens it signed have expired.
// Restart the server afterwards. With JWT_PRIVATE_KEY, rotate by moving the old public key
// into JWT_RETIRED_PUBLIC_KEYS instead.
import { rotateLocalKey } from '../src/auth/keys.ts';
import { loadConfig } from '../src/platform/config.ts';

const config = loadConfig();
if (config.JWT_PRIVATE_KEY) {
  console.error('JWT_PRIVATE_KEY is set: rotate it where it is configured.');
  process.exit(2);
}
const kid = await rotateLocalKey(config.DATA_DIR, config.ACCESS_TOKEN_TTL);
console.log(
  `New signing key ${kid}; the old one is published for ${config.ACCESS_TOKEN_TTL} s more. Restart to sign with it.`,
);
