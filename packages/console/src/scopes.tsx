// The scope picker: the modules the admin's own scopes name, read and write, offering only
// what the admin holds (Herald refuses more anyway: no one hands out what they lack).
import { useId } from 'preact/hooks';
import { type MessageKey, t } from './i18n.ts';
import { grants } from './session.ts';

type Action = 'read' | 'write';

/** The modules named by `held`, in the order Herald lists them. */
export function modulesOf(held: readonly string[]): string[] {
  return [...new Set(held.map((scope) => scope.split(':')[1] as string).filter((module) => module && module !== '*'))];
}

const MODULE_NAMES: Record<string, MessageKey> = {
  organization: 'moduleOrganization',
  members: 'moduleMembers',
  service_accounts: 'moduleServiceAccounts',
  tokens: 'moduleTokens',
  work_items: 'moduleWorkItems',
  sla_policies: 'moduleSlaPolicies',
  notifications: 'moduleNotifications',
  audit: 'moduleAudit',
  products: 'moduleProducts',
  subscriptions: 'moduleSubscriptions',
};

/** Each module's strongest chosen action; `write:X` already holds `read:X`. */
function chosenAction(chosen: readonly string[], module: string): Action | null {
  if (chosen.includes(`write:${module}`) || chosen.includes('write:*')) return 'write';
  if (chosen.includes(`read:${module}`) || chosen.includes('read:*')) return 'read';
  return null;
}

export function ScopePicker(props: {
  held: readonly string[];
  value: string[];
  onValue: (scopes: string[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const modules = modulesOf(props.held);
  const everyModule = (action: Action) => modules.every((module) => grants(props.held, `${action}:${module}`));
  const wildcards = (['read', 'write'] as const).filter(everyModule);
  const set = (module: string, action: Action | null) => {
    const others = props.value.filter((scope) => scope.split(':')[1] !== module);
    props.onValue(action ? [...others, `${action}:${module}`] : others);
  };
  const toggleWildcard = (scope: string, on: boolean) =>
    props.onValue(on ? [scope, ...props.value.filter((s) => s !== scope)] : props.value.filter((s) => s !== scope));
  // A wildcard chosen covers every module: the rows it covers show it and cannot go below it.
  const covered = chosenAction(props.value, '*');
  const described = [`${id}-explained`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset class={props.error ? 'scopes invalid' : 'scopes'} aria-describedby={described}>
      <legend>{t('scopes')}</legend>
      <p class="hint" id={`${id}-explained`}>
        {t('scopesExplained')}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('module')}</th>
            <th scope="col">{t('accessNone')}</th>
            <th scope="col">{t('accessRead')}</th>
            <th scope="col">{t('accessWrite')}</th>
          </tr>
        </thead>
        <tbody>
          {modules.map((module) => {
            const chosen = chosenAction(props.value, module);
            const name = `${id}-${module}`;
            const label = MODULE_NAMES[module] ? t(MODULE_NAMES[module]) : module;
            const choice = (action: Action | null) => {
              const scope = action ? `${action}:${module}` : '';
              const offered = action === null || grants(props.held, scope);
              const text = action === null ? t('accessNone') : scope;
              return (
                <td>
                  {offered ? (
                    <label class="choice">
                      <input
                        type="radio"
                        name={name}
                        value={scope}
                        checked={chosen === action}
                        disabled={covered === 'write' || (covered === 'read' && action !== 'write')}
                        onChange={() => set(module, action)}
                      />
                      <span class="visually-hidden">{action ? text : `${text} (${label})`}</span>
                    </label>
                  ) : (
                    <span class="muted" title={t('scopeNotHeld', { scope })}>
                      <span aria-hidden="true">–</span>
                      <span class="visually-hidden">{t('scopeNotHeld', { scope })}</span>
                    </span>
                  )}
                </td>
              );
            };
            return (
              <tr key={module}>
                <th scope="row">
                  {label} <span class="mono muted">{module}</span>
                </th>
                {choice(null)}
                {choice('read')}
                {choice('write')}
              </tr>
            );
          })}
        </tbody>
      </table>
      {wildcards.length > 0 ? (
        <div class="wildcards">
          {wildcards.map((action) => (
            <label class="choice" key={action}>
              <input
                type="checkbox"
                checked={props.value.includes(`${action}:*`)}
                onChange={(event) => toggleWildcard(`${action}:*`, (event.target as HTMLInputElement).checked)}
              />
              <span class="mono">{`${action}:*`}</span> {t(action === 'read' ? 'wildcardRead' : 'wildcardWrite')}
            </label>
          ))}
        </div>
      ) : null}
      <p class="chosen">
        {t('chosenScopes')}{' '}
        <span class="mono">{props.value.length > 0 ? [...props.value].sort().join(' ') : t('accessNone')}</span>
      </p>
      {props.error ? (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}
