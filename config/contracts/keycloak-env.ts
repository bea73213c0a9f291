/**
 * The environment Keycloak reads, as data. Keycloak's server options are named like
 * `db-pool-max-size` (quarkus/config-api/src/main/java/org/keycloak/config/*Options.java) and are
 * read from `KC_` variables: the option name in upper case with `-` as `_` (keycloakEnvName). The
 * options are stored by name and each variable name is derived, so a typo in dist cannot match.
 *
 * Besides options, the realm import replaces `${NAME}` placeholders in the import file with the
 * variable NAME (Keycloak's "Importing and exporting realms" guide); the test accepts a variable
 * exactly when the mounted realm file refers to it.
 *
 * Only the option groups below are recorded: a variable of another group is reported as unknown
 * until its option is added here, from the upstream file named.
 */
import type { EnvFamily, ProgramEnvContract } from './harbor-env';
import type { UpstreamFile } from './images';

/** The Keycloak release of the image (config/versions.ts VERSIONS.keycloak). */
export const KEYCLOAK_TAG = '26.7.5';

/** The variable of a Keycloak option: `db-pool-max-size` → `KC_DB_POOL_MAX_SIZE`. */
export function keycloakEnvName(option: string): string {
  return `KC_${option.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The keycloak/keycloak commit whose DatabaseOptions.java was read (a stored copy: the repository is
 * larger than a fetch may be, and no stored file names its release, so it could not be matched to
 * KEYCLOAK_TAG offline).
 */
export const KEYCLOAK_OPTIONS_READ_AT = '0de3c1a521073809a7f75638c14370db5eac6a5a';

const options = (file: string): UpstreamFile => ({
  repo: 'keycloak/keycloak',
  ref: KEYCLOAK_TAG,
  path: `quarkus/config-api/src/main/java/org/keycloak/config/${file}`,
  note: `read from a stored copy of the file (DatabaseOptions.java at ${KEYCLOAK_OPTIONS_READ_AT}), which could not be matched to the tag offline; that the options the chart sets are neither removed nor deprecated up to 26.7.5 was read in the upgrading notes (config/versions.ts VERSION_SOURCES.keycloak)`,
});

/** Keycloak's server guides, read in stored copies of keycloak/keycloak's docs (neither matched to KEYCLOAK_TAG offline). */
const guide = (file: string, commit: string, note: string): UpstreamFile =>
  ({ repo: 'keycloak/keycloak', ref: commit, path: `docs/guides/server/${file}`, note: `${note} (a stored copy at ${commit}, not matched to ${KEYCLOAK_TAG} offline)` });

/**
 * How `--import-realm` reads the realm files: `${NAME}` placeholders in any value are replaced by the
 * environment variable NAME (the guide's "Using Environment Variables within the Realm Configuration
 * Files"), and a realm that already exists is skipped. The replacing code of a 26.x release was not
 * read: the stored import code (ImportUtils) is older and parses with whatever mapper its caller
 * passes. An unset variable is not replaced (Keycloak's StringPropertyReplacer keeps what it cannot
 * resolve), so the literal `${NAME}` would become the secret: test/contracts/env.test.ts requires each
 * placeholder to be set on the container, from a Secret.
 */
export const KEYCLOAK_REALM_IMPORT = {
  placeholder: /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
  source: guide('importExport.adoc', '0a3e622a87cfb29f4da24dd9fe2dca965ee79665',
    'Using Environment Variables within the Realm Configuration Files: placeholders resolve values from environment variables for any realm configuration; Importing a Realm during Startup: a realm that already exists is skipped'),
} as const;

/**
 * What Keycloak's database guide says of MySQL/MariaDB character sets: it recommends utf8mb4
 * (`CREATE DATABASE keycloak CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`), creates its tables
 * in the database's default character set and collation, and checks none. Older guides said utf8mb4
 * did not work; utf8mb3 (what the portal's MariaDB gives Keycloak) stores the Basic Multilingual
 * Plane only. Nothing in Keycloak requires utf8mb3.
 */
export const KEYCLOAK_DATABASE_CHARSET = {
  recommended: 'utf8mb4',
  source: guide('db.adoc', '0312c39baa1f4daaa79e66f113838c245cee6bd5',
    'Configuring Unicode support for the database: MySQL/MariaDB recommended character set utf8mb4; Keycloak uses the database default charset and collation when creating tables'),
} as const;

/** One options file: its option names, those Keycloak needs set in this deployment, and those it has deprecated. */
function group(file: string, names: readonly string[], required: Record<string, string> = {}, deprecated: Record<string, string> = {}): EnvFamily {
  return { description: file, options: names, envName: keycloakEnvName, required, deprecated, source: options(file) };
}

export const KEYCLOAK_ENV: ProgramEnvContract = {
  program: 'keycloak',
  image: 'keycloak/keycloak',
  variables: [],
  families: [
    group('DatabaseOptions.java', [
      'db-dialect', 'db-driver', 'db', 'db-url', 'db-url-host', 'db-url-database', 'db-url-port', 'db-url-properties',
      'db-username', 'db-password', 'db-schema', 'db-pool-initial-size', 'db-pool-min-size', 'db-pool-max-size',
      'db-debug-jpql', 'db-log-slow-queries-threshold',
    ], {
      db: 'the default, dev-file, is an embedded file database, one per pod',
      'db-url': 'the default points at localhost',
      'db-username': 'the database owner',
      'db-password': 'the database owner\'s password',
    }),
    group('CachingOptions.java', [
      'cache', 'cache-stack', 'cache-config-file', 'cache-config-mutate',
      'cache-embedded-mtls-enabled', 'cache-embedded-mtls-key-store-file', 'cache-embedded-mtls-key-store-password',
      'cache-embedded-mtls-trust-store-file', 'cache-embedded-mtls-trust-store-password', 'cache-embedded-mtls-rotation-interval-days',
      'cache-embedded-network-bind-address', 'cache-embedded-network-bind-port', 'cache-embedded-network-external-address',
      'cache-embedded-network-external-port', 'cache-remote-host', 'cache-remote-port', 'cache-remote-username',
      'cache-remote-password', 'cache-remote-tls-enabled', 'cache-metrics-histograms-enabled',
      // cacheMaxCountProperty: cache-embedded-<cache>-max-count for the local and the clustered caches
      ...['authorization', 'crl', 'keys', 'realms', 'users', 'client-sessions', 'offline-sessions', 'offline-client-sessions', 'sessions']
        .map((cache) => `cache-embedded-${cache}-max-count`),
    ]),
    group('HttpOptions.java', [
      'http-enabled', 'http-host', 'http-relative-path', 'http-port', 'https-port', 'https-client-auth', 'https-cipher-suites',
      'https-protocols', 'https-certificate-file', 'https-certificate-key-file', 'https-key-store-file', 'https-key-store-password',
      'https-key-store-type', 'https-trust-store-file', 'https-trust-store-password', 'https-trust-store-type',
    ], { 'http-enabled': 'production mode refuses to start without HTTPS or an enabled HTTP listener; TLS ends at the ingress' }),
    group('HostnameV2Options.java', ['hostname', 'hostname-admin', 'hostname-backchannel-dynamic', 'hostname-strict', 'hostname-debug'], {
      hostname: 'production mode (hostname-strict, the default) refuses to start without it',
    }),
    group('ProxyOptions.java', ['proxy-headers', 'proxy', 'proxy-forwarded-host', 'proxy-allow-forwarded-header', 'proxy-allow-x-forwarded-header'], {}, {
      // ProxyOptions.java: PROXY .deprecated(proxy-headers, http-enabled); the 26.4 and 26.7 guides call it the deprecated proxy option
      proxy: 'proxy-headers (and http-enabled)',
    }),
    group('HealthOptions.java', ['health-enabled']),
    group('MetricsOptions.java', ['metrics-enabled']),
    group('BootstrapAdminOptions.java', [
      'bootstrap-admin-password', 'bootstrap-admin-username', 'bootstrap-admin-client-id', 'bootstrap-admin-client-secret',
    ]),
  ],
};
