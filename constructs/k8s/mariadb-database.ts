import type { StorageClassRef } from './storage-class-ref';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../../config';
import { KubeConfigMap, KubeService, KubeStatefulSet } from '../../imports/k8s';
import { DatabaseAccess, DatabaseConnectionBudget, databaseMaxConnections, databasePolicy, dataVolumeClaim } from './database-parts';
import { PlatformWorkload } from './platform-workload';
import type { DatabaseSecretRef } from './postgres-database';
import { containerSecurityContext, podSecurityContext, resources, ResourceSizes, secretEnv } from './pod-defaults';
import { ServiceAddress, ServiceEndpoint } from './service-endpoint';

/** The official MariaDB image of the pinned release. */
export const MARIADB_IMAGE = `docker.io/library/mariadb:${VERSIONS.mariadb}`;

/** The port every platform MariaDB server listens on (the image's default). */
export const MARIADB_PORT = 3306;

/** The Service of an application's MariaDB server: declared by the service that owns it, built by MariaDbDatabase. */
export function mariadbAddress(app: string, namespace: string): ServiceAddress {
  return new ServiceAddress({ name: `${app}-mariadb`, namespace, ports: [{ name: 'mysql', port: MARIADB_PORT }] });
}

/** Labels of an application's MariaDB pods. */
export function mariadbSelector(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': `${app}-mariadb` };
}

/** The official image's mysql user. */
export const MARIADB_UID = 999;
const DATA_MOUNT = '/var/lib/mysql';
/** A subdirectory: the volume's root belongs to the NFS provisioner, the data to mysql. */
const DATA_DIR = `${DATA_MOUNT}/data`;
const SOCKET_DIR = '/run/mysqld';
const INIT_DIR = '/docker-entrypoint-initdb.d';
/** Database names the init script may create: plain identifiers, so the SQL needs no quoting. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Names of the databases with users of their own: part of a file name and of environment variable names. */
const USER_DATABASE_NAME = /^[a-z][a-z0-9]{0,31}$/;

/** A character set a database is created with; its collation is the set's `_unicode_ci`. */
export type MariaDbCharacterSet = 'utf8mb4' | 'utf8mb3';

/** The server's character set, and the one databases take unless they name another. */
const SERVER_CHARACTER_SET: MariaDbCharacterSet = 'utf8mb4';

/** `CHARACTER SET x COLLATE x_unicode_ci`, as CREATE DATABASE takes it. */
function characterSetClause(charset: MariaDbCharacterSet): string {
  return `CHARACTER SET ${charset} COLLATE ${charset}_unicode_ci`;
}

/**
 * A database with a user of its own (not the application user), made at the server's first start
 * from a Secret's values: for another program that keeps its tables on this server.
 */
export interface MariaDbUserDatabase {
  /**
   * Short name of the program, e.g. `keycloak`: names its init script (`20-<name>.sh`) and the
   * server's environment variables that carry the Secret's values (`<NAME>_DB_NAME`,
   * `<NAME>_DB_USER`, `<NAME>_DB_PASSWORD`). A lowercase letter, then lowercase letters or digits.
   */
  readonly name: string;
  /**
   * The Secret (in the database's namespace) with the database's name, its user and the user's
   * password; the values go into SQL unquoted (the name) or in single quotes (user, password).
   */
  readonly secret: DatabaseSecretRef;
  /** Character set of the database, for programs that name their own. @default 'utf8mb4', the server's */
  readonly characterSet?: MariaDbCharacterSet;
  /** Whether the application user (the server's Secret's) may read its tables (SELECT). @default false */
  readonly applicationUserMayRead?: boolean;
}

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

export interface MariaDbDatabaseProps extends DatabaseAccess {
  /** Application the database belongs to: objects are named `<app>-mariadb`. */
  readonly app: string;
  readonly secret: MariaDbSecretRef;
  /** StorageClass of the data volume: the platform's Retain class, so data outlives its claim. */
  readonly storageClass: StorageClassRef;
  /** Size of the data volume, e.g. `5Gi`. */
  readonly size: string;
  /**
   * More databases created at first start (empty data directory), owned by the application user:
   * for applications that name their schemas themselves.
   * @default none
   */
  readonly extraDatabases?: readonly string[];
  /**
   * Databases with users of their own, created at first start after the extra databases.
   * @default none
   */
  readonly userDatabases?: readonly MariaDbUserDatabase[];
  /**
   * What the server's max_connections is derived from (databaseMaxConnections): every client's
   * pool at once plus a reserve.
   * @default no limit set: the server's own default
   */
  readonly connectionBudget?: DatabaseConnectionBudget;
  /** Resource requests and limits. @default 100m/256Mi requested, 1Gi memory limit */
  readonly resources?: ResourceSizes;
}

/**
 * A MariaDB server for one application: a single-replica StatefulSet of the official image on a
 * Retain volume (utf8mb4 unless a database names another), its Service at `mariadbAddress()`, a
 * ServiceAccount without API access, and a NetworkPolicy that admits the connections declared to it.
 */
export class MariaDbDatabase extends Construct {
  public readonly workload: PlatformWorkload;
  public readonly resource: KubeStatefulSet;
  public readonly endpoint: ServiceEndpoint;
  public readonly service: KubeService;
  /** The server's Service, as declared by `mariadbAddress()`. */
  public readonly serviceAddress: ServiceAddress;
  /** Host name of the database inside the cluster (`<app>-mariadb.<namespace>.svc`). */
  public readonly host: string;
  public readonly port: number;
  /** Labels of the database pods. */
  public readonly selector: Record<string, string>;
  /** The databases created at first start besides the Secret's. */
  public readonly extraDatabases: readonly string[];
  /** The databases with users of their own. */
  public readonly userDatabases: readonly MariaDbUserDatabase[];
  /** The server's max_connections, derived from connectionBudget; undefined leaves the server's default. */
  public readonly maxConnections?: number;

  public constructor(scope: Construct, id: string, props: MariaDbDatabaseProps) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new Error(`MariaDbDatabase ${props.app}: must be built in a chart with a namespace`);
    this.serviceAddress = mariadbAddress(props.app, namespace);
    const name = this.serviceAddress.name;
    const port = this.serviceAddress.port('mysql');
    this.host = this.serviceAddress.host;
    this.port = port.port;
    this.selector = mariadbSelector(props.app);
    this.extraDatabases = [...(props.extraDatabases ?? [])];
    this.userDatabases = [...(props.userDatabases ?? [])];
    this.maxConnections = props.connectionBudget ? databaseMaxConnections(props.connectionBudget) : undefined;
    const labels = { ...this.selector, 'app.kubernetes.io/version': VERSIONS.mariadb };
    const secret = (env: string, key: string) => secretEnv(env, props.secret.name, key);

    this.node.addValidation({
      validate: () => this.extraDatabases
        .filter((d) => !DATABASE_NAME.test(d))
        .map((d) => `MariaDbDatabase ${name}: extra database ${JSON.stringify(d)} is not a plain name (a letter or "_", then letters, digits or "_"; at most 64)`),
    });
    this.node.addValidation({
      validate: () => this.userDatabases.flatMap((d, i) => [
        ...(USER_DATABASE_NAME.test(d.name) ? [] : [`MariaDbDatabase ${name}: user database name ${JSON.stringify(d.name)} is not a lowercase letter, then lowercase letters or digits (at most 32)`]),
        ...(this.userDatabases.findIndex((o) => o.name === d.name) === i ? [] : [`MariaDbDatabase ${name}: user database name ${JSON.stringify(d.name)} is given more than once`]),
      ]),
    });

    this.endpoint = new ServiceEndpoint(this, 'service', { address: this.serviceAddress, selector: this.selector, labels });
    this.service = this.endpoint.service;

    // Sourced (not executed: the mode has no x bit) by the entrypoint on first start (empty data
    // directory), in file name order, so its docker_process_sql helper is in scope; the names come
    // from Secrets through the environment, hence scripts.
    const userDbEnv = (d: MariaDbUserDatabase) => {
      const prefix = `${d.name.toUpperCase()}_DB`;
      return { name: `${prefix}_NAME`, user: `${prefix}_USER`, password: `${prefix}_PASSWORD` };
    };
    const scripts: Record<string, string> = {};
    if (this.extraDatabases.length > 0) {
      scripts['10-extra-databases.sh'] = [
        `for db in ${this.extraDatabases.join(' ')}; do`,
        '  docker_process_sql --database=mysql <<EOSQL',
        `CREATE DATABASE IF NOT EXISTS \${db} ${characterSetClause(SERVER_CHARACTER_SET)};`,
        "GRANT ALL ON ${db}.* TO '${MARIADB_USER}'@'%';",
        'EOSQL',
        'done',
        '',
      ].join('\n');
    }
    for (const d of this.userDatabases) {
      const v = userDbEnv(d);
      scripts[`20-${d.name}.sh`] = [
        'docker_process_sql --database=mysql <<EOSQL',
        `CREATE DATABASE IF NOT EXISTS \${${v.name}} ${characterSetClause(d.characterSet ?? SERVER_CHARACTER_SET)};`,
        `CREATE USER IF NOT EXISTS '\${${v.user}}'@'%' IDENTIFIED BY '\${${v.password}}';`,
        `GRANT ALL ON \${${v.name}}.* TO '\${${v.user}}'@'%';`,
        ...(d.applicationUserMayRead ? [`GRANT SELECT ON \${${v.name}}.* TO '\${MARIADB_USER}'@'%';`] : []),
        'EOSQL',
        '',
      ].join('\n');
    }
    const init = Object.keys(scripts).length === 0 ? undefined : new KubeConfigMap(this, 'init', {
      metadata: { name: `${name}-init`, labels },
      data: scripts,
    });

    // up over TCP: false while the entrypoint's first-start server runs without networking
    const ping = (protocol: string) => ['sh', '-c', protocol === 'tcp'
      ? `exec mariadb-admin --protocol=tcp --host=127.0.0.1 --port=${port.targetPort} ping`
      : `exec mariadb-admin --protocol=socket --socket=${SOCKET_DIR}/mysqld.sock ping`];
    this.workload = new PlatformWorkload(this, 'server', {
      name,
      kind: 'StatefulSet',
      selector: this.selector,
      // the databases' own name, instance and version instead of the chart's
      labels,
      podLabels: labels,
      securityContext: podSecurityContext(MARIADB_UID, { onRootMismatch: false }),
      containers: [{
        name: 'mariadb',
        image: MARIADB_IMAGE,
        args: [
          `--datadir=${DATA_DIR}`,
          `--character-set-server=${SERVER_CHARACTER_SET}`,
          `--collation-server=${SERVER_CHARACTER_SET}_unicode_ci`,
          ...(this.maxConnections === undefined ? [] : [`--max-connections=${this.maxConnections}`]),
        ],
        ports: [{ name: port.name, containerPort: port.targetPort }],
        env: [
          secret('MARIADB_ROOT_PASSWORD', props.secret.rootPasswordKey ?? 'rootPassword'),
          secret('MARIADB_DATABASE', props.secret.databaseKey ?? 'database'),
          secret('MARIADB_USER', props.secret.usernameKey ?? 'username'),
          secret('MARIADB_PASSWORD', props.secret.passwordKey ?? 'password'),
          ...this.userDatabases.flatMap((d) => {
            const v = userDbEnv(d);
            const from = (env: string, key: string) => secretEnv(env, d.secret.name, key);
            return [
              from(v.name, d.secret.databaseKey ?? 'database'),
              from(v.user, d.secret.usernameKey ?? 'username'),
              from(v.password, d.secret.passwordKey ?? 'password'),
            ];
          }),
        ],
        resources: resources(props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
        readinessProbe: { exec: { command: ping('tcp') }, periodSeconds: 10, timeoutSeconds: 5 },
        livenessProbe: { exec: { command: ping('socket') }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
        securityContext: containerSecurityContext(true),
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
      statefulSetSpec: { volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.size, this.selector)] },
      networkPolicy: databasePolicy(props),
    });
    this.resource = this.workload.resource as KubeStatefulSet;
  }

  /** `host:port`, the form the CP-Portal's DATABASE_URL takes. */
  public get address(): string {
    return this.serviceAddress.address('mysql');
  }
}
