// The links that invitation and password reset emails carry. Herald is headless: they belong
// to the product's frontend (INVITATION_URL, PASSWORD_RESET_URL). Unset, they lead to Herald's
// own landing pages, which tell a newcomer what to do with the token instead of a 404.
import type { Config } from '../platform/config.ts';

export type EmailLink = 'invitation' | 'passwordReset';

/** Herald's own page for each link, served by src/http/link-pages.ts. */
export const LANDING_PATHS: Record<EmailLink, string> = {
  invitation: '/accept-invitation',
  passwordReset: '/reset-password',
};

/** A product's own templates for the links (null: Herald's landing page). */
export interface LinkTemplates {
  invitationUrl: string | null;
  passwordResetUrl: string | null;
}

/**
 * The link for `token`: the product's template (else, without one given, the configured
 * template), else the landing page, with the token URL-encoded.
 */
export function emailLink(config: Config, link: EmailLink, token: string, templates?: LinkTemplates): string {
  const configured = templates
    ? link === 'invitation'
      ? templates.invitationUrl
      : templates.passwordResetUrl
    : link === 'invitation'
      ? config.INVITATION_URL
      : config.PASSWORD_RESET_URL;
  const template = configured ?? `${new URL(LANDING_PATHS[link], config.publicUrl).href}?token={token}`;
  return template.replaceAll('{token}', encodeURIComponent(token));
}
