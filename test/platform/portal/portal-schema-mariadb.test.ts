/**
 * The portal's schema SQL, exactly as the schema Job's ConfigMap carries it, loaded into a real
 * MariaDB (Debian's mariadb-server: a private server on a socket in a scratch folder, its own
 * datadir) by the application user the Job logs in as: it loads twice without error and without
 * changing anything, it has every table and column the portal's programs name, the seed rows
 * portal-api looks up, and the host cluster's row. Skipped visibly where mariadbd is not
 * installed or does not start (.ci/run installs it).
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import { mariadbAddress } from '../../../constructs/k8s/mariadb-database';
import { PORTAL_APP, PORTAL_NAMESPACE, portalHostCluster } from '../../../platform/portal/portal-names';
import { PORTAL_SCHEMA_CONNECTIONS, PORTAL_SEED_NAMES, PORTAL_TABLES, PortalSchema } from '../../../platform/portal/portal-schema';
import { scratchDir } from '../../support/scratch';

const config = parseConfig({});
/** The application user, as the image's entrypoint creates it (MARIADB_USER with ALL on MARIADB_DATABASE). */
const USER = { name: 'cp_portal', password: 'portal-test-pw', database: 'cp' };

/** A program from the PATH or the sbin folders (not on a non-root PATH everywhere). */
function program(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.map((d) => path.join(d, name)).find((p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

interface Server {
  readonly dir: string;
  readonly socket: string;
  readonly process: ChildProcess;
  readonly client: string;
}

/** Sleeps without an event loop: the server is started while the tests are being declared. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Starts a private server, or says why it cannot. */
function startServer(): Server | string {
  const [mariadbd, installDb, client, admin] = ['mariadbd', 'mariadb-install-db', 'mariadb', 'mariadb-admin'].map(program);
  if (!mariadbd || !installDb || !client || !admin) return 'mariadbd, mariadb-install-db, mariadb or mariadb-admin not found (apt-get install mariadb-server)';
  const dir = scratchDir('portal-schema-');
  const socket = path.join(dir, 'mysqld.sock');
  // mariadbd refuses to run as root unless told to
  const asUser = process.getuid?.() === 0 ? [`--user=${os.userInfo().username}`] : [];
  const install = spawnSync(installDb, ['--no-defaults', `--datadir=${dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asUser], { encoding: 'utf8', timeout: 20000 });
  if (install.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    const lines = `${install.stderr ?? ''}\n${install.stdout ?? ''}\n${install.error ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
    return `mariadb-install-db failed: ${lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `exit ${install.status}`}`;
  }
  const server = spawn(mariadbd, [
    '--no-defaults', `--datadir=${dir}/data`, `--socket=${socket}`, '--skip-networking', `--pid-file=${dir}/mysqld.pid`,
    `--log-error=${dir}/error.log`, '--skip-log-bin', '--innodb-buffer-pool-size=16M',
    // as the platform's server runs (constructs/k8s/mariadb-database.ts)
    '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci', ...asUser,
  ], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) break;
    if (spawnSync(admin, ['--no-defaults', `--socket=${socket}`, 'ping'], { stdio: 'ignore' }).status === 0) return { dir, socket, process: server, client };
    pause(100);
  }
  server.kill('SIGKILL');
  const log = fs.existsSync(`${dir}/error.log`) ? fs.readFileSync(`${dir}/error.log`, 'utf8').trim().split('\n').filter((l) => /ERROR/.test(l)).slice(-1)[0] : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return `mariadbd did not start${log ? `: ${log}` : ''}`;
}

const server = startServer();
if (typeof server === 'string') console.warn(`SKIPPED: the portal schema in a real MariaDB; ${server}`);
const withServer = typeof server === 'string' ? describe.skip : describe;

/** Runs SQL through the mariadb client over the socket, as root (no password) or as the application user. */
function sql(s: Server, input: string, as: 'root' | 'app' = 'app'): string {
  const login = as === 'root' ? ['--user=root'] : [`--user=${USER.name}`, `--database=${USER.database}`];
  return execFileSync(s.client, ['--no-defaults', `--socket=${s.socket}`, ...login, '--batch', '--skip-column-names'], {
    input,
    encoding: 'utf8',
    env: { ...process.env, ...(as === 'app' ? { MYSQL_PWD: USER.password } : {}) },
  });
}
const rows = (s: Server, query: string) => sql(s, query).trimEnd().split('\n').filter(Boolean).map((l) => l.split('\t'));

/** The schema Job's files, as its ConfigMap carries them, in the order its script applies them. */
function jobFiles(): Array<[string, string]> {
  const chart = new Chart(Testing.app(), 'test', { namespace: PORTAL_NAMESPACE });
  const schema = new PortalSchema(chart, 'schema', { config, database: mariadbAddress(PORTAL_APP, PORTAL_NAMESPACE), connections: PORTAL_SCHEMA_CONNECTIONS });
  const data = schema.configMap.toJson().data as Record<string, string>;
  const script = (schema.job.toJson().spec.template.spec.containers[0].command as string[])[2];
  return [...script.matchAll(/< \/sql\/(\S+)/g)].map((m) => [m[1], data[m[1]]]);
}

/** Everything a load could change: each table's definition (with its AUTO_INCREMENT) and a checksum of its rows. */
function state(s: Server): string {
  return rows(s, 'SHOW TABLES').map(([t]) => [
    sql(s, `SHOW CREATE TABLE \`${t}\``),
    sql(s, `CHECKSUM TABLE \`${t}\` EXTENDED`),
  ].join('')).join('\n');
}

withServer('the portal schema in a real MariaDB', () => {
  const s = server as Server;
  const files = jobFiles();
  const load = () => files.forEach(([, text]) => sql(s, text));
  let first = '';

  beforeAll(() => {
    sql(s, [
      `CREATE DATABASE ${USER.database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
      `CREATE USER '${USER.name}'@'localhost' IDENTIFIED BY '${USER.password}';`,
      `GRANT ALL ON ${USER.database}.* TO '${USER.name}'@'localhost';`,
    ].join('\n'), 'root');
  });

  afterAll(async () => {
    const exited = new Promise((resolve) => s.process.once('exit', resolve));
    s.process.kill('SIGTERM');
    await exited;
    fs.rmSync(s.dir, { recursive: true, force: true });
  });

  it('loads as the application user, the Job\'s files in the Job\'s order', () => {
    expect(files.map(([name, text]) => [name, typeof text])).toEqual([['0001-cp-schema.sql', 'string'], ['0002-seed.sql', 'string']]);
    load();
    first = state(s);
  });

  it('loads a second time without error and changes nothing', () => {
    load();
    expect(state(s)).toBe(first);
  });

  it('has exactly the tables the portal\'s programs name, each with every column they name', () => {
    expect(rows(s, 'SHOW TABLES').map(([t]) => t).sort()).toEqual(PORTAL_TABLES.map((t) => t.name).sort());
    const columns = rows(s, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = '${USER.database}'`);
    const missing = PORTAL_TABLES.flatMap((t) => t.columns
      .filter((c) => !columns.some(([table, column]) => table === t.name && column === c))
      .map((c) => `${t.name}.${c} (${t.source.repo}@${t.source.ref}:${t.source.path})`));
    expect(missing).toEqual([]);
  });

  it('has a ResourceQuota template for every name portal-api looks up, with the limits it reads', () => {
    expect(rows(s, 'SELECT id, name, limit_cpu, limit_memory FROM cp_resource_quotas ORDER BY id')).toEqual([
      ['1', 'cp-low-resourcequota', '2', '2Gi'],
      ['2', 'cp-medium-resourcequota', '4', '6Gi'],
      ['3', 'cp-high-resourcequota', '8', '12Gi'],
    ]);
    expect(rows(s, 'SELECT name FROM cp_resource_quotas ORDER BY id').map(([n]) => n)).toEqual([...PORTAL_SEED_NAMES.resourceQuotas]);
  });

  it('has a LimitRange template row per name and resource portal-api looks up, with the default limit it reads', () => {
    expect(rows(s, 'SELECT id, name, type, resource, default_limit FROM cp_limit_ranges ORDER BY id')).toEqual([
      ['1', 'cp-low-limitrange', 'Container', 'cpu', '100m'],
      ['2', 'cp-low-limitrange', 'Container', 'memory', '500Mi'],
      ['3', 'cp-medium-limitrange', 'Container', 'cpu', '300m'],
      ['4', 'cp-medium-limitrange', 'Container', 'memory', '1500Mi'],
      ['5', 'cp-high-limitrange', 'Container', 'cpu', '900m'],
      ['6', 'cp-high-limitrange', 'Container', 'memory', '3Gi'],
    ]);
    const pairs = rows(s, 'SELECT name, resource FROM cp_limit_ranges').map(([n, r]) => `${n}/${r}`).sort();
    expect(pairs).toEqual(PORTAL_SEED_NAMES.limitRanges.flatMap((n) => PORTAL_SEED_NAMES.limitRangeResources.map((r) => `${n}/${r}`)).sort());
  });

  it('starts with no HCL templates (super admins write them; none is public)', () => {
    expect(rows(s, 'SELECT COUNT(*) FROM cp_hcl_templates')).toEqual([['0']]);
  });

  it('has exactly one HOST cluster, under the config\'s fixed id, with nothing NULL that metrics-api reads', () => {
    const host = portalHostCluster(config);
    expect(rows(s, "SELECT cluster_id, name, cluster_type, provider_type, status FROM cp_clusters WHERE cluster_type = 'HOST'")).toEqual([
      [host.id, host.name, 'HOST', host.providerType, 'A'],
    ]);
    expect(rows(s, `SELECT COUNT(*) FROM cp_clusters WHERE cluster_id = '${host.id}'
      AND name IS NOT NULL AND cluster_type IS NOT NULL AND created IS NOT NULL AND last_modified IS NOT NULL AND provider_type IS NOT NULL AND description IS NOT NULL AND status IS NOT NULL`)).toEqual([['1']]);
    expect(rows(s, 'SELECT created REGEXP \'^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$\' FROM cp_clusters')).toEqual([['1']]);
  });

  it('keeps what a super admin changed in the host row on a later load, and restores the type and provider the portal depends on', () => {
    const id = portalHostCluster(config).id;
    sql(s, `UPDATE cp_clusters SET name = 'renamed', description = 'edited', cluster_type = 'sub', provider_type = 'AWS' WHERE cluster_id = '${id}'`);
    load();
    expect(rows(s, `SELECT name, description, cluster_type, provider_type FROM cp_clusters WHERE cluster_id = '${id}'`)).toEqual([['renamed', 'edited', 'HOST', 'OPENSTACK']]);
  });

  it('takes a sign-up row as common-api writes it (the host cluster\'s id, every NOT NULL column)', () => {
    const id = portalHostCluster(config).id;
    sql(s, `INSERT INTO cp_users (cluster_id, user_id, user_auth_id, namespace, user_type, role_set_code, service_account_name, created, last_modified)
      VALUES ('${id}', 'admin', '0b6c7a1e-0000-4000-8000-000000000001', 'cp-portal-temp-namespace', 'SUPER_ADMIN', '-', '0b6c7a1e-0000-4000-8000-000000000001', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`);
    expect(rows(s, "SELECT u.user_type FROM cp_users u JOIN cp_clusters c ON c.cluster_id = u.cluster_id WHERE c.cluster_type = 'HOST'")).toEqual([['SUPER_ADMIN']]);
  });
});
