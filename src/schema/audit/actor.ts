// Who did something, as the console shows it: a user or a service account by name. The id
// and type come from the row that records the act; the name is read when asked, so it is
// today's name, and null once that user or account is gone.
import type { ActorType } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import type { App } from '../../platform/app.ts';
import { ActorTypeEnum } from './types.ts';

export interface Actor {
  type: ActorType;
  id: string | null;
  /** The organization the act happened in: a service account's name is read only there. */
  organizationId: string;
}

/** The actor a row's `…ById` and `…ByType` columns name, or null when they name none. */
export function actorFrom(type: ActorType | null, id: string | null, organizationId: string): Actor | null {
  return type === null || id === null ? null : { type, id, organizationId };
}

async function nameOf(app: App, actor: Actor): Promise<string | null> {
  if (actor.id === null) return null;
  if (actor.type === 'USER')
    return app.userById(actor.id).then(
      (user) => user.name,
      () => null,
    );
  if (actor.type === 'SERVICE_ACCOUNT') {
    const account = await app.db.serviceAccount.findFirst({
      where: { id: actor.id, organizationId: actor.organizationId },
      select: { name: true },
    });
    return account?.name ?? null;
  }
  return null;
}

export const ActorRef = builder.objectRef<Actor>('Actor').implement({
  description: 'Who did something: a user or a service account.',
  fields: (t) => ({
    type: t.expose('type', { type: ActorTypeEnum }),
    id: t.exposeID('id', { nullable: true }),
    name: t.string({
      nullable: true,
      description: 'The user’s or service account’s name today; null once it is deleted.',
      resolve: (actor, _args, { app }) => nameOf(app, actor),
    }),
  }),
});
