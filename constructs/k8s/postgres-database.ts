import type { StorageClassRef } from './storage-class-ref';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../../config';
import { KubeService, KubeStatefulSet } from '../../imports/k8s';
import {
  DatabaseAccess,
  databasePolicy,
  dataVolumeClaim,
  DatabaseClientPool,
  postgresMaxConnections,
} from './database-parts';
import { PlatformWorkload } from './platform-workload';
import { containerSecurityContext, env, podSecurityContext, resources, ResourceSizes, secretEnv } from './pod-defaults';
import { ServiceAddress, ServiceEndpoint } from './service-endpoint';

/** The official PostgreSQL image of the pinned release. */
export const POSTGRES_IMAGE = `docker.io/library/postgres:${VERSIONS.postgres}`;

/** The port every platform PostgreSQL server listens on (the image's default). */
export const POSTGRES_PORT = 5432;

/** The Service of an application's PostgreSQL server: declared by the service that owns it, built by PostgresDatabase. */
export function postgresAddress(app: string, namespace: string): ServiceAddress {
  return new ServiceAddress({ name: `${app}-postgres`, namespace, ports: [{ name: 'postgres', port: POSTGRES_PORT }] });
}

/** Labels of an application's PostgreSQL pods. */
export function postgresSelector(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': `${app}-postgres` };
}

/** The official image's postgres user (Debian variant). */
const POSTGRES_UID = 999;

/** Where the database's credentials come from: a Secret made by `kpaas secrets`. */
export interface DatabaseSecretRef {
  /** Name of the Secret in the database's namespace. */
  readonly name: string;
  /** Key holding the database name. @default 'database' */
  readonly databaseKey?: string;
  /** Key holding the owner's user name. @default 'username' */
  readonly usernameKey?: string;
  /** Key holding the owner's password. @default 'password' */
  readonly passwordKey?: string;
}

export interface PostgresDatabaseProps extends DatabaseAccess {
  /** Application the database belongs to: objects are named `<app>-postgres`. */
  readonly app: string;
  readonly secret: DatabaseSecretRef;
  /** StorageClass of the data volume: the platform's Retain class, so data outlives its claim. */
  readonly storageClass: StorageClassRef;
  /** Size of the data volume, e.g. `5Gi`. */
  readonly size: string;
  /**
   * The connection pools of the programs that connect: the server accepts all of them at once
   * plus a reserve (postgresMaxConnections), instead of the image's default of 100.
   */
  readonly connectionPools: readonly DatabaseClientPool[];
  /** Resource requests and limits. @default 100m/256Mi requested, 1Gi memory limit */
  readonly resources?: ResourceSizes;
}

/**
 * A PostgreSQL server for one application: a single-replica StatefulSet of the official image on a
 * Retain volume, its Service at `postgresAddress()`, a ServiceAccount without API access, and a
 * NetworkPolicy that admits the connections declared to it (the application's pods, and OpenBao's
 * database secrets engine where the application hands it the database).
 */
export class PostgresDatabase extends Construct {
  public readonly workload: PlatformWorkload;
  public readonly resource: KubeStatefulSet;
  public readonly endpoint: ServiceEndpoint;
  public readonly service: KubeService;
  /** The server's Service, as declared by `postgresAddress()`. */
  public readonly serviceAddress: ServiceAddress;
  /** Host name of the database inside the cluster (`<app>-postgres.<namespace>.svc`). */
  public readonly host: string;
  public readonly port: number;
  /** Labels of the database pods. */
  public readonly selector: Record<string, string>;
  /** The server's max_connections, derived from the clients' pools. */
  public readonly maxConnections: number;

  public constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.maxConnections = postgresMaxConnections(props.connectionPools);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new Error(`PostgresDatabase ${props.app}: must be built in a chart with a namespace`);
    this.serviceAddress = postgresAddress(props.app, namespace);
    const name = this.serviceAddress.name;
    const port = this.serviceAddress.port('postgres');
    this.host = this.serviceAddress.host;
    this.port = port.port;
    this.selector = postgresSelector(props.app);
    const labels = { ...this.selector, 'app.kubernetes.io/version': VERSIONS.postgres };
    const secret = (env: string, key: string) => secretEnv(env, props.secret.name, key);

    this.endpoint = new ServiceEndpoint(this, 'service', { address: this.serviceAddress, selector: this.selector, labels });
    this.service = this.endpoint.service;
    const pgReady = ['sh', '-c', 'exec pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'];
    this.workload = new PlatformWorkload(this, 'server', {
      name,
      kind: 'StatefulSet',
      selector: this.selector,
      // the databases' own name, instance and version instead of the chart's
      labels,
      podLabels: labels,
      securityContext: podSecurityContext(POSTGRES_UID, { onRootMismatch: false }),
      containers: [{
        name: 'postgres',
        image: POSTGRES_IMAGE,
        // arguments starting with "-" go to postgres itself (docker-library/postgres
        // docker-entrypoint.sh, 17.6: "if first arg looks like a flag")
        args: ['-c', `max_connections=${this.maxConnections}`],
        ports: [{ name: port.name, containerPort: port.targetPort }],
        env: [
          secret('POSTGRES_DB', props.secret.databaseKey ?? 'database'),
          secret('POSTGRES_USER', props.secret.usernameKey ?? 'username'),
          secret('POSTGRES_PASSWORD', props.secret.passwordKey ?? 'password'),
          // a subdirectory: the volume's root belongs to the NFS provisioner, not to postgres
          env('PGDATA', '/var/lib/postgresql/data/pgdata'),
        ],
        resources: resources(props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
        readinessProbe: { exec: { command: pgReady }, periodSeconds: 10, timeoutSeconds: 5 },
        livenessProbe: { exec: { command: pgReady }, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
        securityContext: containerSecurityContext(true),
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/postgresql/data' },
          { name: 'run', mountPath: '/var/run/postgresql' },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'run', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
      statefulSetSpec: { volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.size, this.selector)] },
      networkPolicy: databasePolicy(props),
    });
    this.resource = this.workload.resource as KubeStatefulSet;
  }

  /** JDBC URL of the database (for Keycloak). */
  public jdbcUrl(database: string): string {
    return `jdbc:postgresql://${this.serviceAddress.address('postgres')}/${database}`;
  }
}
