import { builder } from '../../graphql/builder.ts';
import {
  type SecurityAlertSettings,
  securityAlertSettings,
  updateSecurityAlertSettings,
} from '../../security/settings.ts';

const SecurityAlertSettingsRef = builder.objectRef<SecurityAlertSettings>('SecurityAlertSettings').implement({
  description:
    'Where security alerts go besides the owners’ and admins’ notifications and emails: a Slack incoming webhook.',
  fields: (t) => ({
    slackWebhookUrl: t.exposeString('slackWebhookUrl', {
      nullable: true,
      description: 'Masked (scheme, host and the last characters): the URL is a secret. Null when none is set.',
    }),
  }),
});

const UpdateSecurityAlertSettingsInput = builder.inputType('UpdateSecurityAlertSettingsInput', {
  fields: (t) => ({
    slackWebhookUrl: t.string({
      description:
        'A Slack incoming-webhook URL (https); alerts are posted to it as `{ "text": … }`. null or "" removes it.',
    }),
  }),
});

builder.queryFields((t) => ({
  securityAlertSettings: t.withAuth({ scope: 'read:organization' }).field({
    type: SecurityAlertSettingsRef,
    description: 'The security alert settings of the organization the caller acts in.',
    resolve: (_root, _args, { app, principal }) => securityAlertSettings(app, principal.organizationId),
  }),
}));

builder.mutationFields((t) => ({
  updateSecurityAlertSettings: t.withAuth({ scope: 'write:organization' }).field({
    type: SecurityAlertSettingsRef,
    description: 'Sets or removes the Slack incoming webhook that security alerts are posted to.',
    args: { input: t.arg({ type: UpdateSecurityAlertSettingsInput, required: true }) },
    resolve: (_root, { input }, caller) => updateSecurityAlertSettings(caller, input),
  }),
}));
