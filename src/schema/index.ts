import { builder } from '../builder.ts';
import './accounts/types.ts';
import './accounts/queries.ts';
import './accounts/mutations.ts';

export const schema = builder.toSchema({ sortSchema: true });
