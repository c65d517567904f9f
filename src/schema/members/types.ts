import type { Invitation } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { Role } from '../accounts/types.ts';

export const InvitationRef = builder.objectRef<Invitation>('Invitation').implement({
  description: 'A pending invitation; the token travels only in the email.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: Role }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
