import { Chart, Testing } from 'cdk8s';
import { podsDuringRollout, POSTGRES_CONNECTION_RESERVE, postgresMaxConnections, PostgresDatabase } from '../../../constructs/k8s';
import { KubeStorageClass } from '../../../imports/k8s';

describe('PostgresDatabase', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  const storageClass = new KubeStorageClass(chart, 'sc', { metadata: { name: 'retain' }, provisioner: 'example' });
  const db = new PostgresDatabase(chart, 'db', {
    app: 'shop',
    secret: { name: 'shop-db' },
    storageClass,
    size: '7Gi',
    clients: [{ podSelector: { matchLabels: { app: 'shop' } } }],
    connectionPools: [{ client: 'shop-api', pods: 3, poolSize: 20 }, { client: 'shop-worker', pods: 1, poolSize: 5 }],
  });
  const objects = Testing.synth(chart);
  const sts = objects.find((o) => o.kind === 'StatefulSet');

  it('names everything after the app and serves it at <app>-postgres.<namespace>.svc', () => {
    expect(db.host).toBe('shop-postgres.shop.svc');
    expect(db.jdbcUrl('orders')).toBe('jdbc:postgresql://shop-postgres.shop.svc:5432/orders');
    expect(objects.filter((o) => o.metadata.name === 'shop-postgres').map((o) => o.kind).sort()).toEqual(['NetworkPolicy', 'Service', 'ServiceAccount', 'StatefulSet']);
  });

  it('keeps the data on the given class and size, in a subdirectory of the volume', () => {
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'retain', resources: { requests: { storage: '7Gi' } } });
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } });
  });

  it('lets in only its clients and OpenBao\'s database engine, on 5432', () => {
    const np = objects.find((o) => o.kind === 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([{
      from: [
        { podSelector: { matchLabels: { app: 'shop' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openbao' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'openbao' } } },
      ],
      ports: [{ protocol: 'TCP', port: 5432 }],
    }]);
    expect(np.spec.egress).toBeUndefined();
  });

  it('runs as the postgres user without privileges', () => {
    expect(sts.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
    expect(sts.spec.template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('accepts every client pod\'s full pool at once plus the reserve, passed to postgres as max_connections', () => {
    // 3 × 20 + 1 × 5, and superuser slots 3 + OpenBao's pool 4 + maintenance 5
    expect(db.maxConnections).toBe(65 + 12);
    expect(sts.spec.template.spec.containers[0].args).toEqual(['-c', 'max_connections=77']);
    expect(sts.spec.template.spec.containers[0].command).toBeUndefined();
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
