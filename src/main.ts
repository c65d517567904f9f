import { createApp } from './app.ts';
import { KeyConfigError } from './auth/keys.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { listenProblem, StartProblem } from './platform/start-problems.ts';
import { createHeraldServer } from './server.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// Traces only with a collector to send them to: without one, their modules are never loaded.
const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
  ? (await import('./platform/observability/tracing.ts')).startTracing()
  : undefined;

let app: Awaited<ReturnType<typeof createApp>>;
try {
  app = await createApp(config, { tracing });
} catch (error) {
  if (error instanceof KeyConfigError) {
    console.error(`Invalid configuration:\n  JWT_PRIVATE_KEY / JWT_RETIRED_PUBLIC_KEYS: ${error.message}`);
    process.exit(1);
  }
  if (error instanceof StartProblem) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const herald = createHeraldServer(app);
let port: number;
try {
  port = await herald.listen(config.PORT, config.HOST);
} catch (error) {
  const problem = listenProblem(error, config.PORT, config.HOST);
  if (!problem) throw error;
  console.error(problem.message);
  await herald.close();
  process.exit(1);
}

// Before the line that says Herald is up: whoever reads it may stop Herald at once.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'draining');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    herald
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error) => {
          app.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}

app.logger.info(
  { port, host: config.HOST, database: app.database.kind, pubsub: app.redis ? 'redis' : 'in-process' },
  `Herald listening: GraphiQL at http://${config.HOST}:${port}/graphql`,
);

// Loading modules, building the schema and migrating leave tens of MiB of garbage, and V8 sizes
// its young generation for that burst; it gives the memory back only once its memory reducer
// finds the process idle, minutes later. One collection now returns it while nothing is being
// served (about 35 MiB on PostgreSQL). `gc` exists when Node runs with --expose-gc, as
// `npm start` and the image run it.
globalThis.gc?.({ type: 'major', execution: 'async', flavor: 'last-resort' });
