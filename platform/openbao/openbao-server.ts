import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { OPENBAO_API, openbaoHealthPath } from '../../config/contracts/openbao-api';
import { KubeClusterRoleBinding, KubeConfigMap, KubeRole, KubeRoleBinding, KubeServiceAccount, KubeStatefulSet } from '../../imports/k8s';
import { renderHcl } from '../../constructs/hcl';
import { PlatformWorkload } from '../../constructs/k8s/platform-workload';
import { containerSecurityContext, env, httpProbe, podSecurityContext, resources } from '../../constructs/k8s/pod-defaults';
import { ServiceEndpoint } from '../../constructs/k8s/service-endpoint';
import { openbaoPodUrl, openbaoServerConfig } from './openbao-config';
import { OPENBAO_ENDPOINTS, OPENBAO_IMAGES, OPENBAO_SERVER_SELECTOR } from './openbao-names';
import { dataVolumeClaim } from '../../constructs/k8s/database-parts';

export { OPENBAO_SERVER_SELECTOR } from './openbao-names';

const NAME = 'openbao';
/** The image's `openbao` user and group (the upstream chart runs it as these). */
const OPENBAO_UID = 100;
const OPENBAO_GID = 1000;
const CONFIG_DIR = '/openbao/config';
const CONFIG_FILE = 'config.hcl';
const DATA_DIR = '/openbao/data';
const TLS_DIR = '/openbao/tls';
const HOME_DIR = '/home/openbao';
/**
 * sys/health as the probes ask it (config/contracts/openbao-api.ts): ready when active or standby
 * (a standby forwards to the active server); alive also when sealed or uninitialised, answering
 * 204, a success to the kubelet (2xx/3xx), while the server waits for the operator.
 */
const READY_PATH = `${OPENBAO_API.prefix.value}${openbaoHealthPath({ standbyOk: true })}`;
const WAITING_CODE = 204;
const ALIVE_PATH = `${OPENBAO_API.prefix.value}${openbaoHealthPath({ standbyOk: true, sealedCode: WAITING_CODE, uninitCode: WAITING_CODE })}`;

export interface OpenbaoServerProps {
  /** The platform config: API server addresses for egress, worker count for the anti-affinity. */
  readonly config: PlatformConfig;
  /** Every connection of the platform: the servers' policy admits and opens exactly theirs. */
  readonly connections: readonly Connection[];
  /** Servers in the Raft cluster (odd, so a majority survives the loss of a minority). */
  readonly replicas: number;
  /** StorageClass of each server's Raft volume: the platform's Retain class. */
  readonly storageClass: StorageClassRef;
  /** Size of each server's Raft volume, e.g. `5Gi`. */
  readonly dataSize: string;
  /** `kubernetes.io/tls` Secret of the listener (`tls.crt`, `tls.key`, `ca.crt`), valid for the pods' names. */
  readonly tlsSecretName: string;
  /** Container image. @default quay.io/openbao/openbao at VERSIONS.openbao */
  readonly image?: string;
}

/**
 * The OpenBao servers: a StatefulSet with integrated Raft storage on one volume per pod, TLS on the
 * listener, the UI; the Services clients and peers use (all, active, standby, headless), service
 * registration RBAC, the auth-delegator binding the Kubernetes auth method needs, a PDB (at most
 * one server down: a Raft majority stays up through a drain) and the NetworkPolicy derived from
 * the connections made to and by the servers.
 *
 * A server starts sealed. It is ready (in the Services, counted by the PDB) only once unsealed, so
 * clients never reach a sealed server and a drain never evicts an unsealed one while another is
 * sealed; the liveness probe accepts a sealed or uninitialised server, so it is not restarted
 * while waiting for an operator. Restarts are the operator's: updates are `OnDelete`, because
 * every restarted server must be unsealed by hand before the next one goes.
 */
export class OpenbaoServer extends Construct {
  public readonly workload: PlatformWorkload;
  public readonly statefulSet: KubeStatefulSet;
  /** All unsealed servers (standbys forward to the active one). */
  public readonly service: ServiceEndpoint;
  /** The active server only (by the `openbao-active` label service registration maintains). */
  public readonly activeService: ServiceEndpoint;
  public readonly standbyService: ServiceEndpoint;
  /** Headless: a DNS name per pod, ready or not, for Raft joins and cluster traffic. */
  public readonly headlessService: ServiceEndpoint;
  public readonly serviceAccount: KubeServiceAccount;
  public readonly configMap: KubeConfigMap;
  /** The rendered server configuration (HCL). */
  public readonly configText: string;
  /** Labels of the server pods. */
  public readonly selector: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: OpenbaoServerProps) {
    super(scope, id);
    const { config, replicas } = props;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas % 2 === 0) {
      throw new Error(`OpenBao: replicas must be an odd number of servers (a Raft majority must survive a failure), got ${replicas}`);
    }
    const ep = OPENBAO_ENDPOINTS;
    this.selector = OPENBAO_SERVER_SELECTOR;
    const selector = { ...OPENBAO_SERVER_SELECTOR };

    this.configText = renderHcl(openbaoServerConfig({ replicas, statefulSetName: NAME, peers: ep.internal, dataPath: DATA_DIR, tlsDir: TLS_DIR }));
    this.configMap = new KubeConfigMap(this, 'config', {
      metadata: { name: `${NAME}-config` },
      data: { [CONFIG_FILE]: this.configText },
    });

    this.service = new ServiceEndpoint(this, 'service', { address: ep.api, selector });
    this.activeService = new ServiceEndpoint(this, 'active-service', { address: ep.active, selector: { ...selector, 'openbao-active': 'true' } });
    this.standbyService = new ServiceEndpoint(this, 'standby-service', { address: ep.standby, selector: { ...selector, 'openbao-active': 'false' } });
    // the governing Service of the StatefulSet lists pods before they are ready: a sealed server
    // must be reachable to join and unseal
    this.headlessService = new ServiceEndpoint(this, 'headless-service', { address: ep.internal, selector, headless: true });

    const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    // the pod's own name through the headless Service: covered by the listener certificate
    const podUrl = (port: string) => openbaoPodUrl(ep.internal, '$(BAO_K8S_POD_NAME)', port);

    this.workload = new PlatformWorkload(this, 'Resource', {
      name: NAME,
      kind: 'StatefulSet',
      selector,
      replicas,
      // one server per node while there are enough workers; packed otherwise, rather than pending
      placement: { workers: config.nodes.workers.nodes.length },
      serviceName: ep.internal.name,
      serviceAccount: { automountToken: true }, // service registration and token reviews
      securityContext: podSecurityContext(OPENBAO_UID, { onRootMismatch: false, gid: OPENBAO_GID }),
      podSpec: { terminationGracePeriodSeconds: 30 },
      statefulSetSpec: {
        // all servers start at once: each waits sealed for the operator, none waits for another
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'OnDelete' },
        volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.dataSize, { ...selector })],
      },
      networkPolicy: { connections: props.connections, config },
      containers: [{
        name: NAME,
        image: props.image ?? OPENBAO_IMAGES.server,
        // the image's entrypoint (dumb-init: signals reach the server); the file, not the
        // directory, so nothing else in it is read as configuration
        command: ['/usr/local/bin/docker-entrypoint.sh'],
        args: ['bao', 'server', `-config=${CONFIG_DIR}/${CONFIG_FILE}`],
        ports: ep.internal.ports.map((p) => ({ name: p.name, containerPort: p.targetPort })),
        env: [
          fieldEnv('BAO_K8S_POD_NAME', 'metadata.name'),
          fieldEnv('BAO_K8S_NAMESPACE', 'metadata.namespace'),
          env('BAO_API_ADDR', podUrl('https')),
          env('BAO_CLUSTER_ADDR', podUrl('https-internal')),
          // readable peer names in `bao operator raft list-peers`
          fieldEnv('BAO_RAFT_NODE_ID', 'metadata.name'),
          // the CLI inside the pod (operator init, unseal) talks to its own server
          env('BAO_ADDR', `https://127.0.0.1:${ep.internal.port('https').targetPort}`),
          env('BAO_CACERT', `${TLS_DIR}/ca.crt`),
          // a non-root server with every capability dropped: nothing to chown or setcap
          env('SKIP_CHOWN', true),
          env('SKIP_SETCAP', true),
          env('HOME', HOME_DIR),
        ],
        readinessProbe: { ...httpProbe(READY_PATH, 'https', { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 }, 'HTTPS'), initialDelaySeconds: 5 },
        livenessProbe: {
          ...httpProbe(ALIVE_PATH, 'https', { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }, 'HTTPS'),
          initialDelaySeconds: 60,
        },
        lifecycle: {
          // leave the Services' endpoints before shutting down
          preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } },
        },
        // generous memory limit: an OOM-killed server comes back sealed and needs an operator
        resources: resources({ cpu: '250m', memory: '256Mi', memoryLimit: '1Gi' }),
        securityContext: containerSecurityContext(true),
        volumeMounts: [
          { name: 'data', mountPath: DATA_DIR },
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'tls', mountPath: TLS_DIR, readOnly: true },
          { name: 'home', mountPath: HOME_DIR },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: this.configMap.name } },
        // group-readable for the server's group only (fsGroup)
        { name: 'tls', secret: { secretName: props.tlsSecretName, defaultMode: 0o440 } },
        { name: 'home', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
    });
    this.statefulSet = this.workload.resource as KubeStatefulSet;
    this.serviceAccount = this.workload.serviceAccount;

    const subject = { kind: 'ServiceAccount', name: this.serviceAccount.name, namespace: ep.internal.namespace };
    // service registration labels the server's own pod with its state (active, sealed, ...)
    const podNames = Array.from({ length: replicas }, (_, i) => `${NAME}-${i}`);
    const role = new KubeRole(this, 'service-registration-role', {
      metadata: { name: `${NAME}-service-registration` },
      rules: [{ apiGroups: [''], resources: ['pods'], resourceNames: podNames, verbs: ['get', 'update', 'patch'] }],
    });
    new KubeRoleBinding(this, 'service-registration-role-binding', {
      metadata: { name: `${NAME}-service-registration` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [subject],
    });
    // the Kubernetes auth method checks the tokens clients present with the TokenReview API
    new KubeClusterRoleBinding(this, 'auth-delegator', {
      metadata: { name: `kpaas:${NAME}-auth-delegator` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: [subject],
    });
  }
}
