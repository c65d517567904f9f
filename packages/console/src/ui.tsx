// The console's building blocks. Each input has its label, its hint and its error tied to it
// (aria-describedby, aria-invalid), dialogs are the browser's modal <dialog> (focus kept
// inside, Escape closes), and nothing is styled inline: the Content-Security-Policy allows
// only the console's own stylesheet.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { exactTime, relativeTime, t } from './i18n.ts';
import { hasNavigated, href, isPlainClick, navigate } from './router.ts';

export function Link(props: { to: string; children: ComponentChildren; class?: string; current?: boolean }) {
  return (
    <a
      href={href(props.to)}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (!isPlainClick(event)) return;
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

/**
 * The page's heading, focused when the person moves to the page within the console so that
 * screen readers announce where they are (a first load starts at the top, with the skip link).
 */
export function PageTitle(props: { children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);
  useEffect(() => {
    document.title = `${heading.current?.textContent ?? ''} · ${t('appName')}`;
  });
  return (
    <h1 ref={heading} tabIndex={-1}>
      {props.children}
    </h1>
  );
}

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
}

function useFieldIds(props: FieldProps) {
  const id = useId();
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, described: described || undefined };
}

function FieldParts(props: FieldProps & { id: string; children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    name: string;
    value: string;
    onValue?: (value: string) => void;
    type?: 'text' | 'email' | 'password' | 'date' | 'url' | 'number';
    autoComplete?: string;
    required?: boolean;
    readOnly?: boolean;
    class?: string;
  },
) {
  const { id, described } = useFieldIds(props);
  return (
    <FieldParts id={id} label={props.label} error={props.error} hint={props.hint}>
      <input
        // Preact types each input type apart; one of them stands for all the field takes.
        type={(props.type ?? 'text') as 'text'}
        id={id}
        name={props.name}
        class={props.class}
        autoComplete={props.autoComplete}
        required={props.required}
        readOnly={props.readOnly}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
        onInput={(event) => props.onValue?.((event.target as HTMLInputElement).value)}
      />
    </FieldParts>
  );
}

export function SelectField(
  props: FieldProps & {
    name: string;
    value: string;
    onValue: (value: string) => void;
    options: { value: string; label: string }[];
  },
) {
  const { id, described } = useFieldIds(props);
  return (
    <FieldParts id={id} label={props.label} error={props.error} hint={props.hint}>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
        onChange={(event) => props.onValue((event.target as HTMLSelectElement).value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldParts>
  );
}

/** A message for the whole form, read out when it appears. */
export function FormError(props: { message: string | null }) {
  if (!props.message) return null;
  return (
    <p class="alert" role="alert">
      {props.message}
    </p>
  );
}

/** A polite announcement for screen readers (and a visible note), e.g. "Copied". */
export function Status(props: { message: string | null; class?: string }) {
  return (
    <p class={props.class ?? 'status'} role="status">
      {props.message ?? ''}
    </p>
  );
}

export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** A dialog that must not close by Escape alone (the token shown once). */
  dismissible?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    element.showModal();
    return () => element.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={heading}
      onCancel={(event) => {
        event.preventDefault();
        if (props.dismissible !== false) props.onClose();
      }}
    >
      <h2 id={heading}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** "Are you sure?" with what will happen, the action named on its button. */
export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirm: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div class="dialog-body">{props.children}</div>
      <FormError message={error} />
      <div class="actions">
        <button type="button" onClick={props.onClose}>
          {t('cancel')}
        </button>
        <button
          type="button"
          class={props.danger ? 'danger' : 'primary'}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await props.onConfirm();
              props.onClose();
            } catch (problem) {
              setError(problem instanceof Error ? problem.message : String(problem));
              setBusy(false);
            }
          }}
        >
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}

/** A secret shown once: selectable text, a copy button, and a clear warning. */
export function SecretOnce(props: { label: string; value: string; id?: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const field = useId();
  return (
    <div class="secret">
      <label for={field}>{props.label}</label>
      <div class="secret-row">
        <input
          ref={input}
          id={field}
          data-secret={props.id}
          class="mono"
          readOnly
          value={props.value}
          onFocus={(event) => (event.target as HTMLInputElement).select()}
        />
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(props.value);
              setCopied(t('copied'));
            } catch {
              input.current?.select();
              setCopied(t('copyByHand'));
            }
          }}
        >
          {t('copy')}
        </button>
      </div>
      <Status message={copied} />
    </div>
  );
}

/** A time as "3 minutes ago", the exact time on hover and for screen readers. */
export function Time(props: { value: string | null | undefined; never?: string }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!props.value) return <span class="muted">{props.never ?? '—'}</span>;
  const date = new Date(props.value);
  const exact = exactTime(date);
  return (
    <time dateTime={props.value} title={exact}>
      <span aria-hidden="true">{relativeTime(date)}</span>
      <span class="visually-hidden">{`${relativeTime(date)} (${exact})`}</span>
    </time>
  );
}

export function Badge(props: { tone: 'ok' | 'warn' | 'off'; children: ComponentChildren }) {
  return <span class={`badge ${props.tone}`}>{props.children}</span>;
}

/** A table that scrolls sideways on a narrow screen, reachable by keyboard. */
export function TableScroll(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section class="table-scroll" aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}

export function Loading() {
  return (
    <p class="muted" role="status">
      {t('loading')}
    </p>
  );
}
