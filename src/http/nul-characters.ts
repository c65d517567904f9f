// PostgreSQL text cannot hold a NUL character: a string with one fails in the database and
// came back as INTERNAL. Every argument of the operation is read as graphql-js will hand it to
// the resolvers (variables coerced, literals and nested input fields and lists included), and
// a NUL anywhere in it refuses the whole operation as BAD_USER_INPUT naming the field, before
// any resolver runs. Once here, so that no field can forget it.
import {
  BREAK,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type AppError, badInput } from '../platform/errors.ts';

/** The path of the first string holding a NUL inside `value`, from `path`, or undefined. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The field holding a NUL in any argument of the operation `args` runs, named as BAD_USER_INPUT
 * names fields: its path inside a mutation's `input`, or the argument's own name.
 */
export function nulCharacterField(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
): string | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  // Variables graphql-js cannot coerce are refused by it, with their own message.
  if (coerced.errors) return undefined;
  const variables = coerced.coerced;
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
  );

  let found: string | undefined;
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const definition = typeInfo.getFieldDef();
      if (found !== undefined || !definition || !node.arguments?.length) return;
      let values: Record<string, unknown>;
      try {
        values = getArgumentValues(definition, node, variables);
      } catch {
        return; // execution reports a bad argument itself
      }
      for (const [name, value] of Object.entries(values)) {
        found = nulPath(value, name === 'input' ? '' : name);
        if (found !== undefined) {
          found ||= name;
          return;
        }
      }
    },
  });
  for (const node of [operation, ...fragments]) {
    visit(node, visitor);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether any string literal of a document holds a NUL; yoga reuses parsed documents, so once each. */
const literalNul = new WeakMap<DocumentNode, boolean>();
function hasNulLiteral(document: DocumentNode): boolean {
  let has = literalNul.get(document);
  if (has === undefined) {
    has = false;
    visit(document, {
      StringValue(node) {
        if (!node.value.includes('\0')) return;
        has = true;
        return BREAK;
      },
    });
    literalNul.set(document, has);
  }
  return has;
}

function problemOf(args: ExecutionArgs): AppError | undefined {
  const variables = args.variableValues as Record<string, unknown> | null | undefined;
  // Nearly every operation has no NUL anywhere: it costs one walk of its variables.
  if (nulPath(variables, '') === undefined && !hasNulLiteral(args.document)) return undefined;
  const field = nulCharacterField(args.schema, args.document, args.operationName, variables);
  return field === undefined ? undefined : badInput(field, 'nulCharacter');
}

/** Refuses operations with a NUL in any string argument (put it before the error presenter, which then translates). */
export function refuseNulCharacters(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        const problem = problemOf(args);
        return problem ? { errors: [problem] } : executeFn(args);
      });
    },
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn((args) => {
        const problem = problemOf(args);
        return problem ? { errors: [problem] } : subscribeFn(args);
      });
    },
  };
}
