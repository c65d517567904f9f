// Standard Webhooks signatures, made by the reference library (standardwebhooks): the secret
// is `whsec_` + base64 of the key, the signed content `<webhook-id>.<webhook-timestamp>.<body>`,
// the signature `v1,<base64 HMAC-SHA256>`. During a rotation's grace period a message carries
// the signatures of the new and the previous secret, space-separated, as the spec allows, so a
// receiver still configured with the old secret keeps verifying until it is updated.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** 32 random bytes: the spec asks for keys of 24 to 64 bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function signatureHeaders(
  secrets: string[],
  messageId: string,
  body: string,
  at: Date = new Date(),
): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' '),
  };
}
