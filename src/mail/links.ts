/** A link of an email: the configured template with the token in place of `{token}`. */
export const linkWith = (template: string, token: string) => template.replaceAll('{token}', encodeURIComponent(token));
