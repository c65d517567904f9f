import { randomUUID } from 'node:crypto';

/** The id that ties a request's log lines, errors and traces together. */
export const newRequestId = () => randomUUID();
