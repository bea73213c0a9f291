import type { StorageClassRef } from './storage-class-ref';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../../config';
import {
  IntOrString,
  KubeService,
  KubeServiceAccount,
  KubeStatefulSet,
  NetworkPolicyPeer,
  Quantity,
} from '../../imports/k8s';
import { dataVolumeClaim, DatabaseClientPool, databaseNetworkPolicy, postgresMaxConnections } from './database-parts';
import { ServiceAddress } from './service-endpoint';

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
const PORT = POSTGRES_PORT;

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

export interface PostgresDatabaseProps {
  /** Application the database belongs to: objects are named `<app>-postgres`. */
  readonly app: string;
  readonly secret: DatabaseSecretRef;
  /** StorageClass of the data volume: the platform's Retain class, so data outlives its claim. */
  readonly storageClass: StorageClassRef;
  /** Size of the data volume, e.g. `5Gi`. */
  readonly size: string;
  /** Pods (of the same namespace) that may connect. */
  readonly clients: readonly NetworkPolicyPeer[];
  /**
   * The connection pools of the programs that connect: the server accepts all of them at once
   * plus a reserve (postgresMaxConnections), instead of the image's default of 100.
   */
  readonly connectionPools: readonly DatabaseClientPool[];
  /** Resource requests and limits. @default 100m/256Mi requested, 1Gi memory limit */
  readonly resources?: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
}

/**
 * A PostgreSQL server for one application: a single-replica StatefulSet of the official image on a
 * Retain volume, its Service, a ServiceAccount without API access, and a NetworkPolicy that lets in
 * only the application's pods and OpenBao's database secrets engine.
 */
export class PostgresDatabase extends Construct {
  public readonly resource: KubeStatefulSet;
  public readonly service: KubeService;
  /** Host name of the database inside the cluster (`<app>-postgres.<namespace>.svc`). */
  public readonly host: string;
  public readonly port = PORT;
  /** Labels of the database pods. */
  public readonly selector: Record<string, string>;
  /** The server's max_connections, derived from the clients' pools. */
  public readonly maxConnections: number;

  public constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.maxConnections = postgresMaxConnections(props.connectionPools);
    const name = `${props.app}-postgres`;
    const namespace = Chart.of(this).namespace;
    this.host = namespace ? `${name}.${namespace}.svc` : name;
    this.selector = postgresSelector(props.app);
    const labels = { ...this.selector, 'app.kubernetes.io/version': VERSIONS.postgres };
    const secretKey = (key: string) => ({ secretKeyRef: { name: props.secret.name, key } });
    const res = props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' };

    const sa = new KubeServiceAccount(this, 'service-account', {
      metadata: { name, labels },
      automountServiceAccountToken: false,
    });
    this.service = new KubeService(this, 'service', {
      metadata: { name, labels },
      spec: { selector: this.selector, ports: [{ name: 'postgres', port: PORT, targetPort: IntOrString.fromString('postgres') }] },
    });
    const pgReady = ['sh', '-c', 'exec pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'];
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
              runAsUser: POSTGRES_UID,
              runAsGroup: POSTGRES_UID,
              fsGroup: POSTGRES_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'postgres',
              image: POSTGRES_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              // arguments starting with "-" go to postgres itself (docker-library/postgres
              // docker-entrypoint.sh, 17.6: "if first arg looks like a flag")
              args: ['-c', `max_connections=${this.maxConnections}`],
              ports: [{ name: 'postgres', containerPort: PORT }],
              env: [
                { name: 'POSTGRES_DB', valueFrom: secretKey(props.secret.databaseKey ?? 'database') },
                { name: 'POSTGRES_USER', valueFrom: secretKey(props.secret.usernameKey ?? 'username') },
                { name: 'POSTGRES_PASSWORD', valueFrom: secretKey(props.secret.passwordKey ?? 'password') },
                // a subdirectory: the volume's root belongs to the NFS provisioner, not to postgres
                { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
              ],
              resources: {
                requests: { cpu: Quantity.fromString(res.cpu), memory: Quantity.fromString(res.memory) },
                limits: { memory: Quantity.fromString(res.memoryLimit) },
              },
              readinessProbe: { exec: { command: pgReady }, periodSeconds: 10, timeoutSeconds: 5 },
              livenessProbe: { exec: { command: pgReady }, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
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
          },
        },
        volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.size, this.selector)],
      },
    });
    databaseNetworkPolicy(this, { name, labels, selector: this.selector, clients: props.clients, port: PORT });
  }

  /** JDBC URL of the database (for Keycloak). */
  public jdbcUrl(database: string): string {
    return `jdbc:postgresql://${this.host}:${PORT}/${database}`;
  }
}
