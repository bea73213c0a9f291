/**
 * The pools the portal's MariaDB takes (config/contracts/portal-db-pools.ts): each fact is said by
 * its upstream file at the pinned ref, common-api and metric-api set no pool size anywhere in their
 * trees, and dist sets nothing that changes a pool behind the budget's back. The upstream checks
 * need a fetched copy of the repository in ../.mirror and are skipped, with a warning, without one.
 */
import { parse } from 'yaml';
import { parseConfig } from '../../config';
import { keycloakEnvName, keycloakPoolSize, metricsApiPoolSize, PORTAL_DB_POOL_SOURCES, PORTAL_DB_POOLS } from '../../config/contracts';
import { portalDatabasePools } from '../../platform/portal/portal-chart';
import { containers, renderManifests, workloads } from '../support/k8s-manifests';
import { hasMirror, mirrorGit, showAt } from '../support/mirror';

const git = mirrorGit;
const show = (repo: string, ref: string, file: string) => showAt({ repo, ref, path: file });
/** `path:line` of every line at `ref` matching the extended regular expression (case-insensitive), or none. */
function grep(repo: string, ref: string, pattern: string, ...paths: string[]): string[] {
  try {
    return git(repo, 'grep', '-n', '-i', '-E', pattern, ref, '--', ...paths).split('\n').filter(Boolean).map((l) => l.slice(ref.length + 1));
  } catch (e) {
    if ((e as { status?: number }).status === 1) return []; // git grep: no match
    throw e;
  }
}
/** The code of a `path:line:text` hit, unless the line is a Go comment. */
const goCode = (hits: readonly string[]) => hits.filter((h) => !/^[^:]+:\d+:\s*\/\//.test(h));

const repos = [...new Set([...PORTAL_DB_POOL_SOURCES.map((s) => s.source.repo), ...PORTAL_DB_POOLS.metricsApi.gorm.map((g) => g.repo)])];
const missing = repos.filter((r) => !hasMirror(r));
if (missing.length > 0) console.warn(`SKIPPED: no fetched copy of ${missing.join(', ')} in ../.mirror; the portal database pool facts read there are not compared with their source`);
const present = (repo: string) => !missing.includes(repo);
const itIf = (repo: string) => (present(repo) ? it : it.skip);

describe('the portal database pools in their upstream sources', () => {
  const facts = (has: boolean) => PORTAL_DB_POOL_SOURCES.filter((s) => present(s.source.repo) === has).map((s) => [`${s.source.repo}@${s.source.ref}:${s.source.path}`, s] as const);
  const saysIt = (_id: string, s: (typeof PORTAL_DB_POOL_SOURCES)[number]) => {
    expect(show(s.source.repo, s.source.ref, s.source.path)).toContain(s.text);
  };
  if (facts(true).length > 0) it.each(facts(true))('%s says what the contract records', saysIt);
  // listed, so a report shows which facts went unchecked
  if (facts(false).length > 0) it.skip.each(facts(false))('%s says what the contract records', saysIt);

  const common = PORTAL_DB_POOLS.commonApi;
  const commonRepo = common.springBoot.source.repo;
  const commonRef = common.springBoot.source.ref;

  itIf(commonRepo)('common-api sets no maximum pool size anywhere in its tree (configuration, Java, build, manifests)', () => {
    expect(grep(commonRepo, commonRef, 'maximum[-_.]?pool[-_.]?size|maxpoolsize')).toEqual([]);
  });

  itIf(commonRepo)('common-api has exactly the contract\'s datasources: in application.yml, as beans, and nothing else builds a DataSource', () => {
    const names = common.dataSources.map((d) => d.name);
    const yml = parse(show(commonRepo, commonRef, 'src/main/resources/application.yml')) as { spring: { datasource: Record<string, unknown> } };
    expect(Object.keys(yml.spring.datasource).sort()).toEqual([...names].sort());
    const prefixes = grep(commonRepo, commonRef, 'ConfigurationProperties\\(prefix = "spring\\.datasource')
      .map((h) => /spring\.datasource\.([A-Za-z0-9-]+)"/.exec(h)?.[1]);
    expect(prefixes.sort()).toEqual([...names].sort());
    const builders = new Set(grep(commonRepo, commonRef, 'DataSourceBuilder\\.create|new HikariDataSource|new HikariConfig|DriverManagerDataSource', '*.java').map((h) => h.split(':')[0]));
    expect([...builders].sort()).toEqual(common.dataSources.map((d) => d.bean.source.path).sort());
  });

  itIf(commonRepo)('common-api\'s build takes HikariCP\'s version from Spring Boot: it names none of its own and imports no other BOM', () => {
    expect(grep(commonRepo, commonRef, 'com\\.zaxxer|HikariCP|mavenBom', 'build.gradle', 'settings.gradle')).toEqual([]);
  });

  const metrics = PORTAL_DB_POOLS.metricsApi;
  const metricsRepo = metrics.pools[0].opened.source.repo;
  const metricsRef = metrics.pools[0].opened.source.ref;

  itIf(metricsRepo)('metric-api opens exactly the contract\'s pools', () => {
    const opened = goCode(grep(metricsRepo, metricsRef, 'sql\\.Open\\(|gorm\\.Open\\(|sqlx\\.(Open|Connect)\\(', '*.go'))
      .map((h) => { const [file, , ...text] = h.split(':'); return `${file}: ${text.join(':').trim()}`; });
    expect(opened.sort()).toEqual(metrics.pools.map((p) => `${p.opened.source.path}: ${p.opened.text}`).sort());
  });

  const limit = `(${metrics.limitCalls.join('|')})\\(`;
  itIf(metricsRepo)(`metric-api bounds none of its pools (no ${metrics.limitCalls.join(' or ')} in its Go code)`, () => {
    expect(goCode(grep(metricsRepo, metricsRef, limit, '*.go'))).toEqual([]);
  });

  // one test each, skipped (and named in the warning above) where its copy is missing
  for (const g of metrics.gorm) {
    itIf(g.repo)(`${g.repo}@${g.tag} (as metric-api's go.mod takes it) sets no pool limit outside its tests`, () => {
      expect(goCode(grep(g.repo, g.tag, limit, '*.go', ':!*_test.go'))).toEqual([]);
    });
  }

  it('counts each metric-api pool at what database/sql keeps idle plus the estimate in flight (no bound exists)', () => {
    // written out, not recomputed as the contract does: two pools (database/sql, gorm) of 2 idle + 3 in flight
    expect(metricsApiPoolSize()).toBe(10);
    expect(metrics.inFlightEstimate).toBeGreaterThanOrEqual(1); // the collector's one statement at least
  });
});

describe('the portal database pools in dist', () => {
  const input = {};
  const ws = workloads(renderManifests(input).objects);
  const envOf = (namespace: string, workload: string) => containers(ws)
    .filter((wc) => wc.workload.namespace === namespace && wc.workload.name === workload && !wc.init)
    .flatMap((wc) => (wc.container.env ?? []) as Array<{ name: string; value?: string }>);

  it('counts Keycloak\'s pool as its container sets db-pool-max-size (Keycloak\'s default where unset)', () => {
    const set = envOf('keycloak', 'keycloak').find((e) => e.name === keycloakEnvName(PORTAL_DB_POOLS.keycloak.option));
    const counted = portalDatabasePools(parseConfig(input)).find((p) => p.client === 'keycloak')!.poolSize;
    expect(counted).toBe(keycloakPoolSize(set?.value === undefined ? undefined : Number(set.value)));
  });

  it('gives common-api no setting that changes its Hikari pools (the budget counts their default size)', () => {
    const env = envOf('cp-portal', 'cp-portal-common-api-deployment');
    expect(env.length).toBeGreaterThan(0);
    expect(env.filter((e) => /^SPRING_DATASOURCE_|POOL/i.test(e.name) || /pool.?size/i.test(e.value ?? '')).map((e) => e.name)).toEqual([]);
  });
});
