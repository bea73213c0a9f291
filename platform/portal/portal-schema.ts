import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { appLabels, Connection, Peer, podsPeer } from '../../config/contracts/connections';
import type { UpstreamFile } from '../../config/contracts/images';
import { connectionRules } from '../../constructs/k8s/connection-policy';
import { MARIADB_IMAGE, MARIADB_UID } from '../../constructs/k8s/mariadb-database';
import { containerSecurityContext, podSecurityContext, resources, secretEnv } from '../../constructs/k8s/pod-defaults';
import type { ServiceAddress } from '../../constructs/k8s/service-endpoint';
import { KubeConfigMap, KubeJob, KubeNetworkPolicy, KubeServiceAccount } from '../../imports/k8s';
import { PORTAL_APP, PORTAL_DATABASE_ENDPOINT, PORTAL_MARIADB_PEER, PORTAL_NAMESPACE, PORTAL_SECRETS, portalHostCluster } from './portal-names';
import CP_SCHEMA_SQL from './sql/0001-cp-schema.sql';
import SEED_SQL from './sql/0002-seed.sql';

/**
 * The portal's `cp` schema: the project's own SQL (platform/portal/sql), applied by a Job with the
 * MariaDB image's client. K-PaaS ships its DDL only in its installer tarball; the portal's
 * programs create no tables (`ddl-auto: none`), so without this nothing can sign up.
 */

/** One versioned SQL file, in the order it is applied. */
export interface PortalSqlFile {
  /** `NNNN-<what>.sql`: the number orders the files and names the schema version. */
  readonly name: string;
  readonly text: string;
}

/**
 * The schema's files, in order. Each is re-runnable (CREATE ... IF NOT EXISTS, INSERT ... ON
 * DUPLICATE KEY UPDATE): the Job applies all of them on every run, so a new version is a new file
 * at the end, never an edit that a database already applied would miss.
 */
export const PORTAL_SQL_FILES: readonly PortalSqlFile[] = [
  { name: '0001-cp-schema.sql', text: CP_SCHEMA_SQL },
  { name: '0002-seed.sql', text: SEED_SQL },
];

/** The schema version: the number of the last file. */
export const PORTAL_SCHEMA_VERSION = PORTAL_SQL_FILES[PORTAL_SQL_FILES.length - 1].name.slice(0, 4);

/**
 * What a configuration value may be in the SQL: a plain name (the cluster's name is a hostname
 * label). Nothing to escape, and it is quoted on substitution.
 */
const SQL_VALUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** A value's mark in a file: `{{name}}`, which is not SQL, so an unrendered file fails to load. */
const MARK = /\{\{([a-z_]+)\}\}/g;

/** The configuration values the SQL names: the host cluster's `cp_clusters` row. */
export function portalSqlValues(config: PlatformConfig): Record<string, string> {
  const host = portalHostCluster(config);
  return { host_cluster_id: host.id, host_cluster_name: host.name, host_cluster_provider: host.providerType };
}

/**
 * The files with each `{{name}}` replaced by its value as a quoted SQL string. Throws on a mark
 * without a value, a malformed mark, a value no file uses, and a value that is not a plain name.
 */
export function renderPortalSql(values: Readonly<Record<string, string>>, files: readonly PortalSqlFile[] = PORTAL_SQL_FILES): PortalSqlFile[] {
  for (const [key, value] of Object.entries(values)) {
    if (!SQL_VALUE.test(value)) {
      throw new Error(`portal schema: ${key} ${JSON.stringify(value)} is not a plain name (a letter or digit, then letters, digits, ".", "_" or "-"; at most 63)`);
    }
  }
  const used = new Set<string>();
  const out = files.map((f) => ({
    name: f.name,
    text: f.text.replace(MARK, (_, key: string) => {
      if (!Object.prototype.hasOwnProperty.call(values, key)) throw new Error(`portal schema: ${f.name} names {{${key}}}, which has no value`);
      used.add(key);
      return `'${values[key]}'`;
    }),
  }));
  const stray = out.filter((f) => f.text.includes('{{')).map((f) => f.name);
  if (stray.length > 0) throw new Error(`portal schema: ${stray.join(', ')} still holds "{{" after rendering (a mark not of the form {{lower_case_name}})`);
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`portal schema: no file names ${unused.map((k) => `{{${k}}}`).join(', ')}`);
  return out;
}

const COMMON = 'K-PaaS/cp-portal-common-api';
const COMMON_REF = '9bd529acad8d1ee101b25ce71179c4430f516fe6';
const COMMON_ENTITIES = 'src/main/java/org/container/platform/common/api';
const METRICS = { repo: 'K-PaaS/cp-metrics-api', ref: '4f4248c85b39671f2cf089aecefe22ea24583108' } as const;
const PORTAL_API = { repo: 'K-PaaS/cp-portal-api', ref: '1fdc4be9cde1cc6dd9d1b1b4ead1d6fbc663ab5d' } as const;
const entity = (path: string, note?: string): UpstreamFile => ({ repo: COMMON, ref: COMMON_REF, path: `${COMMON_ENTITIES}/${path}`, ...(note ? { note } : {}) });

/** A table the portal's programs read and write, with the columns they name. */
export interface PortalTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly source: UpstreamFile;
}

/**
 * The tables and columns the portal's programs name (their JPA entities and Go structs): the
 * contract the SQL is tested against in a real MariaDB. cp_users.cluster_name is ours beyond it
 * (the legacy native queries still name it).
 */
export const PORTAL_TABLES: readonly PortalTable[] = [
  { name: 'cp_clusters', columns: ['cluster_id', 'name', 'cluster_type', 'provider_type', 'ssh_key', 'description', 'created', 'last_modified', 'status'], source: entity('clusters/Clusters.java', 'metrics-api reads the same columns but ssh_key (model/cpClusterModel.go)') },
  { name: 'cp_users', columns: ['id', 'cluster_id', 'user_id', 'user_auth_id', 'namespace', 'user_type', 'role_set_code', 'service_account_name', 'created', 'last_modified'], source: entity('users/Users.java') },
  { name: 'cp_resource_quotas', columns: ['id', 'name', 'request_cpu', 'request_memory', 'limit_cpu', 'limit_memory', 'status', 'created'], source: entity('clusterResource/ResourceQuotas/ResourceQuotasDefault.java') },
  { name: 'cp_limit_ranges', columns: ['id', 'name', 'type', 'resource', 'min', 'max', 'default_request', 'default_limit', 'created'], source: entity('clusterResource/limitRanges/LimitRangesDefault.java') },
  { name: 'cp_hcl_templates', columns: ['id', 'name', 'provider', 'hcl_script', 'region', 'created', 'last_modified'], source: entity('hclTemplates/HclTemplates.java') },
  { name: 'cp_cloud_accounts', columns: ['id', 'name', 'provider', 'region', 'project', 'site', 'created', 'last_modified'], source: entity('cloudAccounts/CloudAccounts.java') },
  { name: 'cp_cluster_ssh_key', columns: ['id', 'name', 'provider', 'created', 'last_modified'], source: entity('sshKeys/SshKeys.java') },
  { name: 'cp_cluster_log', columns: ['cluster_id', 'process_no', 'log_message', 'reg_timestamp'], source: entity('clusters/clusterlogs/ClusterLogs.java') },
  { name: 'cp_vault_database_secret', columns: ['id', 'name', 'namespace', 'db_type', 'app_name', 'app_namespace', 'status', 'flag', 'created'], source: entity('vaultDatabaseSecrets/VaultDatabaseSecrets.java') },
  { name: 'cp_metric_cluster_status', columns: ['cluster_id', 'kubelet_version', 'node_cnt', 'namespace_cnt', 'pv_cnt', 'pvc_cnt', 'pod_cnt', 'cpu_ratio', 'mem_ratio', 'update_time'], source: { ...METRICS, path: 'model/nodeMetricModel.go', note: 'CpMetricClusterStatus gorm tags' } },
  { name: 'cp_metric_node_status', columns: ['cluster_id', 'node_name', 'cpu_ratio', 'cpu_raw', 'mem_ratio', 'mem_raw', 'update_time'], source: { ...METRICS, path: 'model/nodeMetricModel.go', note: 'CpMetricNodeStatus gorm tags' } },
  { name: 'cp_stress_chaos', columns: ['chaos_id', 'chaos_name', 'namespaces', 'creation_time', 'end_time', 'duration'], source: entity('chaos/StressChaos.java') },
  { name: 'cp_chaos_resource', columns: ['resource_id', 'chaos_id', 'resource_name', 'type', 'choice', 'generate_name'], source: entity('chaos/ChaosResource.java') },
  { name: 'cp_chaos_resource_usage', columns: ['resource_id', 'measurement_time', 'cpu', 'memory', 'app_status'], source: entity('chaos/ChaosResourceUsage.java', 'key columns in ChaosResourceUsageId.java') },
];

/**
 * The template names portal-api looks rows up by when it gives a namespace its ResourceQuota and
 * LimitRange (an unmatched name renders an empty quota); the seed's rows carry exactly these.
 */
export const PORTAL_SEED_NAMES = {
  resourceQuotas: ['cp-low-resourcequota', 'cp-medium-resourcequota', 'cp-high-resourcequota'],
  limitRanges: ['cp-low-limitrange', 'cp-medium-limitrange', 'cp-high-limitrange'],
  /** One LimitRange row per name and resource: portal-api takes `cpu`'s default_limit, and the other's as memory. */
  limitRangeResources: ['cpu', 'memory'],
  source: { ...PORTAL_API, path: 'src/main/resources/application.yml', note: 'cpNamespace.resourceQuotas.list and cpNamespace.limitRanges.list; read in ResourceYamlService.createDefaultResourceQuota/createDefaultLimitRanges' } as UpstreamFile,
} as const;

/** The schema job's `app.kubernetes.io/component`. */
export const PORTAL_SCHEMA_COMPONENT = 'schema';
/** The schema job's pods. */
export const PORTAL_SCHEMA_PEER: Peer = podsPeer(PORTAL_NAMESPACE, appLabels(PORTAL_APP, PORTAL_SCHEMA_COMPONENT));

/** The connection the schema job makes: to the portal's MariaDB. */
export const PORTAL_SCHEMA_CONNECTIONS: readonly Connection[] = [{
  component: 'portal',
  name: `${PORTAL_SCHEMA_COMPONENT} -> ${PORTAL_DATABASE_ENDPOINT.name}`,
  from: PORTAL_SCHEMA_PEER,
  to: PORTAL_MARIADB_PEER,
  port: PORTAL_DATABASE_ENDPOINT.port('mysql').targetPort,
  protocol: 'TCP',
  why: 'the schema job applies platform/portal/sql to the cp database',
  opens: { unverified: 'our own Job (platform/portal/portal-schema.ts); no upstream program opens it' },
}];

/** Where the Job mounts its SQL files. */
const SQL_DIR = '/sql';
/**
 * Attempts before the Job gives up: each fails fast while the server is not up (a first install
 * starts both together), and the controller's backoff (10 s doubling, at most 6 min) spreads ten
 * over about 35 minutes.
 */
export const PORTAL_SCHEMA_BACKOFF_LIMIT = 10;

export interface PortalSchemaProps {
  /** The resolved platform configuration: the host cluster's row, and the policy's peers. */
  readonly config: PlatformConfig;
  /** The portal's MariaDB Service (`MariaDbDatabase.serviceAddress`, i.e. `mariadbAddress(PORTAL_APP, PORTAL_NAMESPACE)`). */
  readonly database: ServiceAddress;
  /** Every declared connection: the job's NetworkPolicy opens the ones it makes (PORTAL_SCHEMA_CONNECTIONS). */
  readonly connections: readonly Connection[];
  /** The Secret with the application user's `username`, `password` and `database` (the server's own). @default PORTAL_SECRETS.db */
  readonly secret?: string;
}

/**
 * The portal's schema, applied: a ConfigMap with the rendered SQL files and a Job that loads them
 * in order with the MariaDB image's client, as the application user (it owns `cp`), over the
 * database's Service, restricted security context, no API token, its own NetworkPolicy.
 *
 * Both are named `cp-portal-schema-<version>-<digest>`, the digest of the SQL and the pod
 * template: a Job's pod template cannot change, so new SQL (or a new image) is a new Job that runs
 * once, and an unchanged apply leaves the finished Job alone. No ttlSecondsAfterFinished: a deleted
 * Job would be recreated, and run again, by every later `kubectl apply` or GitOps sync. A finished
 * Job of an older version stays until pruned (a GitOps prune, or `kubectl delete job`). The
 * ConfigMap carries the same name, so each Job reads exactly the SQL it was made for, whatever
 * order the two are applied in (its pod waits for the volume).
 */
export class PortalSchema extends Construct {
  public readonly files: readonly PortalSqlFile[];
  public readonly configMap: KubeConfigMap;
  public readonly job: KubeJob;
  public readonly serviceAccount: KubeServiceAccount;
  public readonly networkPolicy: KubeNetworkPolicy;
  public readonly selector: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: PortalSchemaProps) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new Error('PortalSchema: must be built in a chart with a namespace');
    const secret = props.secret ?? PORTAL_SECRETS.db;
    const base = `${PORTAL_APP}-${PORTAL_SCHEMA_COMPONENT}`;
    this.selector = appLabels(PORTAL_APP, PORTAL_SCHEMA_COMPONENT);
    this.files = renderPortalSql(portalSqlValues(props.config));
    const data = Object.fromEntries(this.files.map((f) => [f.name, f.text]));

    this.serviceAccount = new KubeServiceAccount(this, 'service-account', {
      metadata: { name: base },
      automountServiceAccountToken: false,
    });

    const client = [
      'mariadb',
      `--host=${props.database.host}`,
      `--port=${props.database.port('mysql').port}`,
      '--user="$DB_USER"',
      '--database="$DB_NAME"',
      '--connect-timeout=10',
    ].join(' ');
    const script = ['set -eu', ...this.files.map((f) => `echo ${f.name}; ${client} < ${SQL_DIR}/${f.name}`), ''].join('\n');
    const container = {
      name: PORTAL_SCHEMA_COMPONENT,
      image: MARIADB_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      command: ['sh', '-c', script],
      env: [
        secretEnv('DB_USER', secret, 'username'),
        // the client reads its password from MYSQL_PWD: not on a command line
        secretEnv('MYSQL_PWD', secret, 'password'),
        secretEnv('DB_NAME', secret, 'database'),
      ],
      resources: resources({ cpu: '10m', memory: '32Mi', memoryLimit: '128Mi' }),
      securityContext: containerSecurityContext(true),
      volumeMounts: [{ name: 'sql', mountPath: SQL_DIR, readOnly: true }],
    };
    const digest = createHash('sha256').update(JSON.stringify({ data, container })).digest('hex').slice(0, 10);
    const name = `${base}-${PORTAL_SCHEMA_VERSION}-${digest}`;

    this.configMap = new KubeConfigMap(this, 'sql', { metadata: { name }, data });
    this.job = new KubeJob(this, 'job', {
      metadata: { name },
      spec: {
        backoffLimit: PORTAL_SCHEMA_BACKOFF_LIMIT,
        template: {
          metadata: { labels: { ...this.selector } },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            restartPolicy: 'Never',
            securityContext: podSecurityContext(MARIADB_UID, { onRootMismatch: false }),
            containers: [container],
            volumes: [{ name: 'sql', configMap: { name, defaultMode: 0o444 } }],
          },
        },
      },
    });

    const rules = connectionRules(props.connections, { namespace, selector: this.selector }, props.config);
    this.networkPolicy = new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: base },
      spec: {
        podSelector: { matchLabels: { ...this.selector } },
        policyTypes: ['Ingress', 'Egress'],
        ...(rules.ingress.length > 0 ? { ingress: rules.ingress } : {}),
        ...(rules.egress.length > 0 ? { egress: rules.egress } : {}),
      },
    });
  }

  /** Name of the Job and of its ConfigMap. */
  public get name(): string {
    return this.job.name;
  }
}
