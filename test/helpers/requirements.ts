// Tests that need a service the default run does not have (PostgreSQL, Redis, a browser).
// On a developer's machine such a test is skipped, with a warning that names it. A run that
// must not lose them names the services it must have in HERALD_TEST_REQUIRE (comma-separated:
// postgres, redis, chromium; `none`): a test needing a listed service that is missing fails
// its file instead of being skipped. Under CI=true the variable is required as soon as
// something would be skipped, so that a CI job that forgot to configure a service fails
// instead of passing with fewer tests.
import { existsSync } from 'node:fs';

/** Where the explorer test finds Chromium (Debian's package by default). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const SERVICES = {
  postgres: { label: 'PostgreSQL', available: () => !!process.env.DATABASE_URL, fix: 'set DATABASE_URL' },
  redis: { label: 'Redis', available: () => !!process.env.REDIS_URL, fix: 'set REDIS_URL' },
  chromium: {
    label: 'Chromium',
    available: () => existsSync(chromiumPath),
    fix: `none at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`,
  },
} as const;

export type Service = keyof typeof SERVICES;

/** A need is a service, or the variable that configures it. */
type Need = Service | 'DATABASE_URL' | 'REDIS_URL';
const byVariable = { DATABASE_URL: 'postgres', REDIS_URL: 'redis' } as const;
const serviceOf = (need: Need): Service =>
  (need in byVariable ? byVariable[need as keyof typeof byVariable] : need) as Service;

const isService = (name: string): name is Service => Object.hasOwn(SERVICES, name);

/** The services HERALD_TEST_REQUIRE names; null when it is unset. */
export function requiredServices(value: string | undefined): Set<Service> | null {
  if (value === undefined) return null;
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'none');
  const unknown = names.filter((name) => !isService(name));
  if (unknown.length > 0) {
    throw new Error(
      `HERALD_TEST_REQUIRE names ${unknown.join(', ')}; valid names: ${Object.keys(SERVICES).join(', ')}, none`,
    );
  }
  return new Set(names as Service[]);
}

const describeMissing = (services: Service[]) =>
  services.map((service) => `${SERVICES[service].label} (${SERVICES[service].fix})`).join(', ');

/** Fails when a service the run must have is missing (called once, before any test file). */
export function assertRequiredServices() {
  const missing = [...(requiredServices(process.env.HERALD_TEST_REQUIRE) ?? [])].filter(
    (service) => !SERVICES[service].available(),
  );
  if (missing.length > 0) {
    throw new Error(`HERALD_TEST_REQUIRE says this run must have ${describeMissing(missing)}`);
  }
}

/**
 * For tests that only mean something with some services: their title with what they need,
 * and whether to skip them. Throws, failing the file, when a missing service is required.
 */
export function needing(title: string, ...needs: Need[]): { skip: boolean; title: string } {
  const services = [...new Set(needs.map(serviceOf))];
  const full = `${title} (needs ${services.map((service) => SERVICES[service].label).join(' and ')})`;
  const missing = services.filter((service) => !SERVICES[service].available());
  if (missing.length === 0) return { skip: false, title: full };
  const required = requiredServices(process.env.HERALD_TEST_REQUIRE);
  if (required === null && process.env.CI === 'true') {
    throw new Error(
      `"${full}" would be skipped in CI: name the services this run must have in HERALD_TEST_REQUIRE ` +
        `(postgres, redis, chromium, or none), or provide ${describeMissing(missing)}`,
    );
  }
  const requiredMissing = missing.filter((service) => required?.has(service));
  if (requiredMissing.length > 0) {
    throw new Error(`"${full}" cannot run, and HERALD_TEST_REQUIRE requires it: ${describeMissing(requiredMissing)}`);
  }
  // The default reporter counts skipped tests without naming them.
  console.warn(`skipped: ${full}: missing ${describeMissing(missing)}`);
  return { skip: true, title: full };
}
