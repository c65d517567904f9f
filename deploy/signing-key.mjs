// Prints a new ES256 signing key as the JWT_PRIVATE_KEY line of an .env file (a JWK on one line).
import { generateKeyPairSync } from 'node:crypto';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
console.log(`JWT_PRIVATE_KEY='${JSON.stringify(privateKey.export({ format: 'jwk' }))}'`);
