export {
  createHeraldClient,
  type HeraldClient,
  type HeraldClientOptions,
  type SignInResult,
  type Sink,
} from './client.ts';
export type { TypedDocument, Variables } from './documents.ts';
export { type GraphQLErrorShape, HeraldError, type HeraldErrorCode } from './errors.ts';
export type { SessionChange, SessionChangeType } from './keeper.ts';
export type { Organization, Session, User } from './session.ts';
export type { StorageAdapter, StorageOption } from './storage.ts';
