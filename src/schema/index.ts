import { builder } from '../builder.ts';
import './accounts/types.ts';
import './accounts/queries.ts';
import './accounts/mutations.ts';
import './work/types.ts';
import './work/queries.ts';
import './work/mutations.ts';
import './notifications/types.ts';
import './notifications/queries.ts';
import './notifications/mutations.ts';
import './notifications/subscriptions.ts';

export const schema = builder.toSchema({ sortSchema: true });
