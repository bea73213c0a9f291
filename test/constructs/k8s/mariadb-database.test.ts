import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import type { Connection } from '../../../config/contracts/connections';
import { appLabels, podsPeer } from '../../../config/contracts/connections';
import { mariadbAddress, MariaDbDatabase, MariaDbDatabaseProps, mariadbSelector } from '../../../constructs/k8s';
import { KubeStorageClass } from '../../../imports/k8s';

const config = parseConfig({});
const SERVER = podsPeer('shop', mariadbSelector('shop'));
const API = podsPeer('shop', appLabels('shop', 'api'));
const WORKER = podsPeer('shop', appLabels('shop', 'worker'));
const link = (name: string, from: Connection['from'], to: Connection['to'], port = 3306): Connection =>
  ({ component: 'shop', name, from, to, port, protocol: 'TCP', why: 'test', opens: { unverified: 'test' } });
const CONNECTIONS: Connection[] = [
  link('api -> db', API, SERVER),
  link('worker -> db', WORKER, SERVER),
  link('api -> worker', API, WORKER, 8080),
];

function synth(props: Partial<MariaDbDatabaseProps> & Pick<MariaDbDatabaseProps, 'connections' | 'config'>) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const storageClass = new KubeStorageClass(chart, 'sc', { metadata: { name: 'retain' }, provisioner: 'example' });
  const db = new MariaDbDatabase(chart, 'db', { app: 'shop', secret: { name: 'shop-db' }, storageClass, size: '3Gi', ...props });
  const objects = Testing.synth(chart);
  const one = (kind: string) => objects.find((o) => o.kind === kind);
  return { db, objects, one };
}

describe('MariaDbDatabase', () => {
  const { db, objects, one } = synth({ connections: CONNECTIONS, config, extraDatabases: ['orders', 'billing'] });
  const sts = one('StatefulSet');
  const pod = sts.spec.template.spec;
  const container = pod.containers[0];

  it('serves at the address mariadbAddress() declares, and names everything after it', () => {
    expect(db.serviceAddress).toEqual(mariadbAddress('shop', 'shop'));
    expect([db.host, db.port, db.address]).toEqual(['shop-mariadb.shop.svc', 3306, 'shop-mariadb.shop.svc:3306']);
    expect(objects.filter((o) => o.kind !== 'StorageClass').map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/shop-mariadb-init', 'NetworkPolicy/shop-mariadb', 'Service/shop-mariadb', 'ServiceAccount/shop-mariadb', 'StatefulSet/shop-mariadb',
    ]);
    expect(one('Service').spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': 'shop-mariadb' },
      ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }],
    });
    expect(container.ports).toEqual([{ name: 'mysql', containerPort: 3306 }]);
    expect(container.readinessProbe.exec.command[2]).toBe('exec mariadb-admin --protocol=tcp --host=127.0.0.1 --port=3306 ping');
  });

  it('labels its objects as mariadb of its version, and selects its pods without the version', () => {
    const labels = { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': 'shop-mariadb', 'app.kubernetes.io/version': '11.4.12' };
    for (const o of objects.filter((x) => x.kind !== 'StorageClass')) expect(o.metadata.labels).toEqual(labels);
    expect(sts.spec.template.metadata.labels).toEqual(labels);
    expect(sts.spec.selector.matchLabels).toEqual(mariadbSelector('shop'));
  });

  it('admits exactly the connections made to its pods, and opens none', () => {
    const tcp3306 = [{ protocol: 'TCP', port: 3306 }];
    expect(one('NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: mariadbSelector('shop') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: appLabels('shop', 'api') } }], ports: tcp3306 },
        { from: [{ podSelector: { matchLabels: appLabels('shop', 'worker') } }], ports: tcp3306 },
      ],
    });
  });


  it('creates the extra databases at first start from a script the entrypoint sources', () => {
    expect(one('ConfigMap').data['10-extra-databases.sh']).toMatch(/^for db in orders billing; do\n/);
    expect(pod.volumes).toContainEqual({ name: 'init', configMap: { name: 'shop-mariadb-init', defaultMode: 0o444 } });
    expect(container.volumeMounts).toContainEqual({ name: 'init', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(synth({ connections: CONNECTIONS, config }).objects.filter((o) => o.kind === 'ConfigMap')).toEqual([]);
  });

  it('leaves the connection limit to the server without a connection budget', () => {
    expect(db.maxConnections).toBeUndefined();
    expect(container.args.filter((a: string) => a.startsWith('--max-connections'))).toEqual([]);
  });

  it('runs as the mysql user without privileges or an API token, on a Retain volume', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual(['shop-mariadb', false]);
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'retain', resources: { requests: { storage: '3Gi' } } });
    expect(container.env).toContainEqual({ name: 'MARIADB_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'rootPassword' } } });
  });
});

describe('MariaDbDatabase userDatabases', () => {
  const reports = { name: 'reports', secret: { name: 'reports-db', usernameKey: 'user' }, characterSet: 'utf8mb3', applicationUserMayRead: true } as const;
  const audit = { name: 'audit', secret: { name: 'audit-db' } };
  const { one } = synth({ connections: CONNECTIONS, config, userDatabases: [reports, audit] });
  const container = one('StatefulSet').spec.template.spec.containers[0];
  const ref = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });

  it('creates each database with its own user, from a script per database, without extra databases', () => {
    const data = one('ConfigMap').data;
    expect(Object.keys(data).sort()).toEqual(['20-audit.sh', '20-reports.sh']);
    expect(data['20-reports.sh'].split('\n')).toEqual([
      'docker_process_sql --database=mysql <<EOSQL',
      'CREATE DATABASE IF NOT EXISTS ${REPORTS_DB_NAME} CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci;',
      "CREATE USER IF NOT EXISTS '${REPORTS_DB_USER}'@'%' IDENTIFIED BY '${REPORTS_DB_PASSWORD}';",
      "GRANT ALL ON ${REPORTS_DB_NAME}.* TO '${REPORTS_DB_USER}'@'%';",
      "GRANT SELECT ON ${REPORTS_DB_NAME}.* TO '${MARIADB_USER}'@'%';",
      'EOSQL',
      '',
    ]);
    // the server's character set by default, and no grant to the application user
    expect(data['20-audit.sh']).toContain('CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;');
    expect(data['20-audit.sh']).not.toContain('MARIADB_USER');
    expect(container.volumeMounts).toContainEqual({ name: 'init', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
  });

  it("hands the server each database's Secret values, after its own", () => {
    expect(container.env.map((e: { name: string }) => e.name)).toEqual([
      'MARIADB_ROOT_PASSWORD', 'MARIADB_DATABASE', 'MARIADB_USER', 'MARIADB_PASSWORD',
      'REPORTS_DB_NAME', 'REPORTS_DB_USER', 'REPORTS_DB_PASSWORD', 'AUDIT_DB_NAME', 'AUDIT_DB_USER', 'AUDIT_DB_PASSWORD',
    ]);
    expect(container.env.slice(4, 7)).toEqual([
      { name: 'REPORTS_DB_NAME', ...ref('reports-db', 'database') },
      { name: 'REPORTS_DB_USER', ...ref('reports-db', 'user') },
      { name: 'REPORTS_DB_PASSWORD', ...ref('reports-db', 'password') },
    ]);
  });

  it('fails on a name that is not a plain lowercase word, or one given twice', () => {
    expect(() => synth({ connections: [], config, userDatabases: [{ name: 'Bad-Name', secret: { name: 's' } }] }))
      .toThrow(/user database name "Bad-Name" is not a lowercase letter/);
    expect(() => synth({ connections: [], config, userDatabases: [audit, audit] }))
      .toThrow(/user database name "audit" is given more than once/);
  });
});

describe('MariaDbDatabase connectionBudget', () => {
  it("sets max_connections to every client's pool at once plus the reserve", () => {
    const connectionBudget = { pools: [{ client: 'api', pods: 3, poolSize: 10 }, { client: 'worker', pods: 2, poolSize: 4 }], reserve: { maintenance: 5, job: 2 } };
    const { db, one } = synth({ connections: [], config, connectionBudget });
    expect(db.maxConnections).toBe(45);
    expect(one('StatefulSet').spec.template.spec.containers[0].args).toEqual([
      '--datadir=/var/lib/mysql/data', '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci', '--max-connections=45',
    ]);
  });

  it('fails on an unbounded pool', () => {
    expect(() => synth({ connections: [], config, connectionBudget: { pools: [{ client: 'api', pods: 1, poolSize: 0 }], reserve: {} } }))
      .toThrow(/database client api: poolSize must be a positive integer/);
  });
});
