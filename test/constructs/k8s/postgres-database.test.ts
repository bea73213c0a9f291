import { Chart, Testing } from 'cdk8s';
import { PostgresDatabase } from '../../../constructs/k8s';
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
});
