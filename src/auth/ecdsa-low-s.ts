// An ECDSA signature (r, s) has a twin, (r, n - s), that verifies just as well, so every
// ES256 JWT has a second valid encoding that a holder of the token can make without any key.
// Anything keyed by the token's text (the verified-token cache, a deny list, a replay check)
// would see two tokens. Herald signs only the low form (s ≤ n / 2) and refuses the high one.

/** The order of the P-256 group. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = N >> 1n;
/** An ES256 JWS signature: r and s, 32 bytes each, big-endian (RFC 7518 §3.4). */
const SIGNATURE_BYTES = 64;

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

function signatureOf(jws: string): Buffer | undefined {
  const part = jws.slice(jws.lastIndexOf('.') + 1);
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.length === SIGNATURE_BYTES ? bytes : undefined;
}

/** Whether a compact ES256 JWS carries its signature in the low-S form. */
export function hasLowS(jws: string): boolean {
  const signature = signatureOf(jws);
  return signature !== undefined && toBigInt(signature.subarray(32)) <= HALF_N;
}

/** The same compact ES256 JWS with its signature in the low-S form (unchanged if it already is). */
export function withLowS(jws: string): string {
  const signature = signatureOf(jws);
  if (!signature) throw new Error('not an ES256 signature');
  const s = toBigInt(signature.subarray(32));
  if (s <= HALF_N) return jws;
  const low = Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex');
  const twin = Buffer.concat([signature.subarray(0, 32), low]);
  return `${jws.slice(0, jws.lastIndexOf('.') + 1)}${twin.toString('base64url')}`;
}
