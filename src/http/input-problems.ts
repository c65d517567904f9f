// What graphql-js says about a bad variable, read back into the field it names and a message
// of our own in the request's language, keeping its help: the values an enum allows and the
// one it suggests, the type expected, the unknown field. What we cannot read keeps
// graphql-js's own explanation, after the field.
import { type GraphQLError, isEnumType } from 'graphql';
import { ScalarProblem } from '../graphql/scalar-problem.ts';
import type { MessageKey, MessageParams } from '../i18n/messages.ts';
import { schema } from '../schema/index.ts';

export interface InputProblem {
  field: string;
  key: MessageKey;
  params: MessageParams;
}

// `Variable "$input" got invalid value "high" at "input.priority"; <reason>`
const invalidVariable =
  /^Variable "\$(\w+)" got invalid value ([\s\S]*?)(?: at "\w+((?:\.\w+|\[\d+\])*)")?; ([\s\S]*)$/;
const missingVariable =
  /^Variable "\$(\w+)" of (?:required|non-null) type "[^"]+" (?:was not provided|must not be null)\.$/;

/** graphql-js's "Did you mean" list, as the values it quotes. */
const suggestions = (text: string | undefined) => (text ? [...text.matchAll(/"[^"]+"/g)].map((m) => m[0]) : []);

export function scalarProblemOf(error: unknown): ScalarProblem | undefined {
  for (let cause = error; cause; cause = (cause as { originalError?: unknown }).originalError) {
    if (cause instanceof ScalarProblem) return cause;
  }
  return undefined;
}

function explain(field: string, value: string, reason: string, error: GraphQLError): InputProblem {
  const scalar = scalarProblemOf(error);
  if (scalar) return { field, key: scalar.fieldMessageKey, params: { field } };

  const required = /^Field "(\w+)" of required type "[^"]+" was not provided\.$/.exec(reason);
  if (required) {
    const inner = field ? `${field}.${required[1]}` : (required[1] as string);
    return { field: inner, key: 'required', params: { field: inner } };
  }
  if (/^Expected non-nullable type "[^"]+" not to be null\.$/.test(reason)) {
    return { field, key: 'required', params: { field } };
  }
  const unknown = /^Field "(\w+)" is not defined by type "(\w+)"\.(?: Did you mean (.*)\?)?$/.exec(reason);
  if (unknown) {
    const inner = field ? `${field}.${unknown[1]}` : (unknown[1] as string);
    const [suggestion] = suggestions(unknown[3]);
    return suggestion
      ? {
          field: inner,
          key: 'unknownFieldSuggestion',
          params: { field: inner, type: unknown[2] as string, suggestion },
        }
      : { field: inner, key: 'unknownField', params: { field: inner, type: unknown[2] as string } };
  }
  const enumValue = /^Value (.*) does not exist in "(\w+)" enum\.(?: Did you mean (.*)\?)?$/.exec(reason);
  const enumType = enumValue && schema.getType(enumValue[2] as string);
  if (enumValue && isEnumType(enumType)) {
    const allowed = enumType
      .getValues()
      .map((v) => v.name)
      .join(', ');
    const [suggestion] = suggestions(enumValue[3]);
    const params = { field, value: enumValue[1] as string, allowed };
    return suggestion
      ? { field, key: 'enumValueSuggestion', params: { ...params, suggestion } }
      : { field, key: 'enumValue', params };
  }
  const type =
    /^(\w+) cannot represent /.exec(reason)?.[1] ??
    /^Expected type "(\w+)"(?: to be an object)?\.$/.exec(reason)?.[1] ??
    /^Enum "(\w+)" cannot represent /.exec(reason)?.[1];
  if (type) return { field, key: 'expectedType', params: { field, type, value } };
  return { field, key: 'invalidValueBecause', params: { field, reason } };
}

/** The field and message of a bad-variable error, or undefined for any other error. */
export function inputProblemOf(error: GraphQLError): InputProblem | undefined {
  const missing = missingVariable.exec(error.message);
  if (missing) return { field: missing[1] as string, key: 'required', params: { field: missing[1] as string } };
  const invalid = invalidVariable.exec(error.message);
  if (!invalid) return undefined;
  const [, variable, value, path, reason] = invalid as unknown as [string, string, string, string | undefined, string];
  // The path inside the variable (`input.priority` → `priority`); the variable itself otherwise.
  const field = path ? path.replace(/^\./, '') : '';
  const problem = explain(field, value, reason, error);
  if (problem.field) return problem;
  return explain(variable, value, reason, error);
}
