/**
 * The environment the CP-Portal's components read, as data, at the source refs the manifests
 * follow (config/versions.ts VERSIONS.kpaasPortalSources): for each component, every placeholder
 * its application.yml resolves without a default (required: Spring fails the start, or the page
 * render for the values the UI's templates/fragments/config.html reads, on an unresolved one), the
 * ones with a default, and the few other variables the manifests set with the program that reads
 * them (the JVM, Spring Boot's relaxed binding, Go's crypto/x509). cp-metrics-api reads plain
 * `os.Getenv` names.
 *
 * test/contracts/portal-env.test.ts holds every portal container of dist against these lists: each
 * required variable set, no variable the component does not read.
 */
import type { EnvVarContract, ProgramEnvContract } from './harbor-env';
import type { StoredCopyRead, UpstreamFile, UpstreamTexts } from './images';
import { PORTAL_METRICS_API_GO, PORTAL_SPRING_BOOT } from './portal-db-pools';
import { PORTAL_LISTEN_PORTS } from './portal-ports';

/** The refs the lists were read at (config/versions.ts VERSIONS.kpaasPortalSources must match them). */
export const PORTAL_ENV_SOURCES = {
  ui: { repo: 'K-PaaS/cp-portal-ui', commit: '028e6260ed51afd1dbb58658034e6358363b7e74' },
  api: { repo: 'K-PaaS/cp-portal-api', commit: '1fdc4be9cde1cc6dd9d1b1b4ead1d6fbc663ab5d' },
  commonApi: { repo: 'K-PaaS/cp-portal-common-api', commit: '9bd529acad8d1ee101b25ce71179c4430f516fe6' },
  metricsApi: { repo: 'K-PaaS/cp-metrics-api', commit: '4f4248c85b39671f2cf089aecefe22ea24583108' },
} as const;

type Source = keyof typeof PORTAL_ENV_SOURCES;
const file = (s: Source, path: string, note: string): UpstreamFile => ({ repo: PORTAL_ENV_SOURCES[s].repo, ref: PORTAL_ENV_SOURCES[s].commit, path, note });
const yml = (s: Source, note: string) => file(s, 'src/main/resources/application.yml', note);

/** A placeholder without a default. */
const placeholder = (s: Source, name: string, where: string): EnvVarContract =>
  ({ name, required: true, source: yml(s, where), because: `\${${name}} has no default (${PORTAL_ENV_SOURCES[s].repo} application.yml ${where})` });
/** A placeholder with a default, or a variable read only when set. */
const optional = (source: UpstreamFile, name: string): EnvVarContract => ({ name, required: false, source });

/**
 * Spring Boot's relaxed binding of environment variables (SystemEnvironmentPropertyMapper at the
 * pinned release): a property's variable is each of its elements in uniform form (lower case, `-`
 * dropped) upper-cased and joined by `_`; read back, a variable splits at `_` into lower-case
 * elements. `texts` are the lines of the mapper that say so (test/contracts/portal-env.test.ts).
 */
export const SPRING_RELAXED_BINDING = {
  source: {
    repo: 'spring-projects/spring-boot', ref: `v${PORTAL_SPRING_BOOT}`,
    path: 'spring-boot-project/spring-boot/src/main/java/org/springframework/boot/context/properties/source/SystemEnvironmentPropertyMapper.java',
    note: 'convertName: elements in Form.UNIFORM, toUpperCase(Locale.ENGLISH), joined by _; map(String): adapt at _ with each element toLowerCase',
  },
  texts: ['result.append(name.getElement(i, Form.UNIFORM).toUpperCase(Locale.ENGLISH));', "return ConfigurationPropertyName.adapt(propertySourceName, '_', this::processElementValue);", 'String result = value.toString().toLowerCase(Locale.ENGLISH);'],
} as const satisfies UpstreamTexts;

/** The variable Spring Boot binds to a property: `management.endpoint.health.probes.enabled` → `MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED`. */
export function springEnvName(property: string): string {
  return property.split('.').map((element) => element.replace(/-/g, '').toUpperCase()).join('_');
}

/** The property Spring Boot reads a variable as (its uniform form): `JWT_SECRET` → `jwt.secret`. */
export function springPropertyOf(envName: string): string {
  return envName.split('_').map((element) => element.toLowerCase()).join('.');
}

/** A property the portal sets through its environment variable, and where the property is read. */
export interface SpringPropertyEnv {
  readonly property: string;
  readonly source: UpstreamFile;
  /** Text of the source file that names the property (checked against the mirror). */
  readonly text: string;
}

const PROBES_PROPERTY = 'management.endpoint.health.probes.enabled';

/** The Spring properties the portal's manifests set as variables (relaxed binding; the variable name is derived). */
export const PORTAL_SPRING_PROPERTIES = {
  probes: {
    property: PROBES_PROPERTY,
    // `String ` first: DEPRECATED_ENABLED_PROPERTY (management.health.probes.enabled) ends the same way
    text: `String ENABLED_PROPERTY = "${PROBES_PROPERTY}";`,
    source: { repo: 'spring-projects/spring-boot', ref: `v${PORTAL_SPRING_BOOT}`, path: 'spring-boot-project/spring-boot-actuator-autoconfigure/src/main/java/org/springframework/boot/actuate/autoconfigure/availability/AvailabilityProbesAutoConfiguration.java', note: 'ProbesCondition.ENABLED_PROPERTY, bound from the variable by relaxed binding (SPRING_RELAXED_BINDING)' },
  },
  jwtSecret: {
    property: 'jwt.secret',
    text: 'jwt:\n  secret: ',
    source: yml('api', 'line 32: jwt.secret, a fixed key in the jar; the variable overrides it through relaxed binding (SPRING_RELAXED_BINDING)'),
  },
} as const satisfies Record<string, SpringPropertyEnv>;

const relaxed = (p: SpringPropertyEnv): EnvVarContract => optional(p.source, springEnvName(p.property));

/**
 * How a JDK 17 VM reads JAVA_TOOL_OPTIONS (the portal's Java components run on 17: their
 * build.gradle languageVersion 17, Spring Boot 3). Read in the `search` tool's stored copy of
 * battleblow/jdk17u (a copy of openjdk/jdk17u; the stored openjdk/jdk17u has no arguments.cpp and
 * the openjdk/jdk copy read is a 2018 one): Arguments::parse_options_environment_variable takes
 * the variable with ::getenv (not when the process has special privileges), prints
 * `Picked up JAVA_TOOL_OPTIONS: <value>` to stderr, and parse_options_buffer splits it into options
 * at white space (isspace), a '...' or "..." span kept whole without its quotes; an unmatched quote
 * fails the VM's start ("Unmatched quote in"). Each option is then handled as a command-line one.
 * The stored copy names no tag: it is not matched to a 17.0.x release (`matched: false`).
 * So the value is printed in the pod's log (no secret in it), and must be white-space-separated
 * -D/-X options (test/contracts/portal-env.test.ts).
 */
export const JVM_TOOL_OPTIONS = {
  source: {
    repo: 'battleblow/jdk17u', ref: '4d3e459cbde997317389c504127f50d1c12ad062', path: 'src/hotspot/share/runtime/arguments.cpp',
    note: 'parse_java_tool_options_environment_variable, parse_options_environment_variable (getenv, "Picked up %s: %s"), parse_options_buffer (split at isspace, quotes group)',
  },
  pinned: 'JDK 17 (the portal images; the tag of the JVM inside them is not known offline)',
  matched: false,
  texts: [
    'return parse_options_environment_variable("JAVA_TOOL_OPTIONS", args);',
    '"Picked up %s: %s\\n", name, buffer);',
    'while (rd < buffer_end && isspace(*rd)) {',
    'if (*rd == \'\\\'\' || *rd == \'"\') {',
    '"Unmatched quote in %s\\n", name);',
  ],
} as const satisfies StoredCopyRead;

/**
 * The options the JVM makes of a JAVA_TOOL_OPTIONS value (JVM_TOOL_OPTIONS: split at white space,
 * quoted spans kept whole without their quotes), or undefined where a quote is unmatched (the VM
 * does not start).
 */
export function jvmToolOptions(value: string): string[] | undefined {
  const options: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /\s/.test(value[i])) i++;
    if (i >= value.length) break;
    let option = '';
    while (i < value.length && !/\s/.test(value[i])) {
      const quote = value[i];
      if (quote === '"' || quote === "'") {
        const end = value.indexOf(quote, i + 1);
        if (end < 0) return undefined;
        option += value.slice(i + 1, end);
        i = end + 1;
      } else option += value[i++];
    }
    options.push(option);
  }
  return options;
}

/** What the JVM and Spring Boot read in every Java component (our truststore and probes). */
const JVM: readonly EnvVarContract[] = [
  optional({ ...JVM_TOOL_OPTIONS.source, note: `JAVA_TOOL_OPTIONS: ${JVM_TOOL_OPTIONS.source.note}; stored copy, not matched to a 17.0.x tag` }, 'JAVA_TOOL_OPTIONS'),
  relaxed(PORTAL_SPRING_PROPERTIES.probes),
];

/**
 * A Spring Boot component: its placeholders without a default, PORT (server.port's default is the
 * listen port of config/contracts/portal-ports.ts) and what the JVM reads, plus any extra variable.
 */
const spring = (s: Exclude<Source, 'metricsApi'>, program: string, required: ReadonlyArray<readonly [name: string, where: string]>, ...extra: EnvVarContract[]): ProgramEnvContract => ({
  program,
  image: program,
  variables: [
    ...required.map(([name, where]) => placeholder(s, name, where)),
    optional(PORTAL_LISTEN_PORTS[s].source, 'PORT'),
    ...extra,
    ...JVM,
  ],
});

export const PORTAL_UI_ENV = spring('ui', 'cp-portal-ui', [
  ['KEYCLOAK_CP_CLIENT_ID', 'line 15: registration.keycloak.client-id'],
  ['KEYCLOAK_CP_CLIENT_SECRET', 'line 16: client-secret'],
  ['CP_PORTAL_UI_URI', 'line 18: redirect-uri ${CP_PORTAL_UI_URI}/login/oauth2/code/keycloak'],
  ['KEYCLOAK_URI', 'lines 22, 27, 28: issuer-uri ${KEYCLOAK_URI}/realms/${KEYCLOAK_CP_REALM}, logoutUri, introspectUri'],
  ['KEYCLOAK_CP_REALM', 'lines 22, 27, 28'],
  ['REPOSITORY_URL', 'line 47: private.repository.url (PropertyService @Value)'],
  ['CHART_REPO_URL', 'line 58: catalog.default.repo.url, rendered by templates/fragments/config.html line 161'],
  ['CHART_REPO_NAME', 'line 59: catalog.default.repo.name, config.html line 160'],
  ['CHART_REPO_USERNAME', 'line 60: catalog.default.repo.username, config.html line 162'],
  ['CHART_REPO_PASSWORD', 'line 61: catalog.default.repo.password, config.html line 163'],
  ['CHART_REPO_CRT', 'line 62: catalog.default.repo.cert ("base64 encoded certificate"), config.html line 164'],
  ['CP_PORTAL_API_URI', 'line 95 (prod profile): cpApi.url, config.html line 10 and the server-side calls'],
  ['CP_PORTAL_CHAOS_API_URI', 'line 97: chaosApi.url, config.html line 12'],
  ['CP_PORTAL_CATALOG_API_URI', 'line 99: catalogApi.url, config.html line 11'],
]);

export const PORTAL_API_ENV = spring('api', 'cp-portal-api', [
  ['VAULT_URL', 'line 12: spring.cloud.vault.uri'],
  ['VAULT_ROLE_ID', 'line 18: app-role.role-id'],
  ['VAULT_SECRET_ID', 'line 19: app-role.secret-id'],
  ['VAULT_ROLE_NAME', 'line 20: app-role.role'],
  ['CP_PORTAL_TERRAMAN_API_URI', 'line 230: cpTerraman.api.url (PropertyService @Value)'],
  ['CP_PORTAL_METRIC_COLLECTOR_API_URI', 'line 240: cpMetricCollector.api.url'],
  ['CP_PORTAL_COMMON_API_URI', 'line 289 (prod profile): commonApi.url'],
], relaxed(PORTAL_SPRING_PROPERTIES.jwtSecret));

export const PORTAL_COMMON_API_ENV = spring('commonApi', 'cp-portal-common-api', [
  ['DATABASE_URL', 'lines 12, 18: jdbc:mysql://${DATABASE_URL}/cp and /${KEYCLOAK_DB_SCHEMA}'],
  ['DATABASE_USER_ID', 'lines 15, 21: both datasources'],
  ['DATABASE_USER_PASSWORD', 'lines 16, 22'],
  ['KEYCLOAK_DB_SCHEMA', 'line 18: Keycloak\'s database, where it reads USER_ENTITY'],
  ['KEYCLOAK_CP_REALM_ID', 'line 55: keycloak.cpRealmId, compared with USER_ENTITY.REALM_ID (UsersService.java)'],
]);

const getenv = (path: string, note: string) => file('metricsApi', path, note);

/**
 * How Go's crypto/x509 makes the system pool on Linux (loadSystemRoots). Read in the `search` tool's
 * stored copy of golang/go at 7926af0d (the newest of its stored versions of the file; the copy
 * names no tag, and golang/go is too large to fetch here, so it is not matched to the go1.24
 * cp-metrics-api builds with: go.mod `go 1.24`, Dockerfile `FROM golang:1.24-alpine`). The same
 * loadSystemRoots text is in the stored copy 0345ede8 of the `// +build` era (Go 1.16/1.17).
 * A non-empty SSL_CERT_FILE replaces the list of bundle files tried (root_linux.go certFiles) with
 * itself, read as PEM; the default directories (/etc/ssl/certs, /etc/pki/tls/certs) are still
 * added unless SSL_CERT_DIR is set. The image is FROM scratch (no such directories), so the pool
 * is that file's certificates alone: it must hold every CA metric-api verifies. Its TLS peer is
 * OpenBao (VAULT_URL, https), whose listener certificate the platform CA issues; the Kubernetes
 * API calls skip verification (api/requestData.go InsecureSkipVerify).
 */
export const GO_CERT_FILE = {
  source: {
    repo: 'golang/go', ref: '7926af0ddbd70675dce43aeedfff21353d5d54c2', path: 'src/crypto/x509/root_unix.go',
    note: 'certFileEnv = "SSL_CERT_FILE"; loadSystemRoots: files = []string{f} replaces certFiles, read with AppendCertsFromPEM; certDirectories still read unless SSL_CERT_DIR',
  },
  pinned: `go${PORTAL_METRICS_API_GO} (K-PaaS/cp-metrics-api go.mod and Dockerfile builder golang:${PORTAL_METRICS_API_GO}-alpine)`,
  matched: false,
  texts: ['certFileEnv = "SSL_CERT_FILE"', 'if f := os.Getenv(certFileEnv); f != "" {\n\t\tfiles = []string{f}\n\t}', 'roots.AppendCertsFromPEM(data)', 'dirs := certDirectories'],
  /** What the builder and runtime stages of cp-metrics-api's Dockerfile say (checked against the mirror). */
  image: { source: file('metricsApi', 'Dockerfile', `builder FROM golang:${PORTAL_METRICS_API_GO}-alpine, runtime FROM scratch`), texts: [`FROM golang:${PORTAL_METRICS_API_GO}-alpine AS builder`, 'FROM scratch'] },
} as const satisfies StoredCopyRead & { readonly image: UpstreamTexts };

export const PORTAL_METRIC_API_ENV: ProgramEnvContract = {
  program: 'cp-metrics-api',
  image: 'cp-portal-metric-api',
  variables: [
    // the image sets PROFILE=prod and DATABASE_NAME=cp (its Dockerfile ENV); the rest it leaves empty
    optional(getenv('action/vault.go', 'lines 32-33: PROFILE, "local" when empty (then metric.properties is read instead)'), 'PROFILE'),
    optional(getenv('action/db/database.go', 'line 49: DATABASE_NAME (image ENV cp)'), 'DATABASE_NAME'),
    { name: 'DATABASE_URL', required: true, source: getenv('action/db/database.go', 'line 48; action/gorm/gorm.go line 48'), because: 'the DSN host:port; empty, the driver dials localhost' },
    { name: 'DATABASE_TERRAMAN_ID', required: true, source: getenv('action/db/database.go', 'line 50; action/gorm/gorm.go line 50'), because: 'the database user' },
    { name: 'DATABASE_TERRAMAN_PASSWORD', required: true, source: getenv('action/db/database.go', 'line 51; action/gorm/gorm.go line 51'), because: 'the database password' },
    { name: 'VAULT_URL', required: true, source: getenv('action/vault.go', 'line 37: api.Config{Address: vaultURL}, used as given (scheme included)'), because: 'the OpenBao address for every AppRole login' },
    { name: 'VAULT_ROLE_ID', required: true, source: getenv('action/vault.go', 'line 38'), because: 'the AppRole login' },
    { name: 'VAULT_SECRET_ID', required: true, source: getenv('action/vault.go', 'line 39'), because: 'the AppRole login' },
    {
      name: 'SSL_CERT_FILE', required: true,
      source: { ...GO_CERT_FILE.source, note: `${GO_CERT_FILE.source.note}; stored copy, not matched to go${PORTAL_METRICS_API_GO}` },
      because: 'the image is FROM scratch without a CA store: the TLS to OpenBao needs the platform CA',
    },
  ],
};

/** The portal's components, by image name. */
export const PORTAL_ENV_CONTRACTS: readonly ProgramEnvContract[] = [PORTAL_UI_ENV, PORTAL_API_ENV, PORTAL_COMMON_API_ENV, PORTAL_METRIC_API_ENV];
