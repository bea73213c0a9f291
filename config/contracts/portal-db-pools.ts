/**
 * The connection pools of the CP-Portal MariaDB's clients, as their code and the libraries their
 * builds take set them at the refs we pin (common-api and metric-api: VERSIONS.kpaasPortalSources;
 * Keycloak: KEYCLOAK_TAG). platform/portal/portal-chart.ts (portalDatabasePools) sums them into the
 * server's max_connections; test/contracts/portal-db-pools.test.ts finds each `text` in its file and
 * looks through the components' trees for a pool setting, where a fetched copy is at hand.
 */
import { VERSIONS } from '../versions';
import type { UpstreamText } from './images';
import { KEYCLOAK_OPTIONS_READ_AT, KEYCLOAK_TAG } from './keycloak-env';

const read = (repo: string, ref: string, path: string, text: string, note?: string): UpstreamText => ({
  text,
  source: { repo, ref, path, note: note ?? text },
});
const commonApi = VERSIONS.kpaasPortalSources.commonApi;
const metricsApi = VERSIONS.kpaasPortalSources.metricsApi;
const inCommonApi = (path: string, text: string) => read(commonApi.repo, commonApi.commit, path, text);
const inMetricsApi = (path: string, text: string) => read(metricsApi.repo, metricsApi.commit, path, text);

/**
 * The Spring Boot release common-api's build applies (its Gradle plugin, which also sets the managed
 * versions); the other Java components run the same release (config/versions.ts kpaasPortalSources).
 * Also the ref portal-env.ts cites Spring Boot's own source at.
 */
export const PORTAL_SPRING_BOOT = '3.4.4';
/** The HikariCP release that Spring Boot manages, so the one common-api runs (its build names no version of its own). */
const HIKARI = '5.1.0';
const inSpringBoot = (path: string, text: string) => read('spring-projects/spring-boot', `v${PORTAL_SPRING_BOOT}`, path, text);
/** HikariCP's maximumPoolSize when none is configured (HikariConfig.validate: below 1 becomes DEFAULT_POOL_SIZE). */
const HIKARI_DEFAULT_POOL_SIZE = 10;
/** The Go release metric-api's go.mod names (its Dockerfile builds with golang:<this>-alpine). */
export const PORTAL_METRICS_API_GO = '1.24';
/** gorm and its MySQL dialector as metric-api's go.mod requires them. */
const GORM = 'v1.25.12';
const GORM_MYSQL = 'v1.5.7';
/**
 * Where Go's database/sql defaults were read: a stored copy of src/database/sql/sql.go at this
 * golang/go commit, which could not be matched to a go1.24.x tag offline (golang/go is larger than a
 * fetch may be). The defaults have been the same since Go 1.1 (MaxOpenConns) and Go 1.0 (MaxIdleConns).
 */
const GO_SQL_COMMIT = '01988dc51944e1efa2061eda9c8d8de87e71305e';
const inGoSql = (text: string) => read('golang/go', GO_SQL_COMMIT, 'src/database/sql/sql.go', text,
  `${text} (SetMaxOpenConns / defaultMaxIdleConns; read in a stored copy at ${GO_SQL_COMMIT}, not matched to go${PORTAL_METRICS_API_GO}.x offline)`);
/** database/sql's idle connections kept per pool when SetMaxIdleConns is not called. */
const GO_DEFAULT_MAX_IDLE_CONNS = 2;
/** Keycloak's db-pool-max-size when unset. */
const KEYCLOAK_DEFAULT_POOL_MAX_SIZE = 100;

/** One JDBC pool of common-api: a DataSource bean bound to `spring.datasource.<name>`. */
export interface SpringDataSource {
  /** The key under spring.datasource in application.yml. */
  readonly name: string;
  /** The bean that builds it (DataSourceBuilder, so a HikariDataSource) with the properties under that key. */
  readonly bean: UpstreamText;
}

const dataSource = (name: string, beanFile: string): SpringDataSource => ({
  name,
  bean: inCommonApi(beanFile, `@ConfigurationProperties(prefix = "spring.datasource.${name}")`),
});

export const PORTAL_DB_POOLS = {
  commonApi: {
    /** Every DataSource of common-api; none sets maximum-pool-size (the test searches the whole tree). */
    dataSources: [
      dataSource('cp', 'src/main/java/org/container/platform/common/api/config/CpDataSourceConfig.java'),
      dataSource('keycloak', 'src/main/java/org/container/platform/keycloak/config/KeycloakDataSourceConfig.java'),
    ],
    springBoot: { version: PORTAL_SPRING_BOOT, ...inCommonApi('build.gradle', `id 'org.springframework.boot' version '${PORTAL_SPRING_BOOT}'`) },
    /** The starter that puts HikariCP on the classpath. */
    jdbcStarter: inCommonApi('build.gradle', '"org.springframework.boot:spring-boot-starter-jdbc"'),
    hikari: {
      version: HIKARI,
      ...inSpringBoot('spring-boot-project/spring-boot-dependencies/build.gradle', `library("HikariCP", "${HIKARI}")`),
    },
    /** Why the builder's DataSource is Hikari's: the starter depends on it, and the builder looks it up first. */
    hikariChosen: [
      inSpringBoot('spring-boot-project/spring-boot-starters/spring-boot-starter-jdbc/build.gradle', 'api("com.zaxxer:HikariCP")'),
      inSpringBoot('spring-boot-project/spring-boot/src/main/java/org/springframework/boot/jdbc/DataSourceBuilder.java', 'result = lookup(classLoader, type, result, "com.zaxxer.hikari.HikariDataSource",'),
    ],
    defaultPoolSize: {
      size: HIKARI_DEFAULT_POOL_SIZE,
      ...read('brettwooldridge/HikariCP', `HikariCP-${HIKARI}`, 'src/main/java/com/zaxxer/hikari/HikariConfig.java', `DEFAULT_POOL_SIZE = ${HIKARI_DEFAULT_POOL_SIZE};`),
    },
  },
  metricsApi: {
    /** Every pool metric-api opens, once each at package init, neither limited (no SetMaxOpenConns in the tree). */
    pools: [
      { name: 'database/sql (sqlmapper)', opened: inMetricsApi('action/db/database.go', 'Connection, err = sql.Open("mysql", datasource)') },
      { name: 'gorm', opened: inMetricsApi('action/gorm/gorm.go', 'db, err = gorm.Open(mysql.Open(dsn), &gorm.Config{') },
    ],
    /** The calls that would bound a database/sql pool (gorm's too, through its *sql.DB). */
    limitCalls: ['SetMaxOpenConns', 'SetMaxIdleConns'],
    /** The Go release it builds with: go.mod's go line, and the Dockerfile's builder (the newest 1.24.x when built). */
    go: [inMetricsApi('go.mod', `go ${PORTAL_METRICS_API_GO}`), inMetricsApi('Dockerfile', `FROM golang:${PORTAL_METRICS_API_GO}-alpine AS builder`)],
    /** gorm and its MySQL dialector, as go.mod takes them: neither sets a pool limit (the test greps their trees at these tags). */
    gorm: [
      { repo: 'go-gorm/gorm', tag: GORM, required: inMetricsApi('go.mod', `gorm.io/gorm ${GORM}`) },
      { repo: 'go-gorm/mysql', tag: GORM_MYSQL, required: inMetricsApi('go.mod', `gorm.io/driver/mysql ${GORM_MYSQL}`) },
    ],
    /** The dialector opens a plain database/sql pool (gorm.io/driver/mysql Initialize). */
    gormOpens: read('go-gorm/mysql', GORM_MYSQL, 'mysql.go', 'db.ConnPool, err = sql.Open(dialector.DriverName, dialector.DSN)'),
    /** database/sql's defaults, which both pools keep: no limit on open connections, two kept idle. */
    sqlDefaults: {
      maxOpen: { unlimited: 0, ...inGoSql('The default is 0 (unlimited).') },
      maxIdle: { size: GO_DEFAULT_MAX_IDLE_CONNS, ...inGoSql(`const defaultMaxIdleConns = ${GO_DEFAULT_MAX_IDLE_CONNS}`) },
    },
    /**
     * Connections counted per pool, which has no bound (sqlDefaults.maxOpen): the two database/sql
     * keeps idle after a burst, plus the statements in flight at once. The collector (main.go's loop,
     * app.Process) runs one cluster at a time, so one in flight; each HTTP request (net/http, a
     * goroutine each) a few in turn: we count three at once. An estimate, not a bound.
     */
    inFlightEstimate: 3,
  },
  keycloak: {
    /** The option that bounds Keycloak's pool (set through its KC_ variable, keycloakEnvName). */
    option: 'db-pool-max-size',
    defaultMaxSize: {
      size: KEYCLOAK_DEFAULT_POOL_MAX_SIZE,
      ...read('keycloak/keycloak', KEYCLOAK_TAG, 'quarkus/config-api/src/main/java/org/keycloak/config/DatabaseOptions.java',
        `.defaultValue(${KEYCLOAK_DEFAULT_POOL_MAX_SIZE})`,
        `DB_POOL_MAX_SIZE ("db-pool-max-size") .defaultValue(${KEYCLOAK_DEFAULT_POOL_MAX_SIZE}); read in a stored copy at ${KEYCLOAK_OPTIONS_READ_AT} that could not be matched to the tag offline (the repository is larger than a fetch may be)`),
    },
  },
} as const;

/** Connections one common-api pod opens at most: each DataSource's Hikari pool at its default size. */
export function commonApiPoolSize(): number {
  return PORTAL_DB_POOLS.commonApi.dataSources.length * PORTAL_DB_POOLS.commonApi.defaultPoolSize.size;
}

/** Connections counted for one metric-api pod: each of its unbounded pools at what it keeps idle plus the estimate in flight. */
export function metricsApiPoolSize(): number {
  const m = PORTAL_DB_POOLS.metricsApi;
  return m.pools.length * (m.sqlDefaults.maxIdle.size + m.inFlightEstimate);
}

/** Connections one Keycloak pod opens at most: db-pool-max-size as set, else Keycloak's default. */
export function keycloakPoolSize(setting: number | undefined): number {
  return setting ?? PORTAL_DB_POOLS.keycloak.defaultMaxSize.size;
}

/** Every upstream text the pools rest on, for the contract test. */
export const PORTAL_DB_POOL_SOURCES: readonly UpstreamText[] = [
  ...PORTAL_DB_POOLS.commonApi.dataSources.map((d) => d.bean),
  PORTAL_DB_POOLS.commonApi.springBoot,
  PORTAL_DB_POOLS.commonApi.jdbcStarter,
  PORTAL_DB_POOLS.commonApi.hikari,
  ...PORTAL_DB_POOLS.commonApi.hikariChosen,
  PORTAL_DB_POOLS.commonApi.defaultPoolSize,
  ...PORTAL_DB_POOLS.metricsApi.pools.map((p) => p.opened),
  ...PORTAL_DB_POOLS.metricsApi.go,
  ...PORTAL_DB_POOLS.metricsApi.gorm.map((g) => g.required),
  PORTAL_DB_POOLS.metricsApi.gormOpens,
  PORTAL_DB_POOLS.metricsApi.sqlDefaults.maxOpen,
  PORTAL_DB_POOLS.metricsApi.sqlDefaults.maxIdle,
  PORTAL_DB_POOLS.keycloak.defaultMaxSize,
];
