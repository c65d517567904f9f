// Whether the session operates its product: Herald answers the `product` query's operator fields
// to the owners and admins of the organization that operates it (and to no one else), so the
// console asks only when the session holds `read:products`, and shows operator pages on the answer.
import type { Session } from '@herald/client';
import { type Query, useQuery } from './data.ts';
import { ConsoleProductDocument, type ConsoleProductQuery } from './generated/graphql.ts';
import { can } from './session.ts';

export type OperatedProduct = ConsoleProductQuery['product'];

/** The product the session operates, or null: the operator fields are null for everyone else. */
export function useOperatedProduct(
  session: Session,
): Query<ConsoleProductQuery> & { operated: OperatedProduct | null } {
  const query = useQuery(ConsoleProductDocument, {}, { skip: !can(session, 'read:products') });
  const product = query.data?.product;
  return { ...query, operated: product && product.features !== null ? product : null };
}
