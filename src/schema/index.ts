import { builder } from '../builder.ts';
import './accounts/types.ts';
import './accounts/queries.ts';
import './accounts/mutations.ts';
import './members/types.ts';
import './members/queries.ts';
import './members/mutations.ts';
import './machine/types.ts';
import './machine/queries.ts';
import './machine/mutations.ts';
import './audit/types.ts';
import './audit/queries.ts';

export const schema = builder.toSchema({ sortSchema: true });
