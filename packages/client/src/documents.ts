/**
 * A GraphQL operation typed with its result and variables: GraphQL Code Generator's
 * `TypedDocumentString` (its string document mode), or a plain string. The client sends the
 * text as it is, so it needs no GraphQL printer.
 */
export interface TypedDocument<TResult = unknown, TVariables = Record<string, unknown>> {
  /** Carries the types only; never set. */
  __apiType?: (variables: TVariables) => TResult;
  toString(): string;
}

export type Variables = Record<string, unknown>;

/** The text of a document; a parsed one (`DocumentNode`) works when it kept its source. */
export function queryText(document: TypedDocument<unknown, never> | string): string {
  if (typeof document === 'string') return document;
  const source = (document as { loc?: { source?: { body?: unknown } }; kind?: unknown }).kind
    ? (document as { loc?: { source?: { body?: unknown } } }).loc?.source?.body
    : String(document);
  if (typeof source !== 'string') {
    throw new TypeError(
      'Pass the operation as a string or a TypedDocumentString (codegen documentMode: "string"): this parsed document has no source text.',
    );
  }
  return source;
}
