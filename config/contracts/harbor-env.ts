/**
 * The environment variables Harbor's programs read, as data: for each program (keyed by the image
 * repository it runs from), every variable name its source reads at the pinned version, whether
 * the program needs it set, and the upstream file the name comes from. test/contracts/env.test.ts
 * holds every Harbor container in dist against these lists: no name the program does not read,
 * nothing it needs missing.
 *
 * "Required" means the program fails, or cannot work in this cluster, without the variable: it has
 * no default, or its default names a docker-compose host (`postgresql`, `core:8080`, ...).
 *
 * A Go program reads every variable of every package it links, so the shared packages (src/lib,
 * src/common, src/pkg, src/controller) are listed once and each program adds its own.
 */

import type { UpstreamFile } from './images';

/** One variable a program reads. */
export interface EnvVarContract {
  readonly name: string;
  readonly required: boolean;
  /** Where the program reads it. */
  readonly source: UpstreamFile;
  /** Why it is required (for the test's message). */
  readonly because?: string;
}

/**
 * A family of variables derived from option names by one function (Keycloak's `KC_*` from
 * `db-pool-max-size`, distribution's `REGISTRY_*` from `redis.password`).
 */
export interface EnvFamily {
  readonly description: string;
  /** The option names, as the program's configuration names them. */
  readonly options: readonly string[];
  /** The variable name of an option. */
  readonly envName: (option: string) => string;
  /** Options whose value is a free-form map: any variable below their prefix is accepted. */
  readonly openSections?: readonly string[];
  /** Options the program needs set, with the reason. */
  readonly required?: Readonly<Record<string, string>>;
  /** Options the program still reads but has deprecated, with what replaces them: setting one is a problem. */
  readonly deprecated?: Readonly<Record<string, string>>;
  /** Where the options are defined. */
  readonly source: UpstreamFile;
}

/** The environment contract of one program. */
export interface ProgramEnvContract {
  readonly program: string;
  /** Image repository the program runs from (without registry host and tag), e.g. `goharbor/harbor-core`. */
  readonly image: string;
  readonly variables: readonly EnvVarContract[];
  readonly families?: readonly EnvFamily[];
}

/** Every variable name a program reads: the listed ones and its families' derived names. */
export function knownEnvName(contract: ProgramEnvContract, name: string): boolean {
  if (contract.variables.some((v) => v.name === name)) return true;
  return (contract.families ?? []).some((f) =>
    f.options.some((o) => f.envName(o) === name)
    || (f.openSections ?? []).some((s) => name.startsWith(`${f.envName(s)}_`)));
}

/** The deprecated variables of a program's families, with what replaces each. */
export function deprecatedEnv(contract: ProgramEnvContract): Array<{ name: string; instead: string }> {
  return (contract.families ?? []).flatMap((f) => Object.entries(f.deprecated ?? {}).map(([o, instead]) => ({ name: f.envName(o), instead })));
}

/** The variables a program needs, with the reason. */
export function requiredEnv(contract: ProgramEnvContract): Array<{ name: string; because: string }> {
  return [
    ...contract.variables.filter((v) => v.required).map((v) => ({ name: v.name, because: v.because ?? `${v.source.repo} ${v.source.ref} ${v.source.path}` })),
    ...(contract.families ?? []).flatMap((f) => Object.entries(f.required ?? {}).map(([o, because]) => ({ name: f.envName(o), because }))),
  ];
}

/** The Harbor release the images come from (config/versions.ts VERSIONS.harbor). */
export const HARBOR_TAG = 'v2.15.2';
const harbor = (path: string): UpstreamFile => ({ repo: 'goharbor/harbor', ref: HARBOR_TAG, path });

/** Optional variables, all read in one file. */
function optional(source: UpstreamFile, ...names: string[]): EnvVarContract[] {
  return names.map((name) => ({ name, required: false, source }));
}
/** A variable the program needs. */
function required(source: UpstreamFile, name: string, because: string): EnvVarContract {
  return { name, required: true, source, because };
}

const METADATA = harbor('src/lib/config/metadata/metadatalist.go');
const SYSTEM_CONFIG = harbor('src/lib/config/systemconfig.go');

/**
 * The system settings (Scope: SystemScope with an EnvKey) that CfgManager.LoadSystemConfigFromEnv
 * (src/pkg/config/manager.go) reads from the environment; user settings are not read from it.
 * Core's database manager and the in-memory manager (linked into jobservice and registryctl) load them.
 */
const SYSTEM_SETTINGS: readonly string[] = [
  'HARBOR_ADMIN_PASSWORD', 'TRIVY_ADAPTER_URL', 'CORE_URL', 'CORE_LOCAL_URL', 'DATABASE_TYPE', 'EXT_ENDPOINT',
  'JOBSERVICE_URL', 'MAX_JOB_WORKERS', 'POSTGRESQL_DATABASE', 'POSTGRESQL_HOST', 'POSTGRESQL_PASSWORD',
  'POSTGRESQL_PORT', 'POSTGRESQL_SSLMODE', 'POSTGRESQL_USERNAME', 'POSTGRESQL_MAX_IDLE_CONNS',
  'POSTGRESQL_MAX_OPEN_CONNS', 'POSTGRESQL_CONN_MAX_LIFETIME', 'POSTGRESQL_CONN_MAX_IDLE_TIME',
  'REGISTRY_STORAGE_PROVIDER_NAME', 'REGISTRY_URL', 'REGISTRY_CONTROLLER_URL', 'TOKEN_SERVICE_URL', 'WITH_TRIVY',
  'ROBOT_SCANNER_NAME_PREFIX', 'METRIC_ENABLE', 'METRIC_PORT', 'METRIC_PATH', 'TRACE_ENABLED', 'TRACE_SERVICE_NAME',
  'TRACE_NAMESPACE', 'TRACE_SAMPLE_RATE', 'TRACE_ATTRIBUTES', 'TRACE_JAEGER_ENDPOINT', 'TRACE_JAEGER_USERNAME',
  'TRACE_JAEGER_PASSWORD', 'TRACE_JAEGER_AGENT_HOSTNAME', 'TRACE_JAEGER_AGENT_PORT', 'TRACE_OTEL_ENDPOINT',
  'TRACE_OTEL_URL_PATH', 'TRACE_OTEL_COMPRESSION', 'TRACE_OTEL_INSECURE', 'TRACE_OTEL_TIMEOUT', 'CACHE_ENABLED',
  'CACHE_EXPIRE_HOURS', 'GDPR_DELETE_USER', 'GDPR_AUDIT_LOGS', 'EXECUTION_STATUS_REFRESH_INTERVAL_SECONDS',
  'QUOTA_UPDATE_PROVIDER', 'BEEGO_MAX_MEMORY_BYTES', 'BEEGO_MAX_UPLOAD_SIZE_BYTES', 'REPLICATION_ADAPTER_WHITELIST',
];

/** Read by packages every Harbor Go program links (logging, TLS, tracing, profiling, registry and Redis clients). */
const HARBOR_SHARED: readonly EnvVarContract[] = [
  ...optional(METADATA, ...SYSTEM_SETTINGS),
  ...optional(SYSTEM_CONFIG, 'TOKEN_PRIVATE_KEY_PATH', 'REGISTRY_URL', 'JOBSERVICE_URL', 'CORE_URL', 'CORE_SECRET',
    'REGISTRY_CREDENTIAL_USERNAME', 'REGISTRY_CREDENTIAL_PASSWORD', 'JOBSERVICE_SECRET', 'PORTAL_URL',
    'REGISTRY_CONTROLLER_URL', 'PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE', 'GC_TIME_WINDOW_HOURS', 'KEY_PATH',
    'CACHE_ENABLED', 'CACHE_EXPIRE_HOURS', 'ROBOT_SCANNER_NAME_PREFIX'),
  ...optional(harbor('src/lib/log/logger.go'), 'LOG_LEVEL'),
  ...optional(harbor('src/common/http/tls.go'), 'INTERNAL_TLS_ENABLED', 'INTERNAL_VERIFY_CLIENT_CERT', 'INTERNAL_TLS_KEY_PATH', 'INTERNAL_TLS_CERT_PATH'),
  ...optional(harbor('src/lib/pprof.go'), 'PPROF_ENABLED', 'PPROF_ADDR'),
  ...optional(harbor('src/lib/orm/orm.go'), 'ORM_DEBUG'),
  ...optional(harbor('src/lib/metric/server.go'), 'METRIC_NAMESPACE', 'METRIC_SUBSYSTEM'),
  ...optional(harbor('src/lib/encrypt/encrypt.go'), 'KEY_PATH'),
  ...optional(harbor('src/lib/cache/cache.go'), '_REDIS_URL_CACHE_LAYER', '_REDIS_URL_CORE'),
  ...optional(harbor('src/lib/redis/client.go'), '_REDIS_URL_REG', '_REDIS_URL_HARBOR', '_REDIS_URL_CORE'),
  ...optional(harbor('src/pkg/registry/client.go'), 'REGISTRY_HTTP_CLIENT_TIMEOUT'),
  ...optional(harbor('src/pkg/config/rest/manager.go'), 'CORE_URL', 'JOBSERVICE_SECRET'),
  ...optional(harbor('src/common/registryctl/client.go'), 'REGISTRY_CONTROLLER_URL', 'JOBSERVICE_SECRET'),
  ...optional(harbor('src/common/dao/pgsql.go'), 'POSTGRES_MIGRATION_SCRIPTS_PATH'),
  ...optional(harbor('src/controller/replication/transfer/image/transfer.go'), 'COPY_BLOB_RETRY_COUNT', 'COPY_CHUNK_RETRY_COUNT', 'REPLICATION_CHUNK_SIZE'),
  ...optional(harbor('src/controller/event/handler/internal/artifact.go'), 'ARTIFACT_PULL_ASYNC_FLUSH_DURATION'),
  ...optional(harbor('src/pkg/reg/adapter/harbor/base/adapter.go'), 'CORE_URL', 'EXT_ENDPOINT'),
  ...optional(harbor('src/pkg/reg/adapter/aliacr/adapter.go'), 'REG_ADAPTER_ACR_QPS_LIMIT'),
  ...optional(harbor('src/pkg/reg/adapter/tencentcr/adapter.go'), 'REG_ADAPTER_TCR_QPS_LIMIT'),
  ...optional(harbor('src/pkg/reg/adapter/jfrog/adapter.go'), 'JFROG_SUPPORTED_REPOSITORY_TYPES'),
  ...optional(harbor('src/pkg/task/sweep_job.go'), 'EXECUTION_SWEEP_BATCH_SIZE'),
  ...optional(harbor('src/pkg/systeminfo/systeminfo.go'), 'IMAGE_STORE_PATH'),
];

/** The secrets core and jobservice share: without them the components reject each other's calls. */
const SHARED_SECRETS = (program: string): EnvVarContract[] => [
  required(SYSTEM_CONFIG, 'CORE_SECRET', `${program}: core and its peers authenticate each other's calls with it`),
  required(SYSTEM_CONFIG, 'JOBSERVICE_SECRET', `${program}: jobservice and its callers authenticate each other with it`),
  required(SYSTEM_CONFIG, 'REGISTRY_CREDENTIAL_USERNAME', `${program}: the registry's htpasswd user`),
  required(SYSTEM_CONFIG, 'REGISTRY_CREDENTIAL_PASSWORD', `${program}: the registry's htpasswd password`),
  required(SYSTEM_CONFIG, 'REGISTRY_URL', `${program}: the default, http://registry:5000, is a docker-compose host`),
  required(SYSTEM_CONFIG, 'REGISTRY_CONTROLLER_URL', `${program}: the default, http://registryctl:8080, is a docker-compose host`),
];

export const HARBOR_CORE_ENV: ProgramEnvContract = {
  program: 'harbor-core',
  image: 'goharbor/harbor-core',
  variables: [
    ...HARBOR_SHARED,
    ...SHARED_SECRETS('core'),
    required(harbor('src/core/main.go'), '_REDIS_URL_CORE', 'sessions and the cache (cache.Initialize fails without a URL)'),
    ...optional(harbor('src/core/main.go'), '_REDIS_URL_HARBOR', 'INTERNAL_TLS_KEY_PATH', 'INTERNAL_TLS_CERT_PATH', 'SKIP_LOG_AUDIT_DATABASE'),
    ...optional(harbor('src/core/controllers/base.go'), 'CONFIG_PATH'),
    ...optional(harbor('src/core/auth/uaa/uaa.go'), 'UAA_CA_ROOT'),
    ...optional(harbor('src/controller/config/controller.go'), 'CONFIG_OVERWRITE_JSON'),
    required(harbor('src/server/middleware/csrf/csrf.go'), 'CSRF_KEY', 'without it each replica makes its own key, and a form posted to the other replica fails'),
    ...optional(harbor('src/server/middleware/repoproxy/proxy.go'), 'UPSTREAM_REGISTRY_LIMIT_ON_PROJECT'),
    ...optional(harbor('src/server/middleware/security/basic_auth.go'), 'TRUE_CLIENT_IP_HEADER'),
    required(METADATA, 'POSTGRESQL_HOST', 'the default, postgresql, is a docker-compose host'),
    required(METADATA, 'POSTGRESQL_PASSWORD', 'the default is root123'),
    required(METADATA, 'POSTGRESQL_USERNAME', 'the default is postgres'),
    required(METADATA, 'POSTGRESQL_DATABASE', 'the default is registry'),
    required(METADATA, 'EXT_ENDPOINT', 'the default is https://host01.com'),
    required(METADATA, 'CORE_URL', 'the default, http://core:8080, is a docker-compose host'),
    required(METADATA, 'JOBSERVICE_URL', 'the default, http://jobservice:8080, is a docker-compose host'),
    required(METADATA, 'TOKEN_SERVICE_URL', 'the default, http://core:8080/service/token, is a docker-compose host'),
    required(SYSTEM_CONFIG, 'PORTAL_URL', 'core\'s health check of the portal (src/controller/health/checker.go)'),
  ],
};

const JOBSERVICE_CONFIG = harbor('src/jobservice/config/config.go');
export const HARBOR_JOBSERVICE_ENV: ProgramEnvContract = {
  program: 'harbor-jobservice',
  image: 'goharbor/harbor-jobservice',
  variables: [
    ...HARBOR_SHARED,
    ...SHARED_SECRETS('jobservice'),
    required(harbor('src/pkg/config/rest/manager.go'), 'CORE_URL', 'its configuration comes from core: without it no config manager is registered and main panics'),
    ...optional(JOBSERVICE_CONFIG, 'JOB_SERVICE_PROTOCOL', 'JOB_SERVICE_PORT', 'JOB_SERVICE_HTTPS_CERT', 'JOB_SERVICE_HTTPS_KEY',
      'JOB_SERVICE_POOL_BACKEND', 'JOB_SERVICE_POOL_WORKERS', 'JOB_SERVICE_POOL_REDIS_URL', 'JOB_SERVICE_POOL_REDIS_NAMESPACE',
      'JOB_SERVICE_POOL_REDIS_CONN_IDLE_TIMEOUT_SECOND', 'MAX_JOB_DURATION_SECONDS'),
    ...optional(harbor('src/jobservice/job/impl/notification/http_helper.go'), 'JOBSERVICE_WEBHOOK_JOB_MAX_RETRY', 'JOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT'),
    ...optional(harbor('src/jobservice/job/known_jobs.go'), 'IMAGE_SCAN_EXECUTION_RETENTION_COUNT', 'SBOM_EXECUTION_RETENTION_COUNT',
      'SCAN_ALL_EXECUTION_RETENTION_COUNT', 'PURGE_AUDIT_EXECUTION_RETENTION_COUNT', 'EXECUTION_SWEEP_EXECUTION_RETENTION_COUNT'),
  ],
};

const DISTRIBUTION_TAG = 'v2.8.3'; // goharbor/distribution v2.8.3-harbor.1 (Harbor v2.15.2's Makefile REGISTRY_SRC_TAG), a fork of this tag
/** distribution's environment override: `REGISTRY_` and the configuration path in upper case, `_` between the parts. */
export function registryEnvName(path: string): string {
  return `REGISTRY_${path.split('.').map((p) => p.toUpperCase()).join('_')}`;
}

/**
 * The registry (distribution): configuration.Parse overrides any field of its configuration with
 * REGISTRY_<PATH> (configuration/parser.go) and ignores, with a warning, names it has no field for.
 * registryctl parses the same file with the same parser (src/registryctl/config/config.go).
 */
const REGISTRY_CONFIG_FAMILY: EnvFamily = {
  description: 'distribution configuration paths',
  options: [
    'version', 'loglevel', 'log.level', 'log.formatter', 'log.fields', 'log.accesslog.disabled', 'log.hooks',
    'http.addr', 'http.net', 'http.host', 'http.prefix', 'http.secret', 'http.relativeurls', 'http.draintimeout',
    'http.tls.certificate', 'http.tls.key', 'http.tls.clientcas', 'http.tls.minimumtls', 'http.tls.ciphersuites',
    'http.tls.letsencrypt.cachefile', 'http.tls.letsencrypt.email', 'http.tls.letsencrypt.hosts', 'http.headers',
    'http.debug.addr', 'http.debug.prometheus.enabled', 'http.debug.prometheus.path', 'http.http2.disabled',
    'redis.addr', 'redis.password', 'redis.db', 'redis.dialtimeout', 'redis.readtimeout', 'redis.writetimeout',
    'redis.pool.maxidle', 'redis.pool.maxactive', 'redis.pool.idletimeout', 'redis.tls.enabled',
    'notifications.events.includereferences', 'notifications.endpoints',
    'proxy.remoteurl', 'proxy.username', 'proxy.password',
    'validation.enabled', 'validation.disabled', 'validation.manifests.urls.allow', 'validation.manifests.urls.deny',
    'compatibility.schema1.enabled', 'compatibility.schema1.signingkeyfile',
    'policy.repository.classes', 'reporting', 'health', 'catalog.maxentries',
  ],
  // free-form maps: the storage driver's, the auth provider's and middleware parameters
  openSections: ['storage', 'auth', 'middleware'],
  envName: registryEnvName,
  source: { repo: 'distribution/distribution', ref: DISTRIBUTION_TAG, path: 'configuration/configuration.go', note: 'goharbor/distribution v2.8.3-harbor.1 (Harbor Makefile REGISTRY_SRC_TAG) is a fork of this tag; parser: configuration/parser.go' },
};

export const HARBOR_REGISTRY_ENV: ProgramEnvContract = {
  program: 'registry',
  image: 'goharbor/registry-photon',
  variables: [],
  families: [{
    ...REGISTRY_CONFIG_FAMILY,
    required: { 'http.secret': 'without it each replica makes its own, and an upload that continues on another replica fails (configuration.go: http.secret)' },
  }],
};

const REGISTRYCTL_CONFIG = harbor('src/registryctl/config/config.go');
export const HARBOR_REGISTRYCTL_ENV: ProgramEnvContract = {
  program: 'harbor-registryctl',
  image: 'goharbor/harbor-registryctl',
  variables: [
    ...optional(REGISTRYCTL_CONFIG, 'CORE_SECRET', 'REGISTRYCTL_PROTOCOL', 'PORT', 'REGISTRYCTL_HTTPS_CERT', 'REGISTRYCTL_HTTPS_KEY', 'LOG_LEVEL', 'REGISTRY_CONFIG'),
    required(harbor('src/registryctl/handlers/handler.go'), 'JOBSERVICE_SECRET', 'jobservice\'s garbage collection authenticates with it'),
    ...optional(METADATA, ...SYSTEM_SETTINGS),
    ...optional(harbor('src/common/http/tls.go'), 'INTERNAL_TLS_ENABLED', 'INTERNAL_VERIFY_CLIENT_CERT', 'INTERNAL_TLS_KEY_PATH', 'INTERNAL_TLS_CERT_PATH'),
    ...optional(harbor('src/lib/pprof.go'), 'PPROF_ENABLED', 'PPROF_ADDR'),
    ...optional(harbor('src/lib/log/logger.go'), 'LOG_LEVEL'),
  ],
  families: [REGISTRY_CONFIG_FAMILY],
};

/** harbor-scanner-trivy release in Harbor v2.15.2's trivy-adapter image (Harbor's Makefile TRIVYADAPTERVERSION; pkg/etc/config.go is unchanged since v0.36.0). */
export const TRIVY_ADAPTER_TAG = 'v0.38.0';
const TRIVY_CONFIG: UpstreamFile = { repo: 'goharbor/harbor-scanner-trivy', ref: TRIVY_ADAPTER_TAG, path: 'pkg/etc/config.go' };
export const HARBOR_TRIVY_ENV: ProgramEnvContract = {
  program: 'trivy-adapter',
  image: 'goharbor/trivy-adapter-photon',
  variables: [
    ...optional(TRIVY_CONFIG,
      'SCANNER_LOG_LEVEL',
      'SCANNER_TRIVY_CACHE_DIR', 'SCANNER_TRIVY_REPORTS_DIR', 'SCANNER_TRIVY_DEBUG_MODE', 'SCANNER_TRIVY_VULN_TYPE',
      'SCANNER_TRIVY_SECURITY_CHECKS', 'SCANNER_TRIVY_SEVERITY', 'SCANNER_TRIVY_IGNORE_UNFIXED', 'SCANNER_TRIVY_IGNORE_POLICY',
      'SCANNER_TRIVY_SKIP_UPDATE', 'SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE', 'SCANNER_TRIVY_DB_REPOSITORY',
      'SCANNER_TRIVY_JAVA_DB_REPOSITORY', 'SCANNER_TRIVY_OFFLINE_SCAN', 'SCANNER_TRIVY_GITHUB_TOKEN', 'SCANNER_TRIVY_INSECURE',
      'SCANNER_TRIVY_VEX_SOURCE', 'SCANNER_TRIVY_SKIP_VEX_REPO_UPDATE', 'SCANNER_TRIVY_TIMEOUT',
      'SCANNER_API_SERVER_ADDR', 'SCANNER_API_SERVER_TLS_CERTIFICATE', 'SCANNER_API_SERVER_TLS_KEY', 'SCANNER_API_SERVER_CLIENT_CAS',
      'SCANNER_API_SERVER_READ_TIMEOUT', 'SCANNER_API_SERVER_WRITE_TIMEOUT', 'SCANNER_API_SERVER_IDLE_TIMEOUT',
      'SCANNER_API_SERVER_METRICS_ENABLED', 'SCANNER_STORE_REDIS_NAMESPACE', 'SCANNER_STORE_REDIS_SCAN_JOB_TTL',
      'SCANNER_JOB_QUEUE_REDIS_NAMESPACE', 'SCANNER_JOB_QUEUE_WORKER_CONCURRENCY',
      'SCANNER_REDIS_POOL_MAX_ACTIVE', 'SCANNER_REDIS_POOL_MAX_IDLE', 'SCANNER_REDIS_POOL_IDLE_TIMEOUT',
      'SCANNER_REDIS_POOL_CONNECTION_TIMEOUT', 'SCANNER_REDIS_POOL_READ_TIMEOUT', 'SCANNER_REDIS_POOL_WRITE_TIMEOUT'),
    required(TRIVY_CONFIG, 'SCANNER_REDIS_URL', 'the store and the job queue; the default is redis://localhost:6379'),
    ...optional({ ...TRIVY_CONFIG, path: 'pkg/harbor/model.go' }, 'TRIVY_VERSION'),
  ],
};

/** harbor-portal: nginx serving files, configured by its file; it reads no variables. */
export const HARBOR_PORTAL_ENV: ProgramEnvContract = { program: 'harbor-portal', image: 'goharbor/harbor-portal', variables: [] };

/**
 * valkey-photon (Harbor's Redis since v2.15.2): valkey-server reads its configuration file and
 * arguments, not the environment. Our container defines REDIS_PASSWORD only as the source of the
 * `$(REDIS_PASSWORD)` the kubelet expands into the arguments, which the test accepts as such.
 */
export const HARBOR_REDIS_ENV: ProgramEnvContract = { program: 'valkey', image: 'goharbor/valkey-photon', variables: [] };

/** Every Harbor program's contract. */
export const HARBOR_ENV_CONTRACTS: readonly ProgramEnvContract[] = [
  HARBOR_CORE_ENV, HARBOR_JOBSERVICE_ENV, HARBOR_REGISTRY_ENV, HARBOR_REGISTRYCTL_ENV, HARBOR_TRIVY_ENV, HARBOR_PORTAL_ENV, HARBOR_REDIS_ENV,
];
