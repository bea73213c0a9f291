import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import type { Connection } from '../../../config/contracts/connections';
import { appLabels, podsPeer } from '../../../config/contracts/connections';
import {
  podsDuringRollout,
  POSTGRES_CONNECTION_RESERVE,
  postgresAddress,
  postgresMaxConnections,
  PostgresDatabase,
  PostgresDatabaseProps,
  postgresSelector,
} from '../../../constructs/k8s';
import { KubeStorageClass } from '../../../imports/k8s';

const config = parseConfig({});
const SERVER = podsPeer('shop', postgresSelector('shop'));
const API = podsPeer('shop', appLabels('shop', 'api'));
const BAO = podsPeer('openbao', appLabels('openbao', 'server'));
const link = (name: string, from: Connection['from'], to: Connection['to'], port = 5432): Connection =>
  ({ component: 'shop', name, from, to, port, protocol: 'TCP', why: 'test', opens: { unverified: 'test' } });
const CONNECTIONS: Connection[] = [
  link('api -> db', API, SERVER),
  link('openbao -> db', BAO, SERVER),
  // made to other pods: not the server's business
  link('api -> other db', API, podsPeer('shop', postgresSelector('other'))),
  link('api -> api', API, API, 8080),
];

function synth(props: Partial<PostgresDatabaseProps> & Pick<PostgresDatabaseProps, 'connections' | 'config'>) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const storageClass = new KubeStorageClass(chart, 'sc', { metadata: { name: 'retain' }, provisioner: 'example' });
  const db = new PostgresDatabase(chart, 'db', {
    app: 'shop',
    secret: { name: 'shop-db' },
    storageClass,
    size: '7Gi',
    connectionPools: [{ client: 'shop-api', pods: 3, poolSize: 20 }, { client: 'shop-worker', pods: 1, poolSize: 5 }],
    ...props,
  });
  const objects = Testing.synth(chart);
  const one = (kind: string) => objects.find((o) => o.kind === kind);
  return { db, objects, one };
}

describe('PostgresDatabase', () => {
  const { db, objects, one } = synth({ connections: CONNECTIONS, config });
  const sts = one('StatefulSet');
  const container = sts.spec.template.spec.containers[0];

  it('serves at the address postgresAddress() declares, and names everything after it', () => {
    expect(db.serviceAddress).toEqual(postgresAddress('shop', 'shop'));
    expect([db.host, db.port]).toEqual(['shop-postgres.shop.svc', 5432]);
    expect(db.jdbcUrl('orders')).toBe('jdbc:postgresql://shop-postgres.shop.svc:5432/orders');
    expect(objects.filter((o) => o.kind !== 'StorageClass').map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'NetworkPolicy/shop-postgres', 'Service/shop-postgres', 'ServiceAccount/shop-postgres', 'StatefulSet/shop-postgres',
    ]);
    expect(one('Service').spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'shop-postgres' },
      ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }],
    });
    expect(container.ports).toEqual([{ name: 'postgres', containerPort: 5432 }]);
    expect(sts.spec.serviceName).toBe('shop-postgres');
  });

  it('labels its objects as postgres of its version, and selects its pods without the version', () => {
    const labels = { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'shop-postgres', 'app.kubernetes.io/version': '17.11' };
    for (const o of objects.filter((x) => x.kind !== 'StorageClass')) expect(o.metadata.labels).toEqual(labels);
    expect(sts.spec.template.metadata.labels).toEqual(labels);
    expect(sts.spec.selector.matchLabels).toEqual(postgresSelector('shop'));
    expect(sts.spec.volumeClaimTemplates[0].metadata.labels).toEqual(postgresSelector('shop'));
  });

  it('keeps the data on the given class and size, in a subdirectory of the volume', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'retain', resources: { requests: { storage: '7Gi' } } });
    expect(container.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(container.env).toContainEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } });
  });

  it('admits exactly the connections made to its pods, and opens none', () => {
    expect(one('NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: postgresSelector('shop') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: appLabels('shop', 'api') } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openbao' } }, podSelector: { matchLabels: appLabels('openbao', 'server') } }],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
    });
  });


  it('runs as the postgres user without privileges or an API token', () => {
    expect(sts.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect([sts.spec.template.spec.serviceAccountName, sts.spec.template.spec.automountServiceAccountToken]).toEqual(['shop-postgres', false]);
    expect(one('ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  it('accepts every client pod\'s full pool at once plus the reserve, passed to postgres as max_connections', () => {
    // 3 × 20 + 1 × 5, and superuser slots 3 + OpenBao's pool 4 + maintenance 5
    expect(db.maxConnections).toBe(65 + 12);
    expect(container.args).toEqual(['-c', 'max_connections=77']);
    expect(container.command).toBeUndefined();
  });
});

describe('postgresMaxConnections', () => {
  it('sums pods × pool over the clients and adds each reserve', () => {
    expect(Object.values(POSTGRES_CONNECTION_RESERVE).reduce((a, b) => a + b, 0)).toBe(12);
    expect(postgresMaxConnections([])).toBe(12);
    expect(postgresMaxConnections([{ client: 'a', pods: 2, poolSize: 10 }], { only: 1 })).toBe(21);
  });

  it('counts a rolling update\'s extra pods (maxSurge 25%, rounded up)', () => {
    expect([1, 2, 3, 4, 5].map(podsDuringRollout)).toEqual([2, 3, 4, 5, 7]);
  });

  it('refuses an unbounded or empty pool', () => {
    expect(() => postgresMaxConnections([{ client: 'harbor-core', pods: 2, poolSize: 0 }])).toThrow(/harbor-core: poolSize must be a positive integer/);
    expect(() => postgresMaxConnections([{ client: 'x', pods: 0, poolSize: 5 }])).toThrow(/x: pods must be a positive integer/);
  });
});
