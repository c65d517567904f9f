// Lists are Relay connections: pages are fetched until the limit or the end.
import { progress } from './output.ts';

export interface Page<TNode> {
  edges: readonly { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface Collected<TNode> {
  nodes: TNode[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** The most Herald answers in one page. */
export const MAX_PAGE = 100;

/** Pages through a connection from `after`, up to `limit` nodes (Infinity: all of them). */
export async function collect<TNode>(
  fetchPage: (first: number, after: string | undefined) => Promise<Page<TNode>>,
  { limit = Number.POSITIVE_INFINITY, after, what = 'rows' }: { limit?: number; after?: string; what?: string } = {},
): Promise<Collected<TNode>> {
  const nodes: TNode[] = [];
  const shown = progress();
  let cursor = after;
  let more = true;
  try {
    while (more && nodes.length < limit) {
      const page = await fetchPage(Math.min(MAX_PAGE, limit - nodes.length), cursor);
      nodes.push(...page.edges.map((edge) => edge.node));
      more = page.pageInfo.hasNextPage;
      cursor = page.pageInfo.endCursor ?? undefined;
      if (more) shown.update(`${nodes.length} ${what}…`);
    }
  } finally {
    shown.done();
  }
  return { nodes, hasNextPage: more, endCursor: cursor ?? null };
}
