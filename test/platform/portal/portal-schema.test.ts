import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import { MARIADB_IMAGE, mariadbAddress } from '../../../constructs/k8s/mariadb-database';
import { PORTAL_CONNECTIONS } from '../../../platform/portal/portal-connections';
import { PORTAL_APP, PORTAL_NAMESPACE, PORTAL_SECRETS } from '../../../platform/portal/portal-names';
import {
  PORTAL_SCHEMA_BACKOFF_LIMIT,
  PORTAL_SCHEMA_CONNECTIONS,
  PORTAL_SCHEMA_PEER,
  PORTAL_SCHEMA_VERSION,
  PORTAL_SQL_FILES,
  PortalSchema,
  PortalSchemaProps,
  portalSqlValues,
  renderPortalSql,
} from '../../../platform/portal/portal-schema';
import type { K8sObject } from '../../support/manifests';

const config = parseConfig({});
const DATABASE = mariadbAddress(PORTAL_APP, PORTAL_NAMESPACE);
const SELECTOR = { 'app.kubernetes.io/name': 'cp-portal', 'app.kubernetes.io/component': 'schema' };

function synth(props: Partial<PortalSchemaProps> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: PORTAL_NAMESPACE });
  const schema = new PortalSchema(chart, 'schema', { config, database: DATABASE, connections: [...PORTAL_CONNECTIONS, ...PORTAL_SCHEMA_CONNECTIONS], ...props });
  const objects = Testing.synth(chart) as K8sObject[];
  const one = (kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    expect(found).toHaveLength(1);
    return found[0] as any;
  };
  return { schema, objects, one };
}

describe('the portal schema SQL', () => {
  it('lists its files in version order, the version being the last one\'s number', () => {
    expect(PORTAL_SQL_FILES.map((f) => f.name)).toEqual(['0001-cp-schema.sql', '0002-seed.sql']);
    expect(PORTAL_SCHEMA_VERSION).toBe('0002');
  });

  it('takes only the host cluster\'s row from the config: its fixed id (the cluster\'s name) and OPENSTACK', () => {
    expect(portalSqlValues(config)).toEqual({ host_cluster_id: 'kpaas', host_cluster_name: 'kpaas', host_cluster_provider: 'OPENSTACK' });
    expect(portalSqlValues(parseConfig({ name: 'edge-1' })).host_cluster_id).toBe('edge-1');
  });

  it('substitutes each mark with the value as a quoted SQL string, and leaves no mark', () => {
    const [schema, seed] = renderPortalSql(portalSqlValues(config));
    expect(schema.text).toBe(PORTAL_SQL_FILES[0].text);
    expect(seed.text).toContain("  ('kpaas', 'kpaas', 'HOST', 'OPENSTACK', 'The cluster the portal runs on', @now, @now, 'A')\n");
    expect(seed.text).not.toContain('{{');
  });

  it('refuses a value that is not a plain name, so nothing but a name reaches the SQL', () => {
    const values = portalSqlValues(config);
    expect(() => renderPortalSql({ ...values, host_cluster_name: "x', 'y" })).toThrow(
      'portal schema: host_cluster_name "x\', \'y" is not a plain name (a letter or digit, then letters, digits, ".", "_" or "-"; at most 63)',
    );
    expect(() => renderPortalSql({ ...values, host_cluster_id: 'a\\b' })).toThrow('host_cluster_id "a\\\\b" is not a plain name');
    expect(() => renderPortalSql({ ...values, host_cluster_id: '' })).toThrow('host_cluster_id "" is not a plain name');
  });

  it('refuses a mark without a value and a value no file uses', () => {
    const { host_cluster_provider: _, ...missing } = portalSqlValues(config);
    expect(() => renderPortalSql(missing)).toThrow('portal schema: 0002-seed.sql names {{host_cluster_provider}}, which has no value');
    expect(() => renderPortalSql({ ...portalSqlValues(config), extra: 'x' })).toThrow('portal schema: no file names {{extra}}');
    expect(() => renderPortalSql({}, [{ name: '9999-x.sql', text: "SELECT {{ Name }};" }])).toThrow(
      'portal schema: 9999-x.sql still holds "{{" after rendering (a mark not of the form {{lower_case_name}})',
    );
  });
});

describe('PortalSchema', () => {
  it('makes a ServiceAccount, a ConfigMap of the rendered SQL, a Job and a NetworkPolicy', () => {
    const { schema, objects } = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/cp-portal-schema',
      `ConfigMap/${schema.name}`,
      `Job/${schema.name}`,
      'NetworkPolicy/cp-portal-schema',
    ]);
    expect(schema.name).toMatch(/^cp-portal-schema-0002-[0-9a-f]{10}$/);
  });

  it('carries the rendered files in the ConfigMap, one key each', () => {
    const { one } = synth();
    expect(one('ConfigMap').data).toEqual(Object.fromEntries(renderPortalSql(portalSqlValues(config)).map((f) => [f.name, f.text])));
  });

  it('runs the MariaDB client as the image\'s user over the database Service, each file in order, as the application user from the Secret', () => {
    const { one, schema } = synth();
    const job = one('Job');
    const client = 'mariadb --host=cp-portal-mariadb.cp-portal.svc --port=3306 --user="$DB_USER" --database="$DB_NAME" --connect-timeout=10';
    expect(job.spec).toEqual({
      backoffLimit: PORTAL_SCHEMA_BACKOFF_LIMIT,
      template: {
        metadata: { labels: SELECTOR },
        spec: {
          serviceAccountName: 'cp-portal-schema',
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'schema',
            image: MARIADB_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', [
              'set -eu',
              `echo 0001-cp-schema.sql; ${client} < /sql/0001-cp-schema.sql`,
              `echo 0002-seed.sql; ${client} < /sql/0002-seed.sql`,
              '',
            ].join('\n')],
            env: [
              { name: 'DB_USER', valueFrom: { secretKeyRef: { name: PORTAL_SECRETS.db, key: 'username' } } },
              { name: 'MYSQL_PWD', valueFrom: { secretKeyRef: { name: PORTAL_SECRETS.db, key: 'password' } } },
              { name: 'DB_NAME', valueFrom: { secretKeyRef: { name: PORTAL_SECRETS.db, key: 'database' } } },
            ],
            resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'sql', mountPath: '/sql', readOnly: true }],
          }],
          volumes: [{ name: 'sql', configMap: { name: schema.name, defaultMode: 0o444 } }],
        },
      },
    });
    // no TTL: a deleted Job would be recreated and run again by every later apply
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  it('names the Job by its SQL and pod template: the same for the same config, new when either changes', () => {
    const a = synth().schema.name;
    expect(synth().schema.name).toBe(a);
    expect(synth({ config: parseConfig({ name: 'edge-1' }) }).schema.name).not.toBe(a);
    expect(synth({ secret: 'other-db' }).schema.name).not.toBe(a);
  });

  it('opens only its connection to the portal\'s MariaDB, and admits none', () => {
    const { one } = synth();
    expect(one('NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': 'cp-portal-mariadb' } } }],
        ports: [{ port: 3306, protocol: 'TCP' }],
      }],
    });
  });

  it('declares that connection from its own pods to the pods of the portal\'s MariaDB on its port', () => {
    expect(PORTAL_SCHEMA_PEER).toEqual({ kind: 'pods', namespace: PORTAL_NAMESPACE, labels: SELECTOR });
    expect(PORTAL_SCHEMA_CONNECTIONS.map((c) => [c.name, c.from, c.to, c.port, c.protocol])).toEqual([
      ['schema -> cp-portal-mariadb', PORTAL_SCHEMA_PEER, PORTAL_CONNECTIONS.find((c) => c.name === 'common-api -> cp-portal-mariadb')!.to, DATABASE.port('mysql').targetPort, 'TCP'],
    ]);
  });
});
