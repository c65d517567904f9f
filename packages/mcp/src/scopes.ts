// Herald's scope grammar, as far as listing tools needs it: `<action>:<module>`, where
// `write:X` implies `read:X`, `write:*` everything and `read:*` every read.

/** Whether scopes `held` allow `required`. */
export function covers(held: readonly string[], required: string): boolean {
  const [action, module] = required.split(':');
  return held.some((scope) => {
    const [heldAction, heldModule] = scope.split(':');
    if (heldModule !== module && heldModule !== '*') return false;
    return heldAction === 'write' || heldAction === action;
  });
}
