// Reading and writing through @herald/client from components: a query's state that reloads
// when its variables change, and the errors a form shows (next to the field Herald names, or
// above the form when it names none of the form's fields).
import type { TypedDocument } from '@herald/client';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { HeraldError, herald } from './herald.ts';

export interface Query<T> {
  data: T | undefined;
  error: HeraldError | undefined;
  loading: boolean;
  reload(): Promise<void>;
}

const asHeraldError = (error: unknown) =>
  error instanceof HeraldError ? error : new HeraldError({ code: 'INTERNAL', message: String(error) });

export function useQuery<TResult, TVariables extends Record<string, unknown>>(
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  options: { skip?: boolean } = {},
): Query<TResult> {
  const [state, setState] = useState<{ data?: TResult; error?: HeraldError; loading: boolean }>({
    loading: !options.skip,
  });
  const key = JSON.stringify(variables);
  const latest = useRef(0);
  const run = useCallback(async () => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await herald.request(document, JSON.parse(key) as TVariables);
      if (ticket === latest.current) setState({ data, loading: false });
    } catch (error) {
      if (ticket === latest.current) setState({ error: asHeraldError(error), loading: false });
    }
  }, [document, key]);
  useEffect(() => {
    if (!options.skip) void run();
  }, [run, options.skip]);
  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}

export interface FormErrors {
  /** Messages by field name, for the fields of the form. */
  fields: Record<string, string>;
  /** A message that belongs to no field of the form. */
  form: string | null;
}

export const noErrors: FormErrors = { fields: {}, form: null };

/** Where an error is shown: next to one of `fields` when Herald names it, else above the form. */
export function formErrors(error: unknown, fields: readonly string[]): FormErrors {
  const problem = asHeraldError(error);
  // A field of the form, or a part of one (`rateLimit.limit` belongs to `rateLimit`).
  const field = fields.find((name) => problem.field === name || problem.field?.startsWith(`${name}.`));
  if (field) return { fields: { [field]: problem.message }, form: null };
  return { fields: {}, form: problem.message };
}

/**
 * A form's submission: busy while it runs, its errors placed by `formErrors`. `action` answers
 * nothing the form needs to keep; it moves on by itself (closes a dialog, navigates).
 */
export function useSubmit(fields: readonly string[], action: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(noErrors);
    try {
      await action();
    } catch (error) {
      setErrors(formErrors(error, fields));
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, submit, reset: () => setErrors(noErrors) };
}
