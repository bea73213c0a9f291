/**
 * The OpenBao server configuration file, as a typed model rendered to HCL. Only what is the same
 * on every server lives in it; what differs per pod (api_addr, cluster_addr, the Raft node id)
 * comes from environment variables the StatefulSet derives from the pod's name.
 */
import { PLATFORM } from '../../config';
import { SECRET_NAMES } from '../../secrets/catalog';

/** A platform PostgreSQL server (a PostgresDatabase) that OpenBao's database secrets engine manages. */
export interface OpenbaoDatabase {
  /** Application the database belongs to: the server is `<app>-postgres` in `namespace`. */
  readonly app: string;
  readonly namespace: string;
  /** The Secret holding its database name, owner and password (made by `kpaas secrets`). */
  readonly secretName: string;
}

/** The databases of the platform that the secrets engine connects to. */
export const OPENBAO_DATABASES: readonly OpenbaoDatabase[] = [
  { app: 'keycloak', namespace: PLATFORM.namespaces.keycloak, secretName: SECRET_NAMES.keycloakDb },
  { app: 'harbor', namespace: PLATFORM.namespaces.harbor, secretName: SECRET_NAMES.harborDb },
];

/** Host name of a platform database's Service inside the cluster. */
export function databaseHost(db: OpenbaoDatabase): string {
  return `${db.app}-postgres.${db.namespace}.svc`;
}

/** Labels of a platform database's pods (as PostgresDatabase sets them). */
export function databaseSelector(db: OpenbaoDatabase): Record<string, string> {
  return { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': `${db.app}-postgres` };
}

/** An HCL attribute value. */
export type HclValue = string | number | boolean | readonly string[];

/** An HCL block: `type "label" { ... }`. */
export interface HclBlock {
  readonly type: string;
  /** @default none */
  readonly labels?: readonly string[];
  readonly body: HclBody;
}

/** Attributes first, then nested blocks, each in the order given. */
export interface HclBody {
  /** @default none */
  readonly attributes?: Readonly<Record<string, HclValue>>;
  /** @default none */
  readonly blocks?: readonly HclBlock[];
}

/** Renders a body as HCL (two-space indentation, strings JSON-quoted, which HCL accepts). */
export function renderHcl(body: HclBody, indent = ''): string {
  const value = (v: HclValue): string => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v));
  const attrs = Object.entries(body.attributes ?? {});
  const width = Math.max(0, ...attrs.map(([k]) => k.length));
  const attributes = attrs.map(([k, v]) => `${indent}${k.padEnd(width)} = ${value(v)}\n`).join('');
  const blocks = (body.blocks ?? []).map((b) => {
    const head = [b.type, ...(b.labels ?? []).map((l) => JSON.stringify(l))].join(' ');
    const inner = renderHcl(b.body, `${indent}  `);
    return inner === '' ? `${indent}${head} {}\n` : `${indent}${head} {\n${inner}${indent}}\n`;
  });
  // a blank line between the attributes and each block
  return [attributes, ...blocks].filter((s) => s !== '').join('\n');
}

export interface OpenbaoServerConfigProps {
  /** Servers in the Raft cluster: every one is listed as a retry_join peer. */
  readonly replicas: number;
  /** Name of the StatefulSet: pods are `<name>-0`, `<name>-1`, ... */
  readonly statefulSetName: string;
  /** Headless Service that gives each pod its DNS name. */
  readonly headlessService: string;
  readonly namespace: string;
  /** API port (clients, Raft joins). */
  readonly apiPort: number;
  /** Cluster port (request forwarding, Raft replication). */
  readonly clusterPort: number;
  /** Directory of the Raft data (the pod's own volume). */
  readonly dataPath: string;
  /** Directory holding `tls.crt`, `tls.key` and `ca.crt` of the listener. */
  readonly tlsDir: string;
}

/** The stable DNS name of a server pod (by its pod name) through the headless Service. */
export function openbaoPodHost(props: Pick<OpenbaoServerConfigProps, 'headlessService' | 'namespace'>, podName: string): string {
  return `${podName}.${props.headlessService}.${props.namespace}.svc`;
}

/**
 * The configuration every server reads: the UI, one TLS listener for clients and peers, integrated
 * Raft storage that joins any reachable peer (verifying it against the platform CA), and
 * Kubernetes service registration, which labels each pod with its state (`openbao-active`,
 * `openbao-sealed`, ...) so Services can select the active server.
 */
export function openbaoServerConfig(props: OpenbaoServerConfigProps): HclBody {
  const tls = (file: string) => `${props.tlsDir}/${file}`;
  const peers = Array.from({ length: props.replicas }, (_, i) => `https://${openbaoPodHost(props, `${props.statefulSetName}-${i}`)}:${props.apiPort}`);
  return {
    attributes: {
      ui: true,
      // mlock needs IPC_LOCK, which the restricted pod security level forbids; Raft keeps its
      // data on disk anyway, so locking memory protects little here
      disable_mlock: true,
    },
    blocks: [
      {
        type: 'listener',
        labels: ['tcp'],
        body: {
          attributes: {
            address: `0.0.0.0:${props.apiPort}`,
            cluster_address: `0.0.0.0:${props.clusterPort}`,
            tls_cert_file: tls('tls.crt'),
            tls_key_file: tls('tls.key'),
            tls_min_version: 'tls12',
          },
        },
      },
      {
        type: 'storage',
        labels: ['raft'],
        body: {
          attributes: { path: props.dataPath },
          blocks: peers.map((addr) => ({
            type: 'retry_join',
            body: { attributes: { leader_api_addr: addr, leader_ca_cert_file: tls('ca.crt') } },
          })),
        },
      },
      { type: 'service_registration', labels: ['kubernetes'], body: {} },
    ],
  };
}
