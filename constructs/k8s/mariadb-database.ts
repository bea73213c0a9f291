import type { StorageClassRef } from './storage-class-ref';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../../config';
import {
  IntOrString,
  KubeConfigMap,
  KubeService,
  KubeServiceAccount,
  KubeStatefulSet,
  NetworkPolicyPeer,
  Quantity,
} from '../../imports/k8s';
import { dataVolumeClaim, databaseNetworkPolicy } from './database-parts';

/** The official MariaDB image of the pinned release. */
export const MARIADB_IMAGE = `docker.io/library/mariadb:${VERSIONS.mariadb}`;

/** The official image's mysql user. */
const MYSQL_UID = 999;
const PORT = 3306;
const DATA_MOUNT = '/var/lib/mysql';
/** A subdirectory: the volume's root belongs to the NFS provisioner, the data to mysql. */
const DATA_DIR = `${DATA_MOUNT}/data`;
const SOCKET_DIR = '/run/mysqld';
const INIT_DIR = '/docker-entrypoint-initdb.d';
/** Database names the init script may create: plain identifiers, so the SQL needs no quoting. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Where the database's credentials come from: a Secret made by `kpaas secrets`. */
export interface MariaDbSecretRef {
  /** Name of the Secret in the database's namespace. */
  readonly name: string;
  /** Key holding the root password. @default 'rootPassword' */
  readonly rootPasswordKey?: string;
  /** Key holding the name of the database created at first start. @default 'database' */
  readonly databaseKey?: string;
  /** Key holding the application user's name. @default 'username' */
  readonly usernameKey?: string;
  /** Key holding the application user's password. @default 'password' */
  readonly passwordKey?: string;
}

export interface MariaDbDatabaseProps {
  /** Application the database belongs to: objects are named `<app>-mariadb`. */
  readonly app: string;
  readonly secret: MariaDbSecretRef;
  /** StorageClass of the data volume: the platform's Retain class, so data outlives its claim. */
  readonly storageClass: StorageClassRef;
  /** Size of the data volume, e.g. `5Gi`. */
  readonly size: string;
  /** Pods (of the same namespace) that may connect. */
  readonly clients: readonly NetworkPolicyPeer[];
  /**
   * More databases created at first start (empty data directory), owned by the application user:
   * for applications that name their schemas themselves.
   * @default none
   */
  readonly extraDatabases?: readonly string[];
  /** Resource requests and limits. @default 100m/256Mi requested, 1Gi memory limit */
  readonly resources?: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
}

/**
 * A MariaDB server for one application: a single-replica StatefulSet of the official image on a
 * Retain volume (utf8mb4 throughout), its Service, a ServiceAccount without API access, and a
 * NetworkPolicy that lets in only the application's pods and OpenBao's database secrets engine.
 */
export class MariaDbDatabase extends Construct {
  public readonly resource: KubeStatefulSet;
  public readonly service: KubeService;
  /** Host name of the database inside the cluster (`<app>-mariadb.<namespace>.svc`). */
  public readonly host: string;
  public readonly port = PORT;
  /** Labels of the database pods. */
  public readonly selector: Record<string, string>;
  /** The databases created at first start besides the Secret's. */
  public readonly extraDatabases: readonly string[];

  public constructor(scope: Construct, id: string, props: MariaDbDatabaseProps) {
    super(scope, id);
    const name = `${props.app}-mariadb`;
    const namespace = Chart.of(this).namespace;
    this.host = namespace ? `${name}.${namespace}.svc` : name;
    this.selector = { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': name };
    this.extraDatabases = [...(props.extraDatabases ?? [])];
    const labels = { ...this.selector, 'app.kubernetes.io/version': VERSIONS.mariadb };
    const secretKey = (key: string) => ({ secretKeyRef: { name: props.secret.name, key } });
    const res = props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' };

    this.node.addValidation({
      validate: () => this.extraDatabases
        .filter((d) => !DATABASE_NAME.test(d))
        .map((d) => `MariaDbDatabase ${name}: extra database ${JSON.stringify(d)} is not a plain name (a letter or "_", then letters, digits or "_"; at most 64)`),
    });

    const sa = new KubeServiceAccount(this, 'service-account', {
      metadata: { name, labels },
      automountServiceAccountToken: false,
    });
    this.service = new KubeService(this, 'service', {
      metadata: { name, labels },
      spec: { selector: this.selector, ports: [{ name: 'mysql', port: PORT, targetPort: IntOrString.fromString('mysql') }] },
    });

    // Sourced (not executed: the mode has no x bit) by the entrypoint on first start, so its
    // docker_process_sql helper is in scope; the user name comes from the Secret, hence a script.
    const init = this.extraDatabases.length === 0 ? undefined : new KubeConfigMap(this, 'init', {
      metadata: { name: `${name}-init`, labels },
      data: {
        '10-extra-databases.sh': [
          `for db in ${this.extraDatabases.join(' ')}; do`,
          '  docker_process_sql --database=mysql <<EOSQL',
          'CREATE DATABASE IF NOT EXISTS ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
          "GRANT ALL ON ${db}.* TO '${MARIADB_USER}'@'%';",
          'EOSQL',
          'done',
          '',
        ].join('\n'),
      },
    });

    // up over TCP: false while the entrypoint's first-start server runs without networking
    const ping = (protocol: string) => ['sh', '-c', protocol === 'tcp'
      ? 'exec mariadb-admin --protocol=tcp --host=127.0.0.1 --port=3306 ping'
      : `exec mariadb-admin --protocol=socket --socket=${SOCKET_DIR}/mysqld.sock ping`];
    this.resource = new KubeStatefulSet(this, 'Resource', {
      metadata: { name, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: this.selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: MYSQL_UID,
              runAsGroup: MYSQL_UID,
              fsGroup: MYSQL_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'mariadb',
              image: MARIADB_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: [`--datadir=${DATA_DIR}`, '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci'],
              ports: [{ name: 'mysql', containerPort: PORT }],
              env: [
                { name: 'MARIADB_ROOT_PASSWORD', valueFrom: secretKey(props.secret.rootPasswordKey ?? 'rootPassword') },
                { name: 'MARIADB_DATABASE', valueFrom: secretKey(props.secret.databaseKey ?? 'database') },
                { name: 'MARIADB_USER', valueFrom: secretKey(props.secret.usernameKey ?? 'username') },
                { name: 'MARIADB_PASSWORD', valueFrom: secretKey(props.secret.passwordKey ?? 'password') },
              ],
              resources: {
                requests: { cpu: Quantity.fromString(res.cpu), memory: Quantity.fromString(res.memory) },
                limits: { memory: Quantity.fromString(res.memoryLimit) },
              },
              readinessProbe: { exec: { command: ping('tcp') }, periodSeconds: 10, timeoutSeconds: 5 },
              livenessProbe: { exec: { command: ping('socket') }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'data', mountPath: DATA_MOUNT },
                { name: 'run', mountPath: SOCKET_DIR },
                { name: 'tmp', mountPath: '/tmp' },
                ...(init ? [{ name: 'init', mountPath: INIT_DIR, readOnly: true }] : []),
              ],
            }],
            volumes: [
              { name: 'run', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
              ...(init ? [{ name: 'init', configMap: { name: init.name, defaultMode: 0o444 } }] : []),
            ],
          },
        },
        volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.size, this.selector)],
      },
    });
    databaseNetworkPolicy(this, { name, labels, selector: this.selector, clients: props.clients, port: PORT });
  }

  /** `host:port`, the form the CP-Portal's DATABASE_URL takes. */
  public get address(): string {
    return `${this.host}:${PORT}`;
  }
}
