import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { PLATFORM } from '../../config';
import {
  IntOrString,
  KubeClusterRoleBinding,
  KubeConfigMap,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeRole,
  KubeRoleBinding,
  KubeService,
  KubeServiceAccount,
  KubeStatefulSet,
  NetworkPolicyPeer,
  Quantity,
} from '../../imports/k8s';
import { selectorLabels } from '../../constructs/k8s/labels';
import { apiServerEgress, podsWith, tcp } from '../../constructs/k8s/network-peers';
import { renderHcl } from '../../constructs/hcl';
import { openbaoPodHost, openbaoServerConfig } from './openbao-config';
import { spreadOverWorkers } from '../../constructs/k8s/placement';
import { OPENBAO_IMAGES } from './openbao-names';

const NAME = 'openbao';
/** Labels of the server pods (the peer of every OpenBao client's egress). */
export const OPENBAO_SERVER_SELECTOR: Readonly<Record<string, string>> = selectorLabels(NAME, 'server');
const API_PORT = PLATFORM.openbao.apiPort;
const CLUSTER_PORT = 8201;
const POSTGRES_PORT = 5432;
/** The image's `openbao` user and group (the upstream chart runs it as these). */
const OPENBAO_UID = 100;
const OPENBAO_GID = 1000;
const CONFIG_DIR = '/openbao/config';
const CONFIG_FILE = 'config.hcl';
const DATA_DIR = '/openbao/data';
const TLS_DIR = '/openbao/tls';
const HOME_DIR = '/home/openbao';

export interface OpenbaoServerProps {
  /** The platform config: API server addresses for egress, worker count for the anti-affinity. */
  readonly config: PlatformConfig;
  /** Servers in the Raft cluster (odd, so a majority survives the loss of a minority). */
  readonly replicas: number;
  /** StorageClass of each server's Raft volume: the platform's Retain class. */
  readonly storageClass: StorageClassRef;
  /** Size of each server's Raft volume, e.g. `5Gi`. */
  readonly dataSize: string;
  /** `kubernetes.io/tls` Secret of the listener (`tls.crt`, `tls.key`, `ca.crt`), valid for the pods' names. */
  readonly tlsSecretName: string;
  /** PostgreSQL pods the database secrets engine connects to (on port 5432). @default none */
  readonly databases?: readonly NetworkPolicyPeer[];
  /** Container image. @default quay.io/openbao/openbao at VERSIONS.openbao */
  readonly image?: string;
}

/**
 * The OpenBao servers: a StatefulSet with integrated Raft storage on one volume per pod, TLS on the
 * listener, the UI; the Services clients and peers use (all, active, standby, headless), service
 * registration RBAC, the auth-delegator binding the Kubernetes auth method needs, a PDB and the
 * NetworkPolicy of the servers.
 *
 * A server starts sealed. It is ready (in the Services, counted by the PDB) only once unsealed, so
 * clients never reach a sealed server and a drain never evicts an unsealed one while another is
 * sealed; the liveness probe accepts a sealed or uninitialised server, so it is not restarted
 * while waiting for an operator. Restarts are the operator's: updates are `OnDelete`, because
 * every restarted server must be unsealed by hand before the next one goes.
 */
export class OpenbaoServer extends Construct {
  public readonly statefulSet: KubeStatefulSet;
  /** All unsealed servers (standbys forward to the active one). */
  public readonly service: KubeService;
  /** The active server only (by the `openbao-active` label service registration maintains). */
  public readonly activeService: KubeService;
  public readonly standbyService: KubeService;
  /** Headless: a DNS name per pod, ready or not, for Raft joins and cluster traffic. */
  public readonly headlessService: KubeService;
  public readonly serviceAccount: KubeServiceAccount;
  public readonly configMap: KubeConfigMap;
  /** The rendered server configuration (HCL). */
  public readonly configText: string;
  /** Labels of the server pods. */
  public readonly selector: Record<string, string>;
  public readonly apiPort = API_PORT;
  public readonly clusterPort = CLUSTER_PORT;

  public constructor(scope: Construct, id: string, props: OpenbaoServerProps) {
    super(scope, id);
    const { config, replicas } = props;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas % 2 === 0) {
      throw new Error(`OpenBao: replicas must be an odd number of servers (a Raft majority must survive a failure), got ${replicas}`);
    }
    const namespace = Chart.of(this).namespace ?? NAME;
    this.selector = { ...OPENBAO_SERVER_SELECTOR };
    const headlessName = `${NAME}-internal`;
    const ports = (withCluster: boolean) => [
      { name: 'https', port: API_PORT, targetPort: IntOrString.fromString('https') },
      ...(withCluster ? [{ name: 'https-internal', port: CLUSTER_PORT, targetPort: IntOrString.fromString('https-internal') }] : []),
    ];

    this.serviceAccount = new KubeServiceAccount(this, 'service-account', {
      metadata: { name: NAME },
      automountServiceAccountToken: true,
    });
    const subject = { kind: 'ServiceAccount', name: this.serviceAccount.name, namespace };
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

    const configProps = {
      replicas,
      statefulSetName: NAME,
      headlessService: headlessName,
      namespace,
      apiPort: API_PORT,
      clusterPort: CLUSTER_PORT,
      dataPath: DATA_DIR,
      tlsDir: TLS_DIR,
    };
    this.configText = renderHcl(openbaoServerConfig(configProps));
    this.configMap = new KubeConfigMap(this, 'config', {
      metadata: { name: `${NAME}-config` },
      data: { [CONFIG_FILE]: this.configText },
    });

    this.service = new KubeService(this, 'service', {
      metadata: { name: NAME },
      spec: { type: 'ClusterIP', selector: this.selector, ports: ports(false) },
    });
    this.activeService = new KubeService(this, 'active-service', {
      metadata: { name: `${NAME}-active` },
      spec: { type: 'ClusterIP', selector: { ...this.selector, 'openbao-active': 'true' }, ports: ports(false) },
    });
    this.standbyService = new KubeService(this, 'standby-service', {
      metadata: { name: `${NAME}-standby` },
      spec: { type: 'ClusterIP', selector: { ...this.selector, 'openbao-active': 'false' }, ports: ports(false) },
    });
    this.headlessService = new KubeService(this, 'headless-service', {
      metadata: { name: headlessName },
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: this.selector, ports: ports(true) },
    });

    // the pod's own name through the headless Service: covered by the listener certificate
    const podHost = openbaoPodHost(configProps, '$(BAO_K8S_POD_NAME)');
    const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    const health = (query: string) => ({ path: `/v1/sys/health?${query}`, port: IntOrString.fromString('https'), scheme: 'HTTPS' });
    // one server per node while there are enough workers; packed otherwise, rather than pending

    this.statefulSet = new KubeStatefulSet(this, 'Resource', {
      metadata: { name: NAME },
      spec: {
        serviceName: this.headlessService.name,
        replicas,
        // all servers start at once: each waits sealed for the operator, none waits for another
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'OnDelete' },
        selector: { matchLabels: this.selector },
        template: {
          metadata: { labels: this.selector },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: true, // service registration and token reviews
            terminationGracePeriodSeconds: 30,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: OPENBAO_UID,
              runAsGroup: OPENBAO_GID,
              fsGroup: OPENBAO_GID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            affinity: spreadOverWorkers(this.selector, replicas, config.nodes.workers.nodes.length),
            containers: [{
              name: NAME,
              image: props.image ?? OPENBAO_IMAGES.server,
              imagePullPolicy: 'IfNotPresent',
              // the image's entrypoint (dumb-init: signals reach the server); the file, not the
              // directory, so nothing else in it is read as configuration
              command: ['/usr/local/bin/docker-entrypoint.sh'],
              args: ['bao', 'server', `-config=${CONFIG_DIR}/${CONFIG_FILE}`],
              ports: [
                { name: 'https', containerPort: API_PORT },
                { name: 'https-internal', containerPort: CLUSTER_PORT },
              ],
              env: [
                fieldEnv('BAO_K8S_POD_NAME', 'metadata.name'),
                fieldEnv('BAO_K8S_NAMESPACE', 'metadata.namespace'),
                { name: 'BAO_API_ADDR', value: `https://${podHost}:${API_PORT}` },
                { name: 'BAO_CLUSTER_ADDR', value: `https://${podHost}:${CLUSTER_PORT}` },
                // readable peer names in `bao operator raft list-peers`
                fieldEnv('BAO_RAFT_NODE_ID', 'metadata.name'),
                // the CLI inside the pod (operator init, unseal) talks to its own server
                { name: 'BAO_ADDR', value: `https://127.0.0.1:${API_PORT}` },
                { name: 'BAO_CACERT', value: `${TLS_DIR}/ca.crt` },
                // a non-root server with every capability dropped: nothing to chown or setcap
                { name: 'SKIP_CHOWN', value: 'true' },
                { name: 'SKIP_SETCAP', value: 'true' },
                { name: 'HOME', value: HOME_DIR },
              ],
              readinessProbe: {
                httpGet: health('standbyok=true'),
                initialDelaySeconds: 5,
                periodSeconds: 5,
                timeoutSeconds: 3,
                failureThreshold: 2,
              },
              livenessProbe: {
                // sealed and uninitialised servers answer 204: alive, waiting for the operator
                httpGet: health('standbyok=true&sealedcode=204&uninitcode=204'),
                initialDelaySeconds: 60,
                periodSeconds: 10,
                timeoutSeconds: 3,
                failureThreshold: 3,
              },
              lifecycle: {
                // leave the Services' endpoints before shutting down
                preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } },
              },
              resources: {
                requests: { cpu: Quantity.fromString('250m'), memory: Quantity.fromString('256Mi') },
                // generous: an OOM-killed server comes back sealed and needs an operator
                limits: { memory: Quantity.fromString('1Gi') },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
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
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels: this.selector },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: props.storageClass.name,
            resources: { requests: { storage: Quantity.fromString(props.dataSize) } },
          },
        }],
      },
    });

    // at most one server down: a majority of the Raft voters stays up through a drain
    new KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: NAME },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: this.selector } },
    });

    const peers = podsWith(this.selector);
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: NAME },
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            // The API from every pod of the cluster: the ingress controller (UI, CLI, Terraform),
            // the agents the injector adds to pods of any application namespace, CI jobs. Which
            // namespaces will run agents is not known here; every request is authenticated by
            // OpenBao itself (Kubernetes auth, AppRole, tokens).
            from: [{ namespaceSelector: {} }],
            ports: [tcp(API_PORT)],
          },
          // Raft joins (API port), replication and request forwarding (cluster port) between servers
          { from: [peers], ports: [tcp(API_PORT), tcp(CLUSTER_PORT)] },
        ],
        egress: [
          apiServerEgress(config), // service registration, token reviews
          { to: [peers], ports: [tcp(API_PORT), tcp(CLUSTER_PORT)] },
          // the database secrets engine manages users in the platform's PostgreSQL servers
          ...((props.databases ?? []).length > 0 ? [{ to: [...(props.databases ?? [])], ports: [tcp(POSTGRES_PORT)] }] : []),
        ],
      },
    });
  }
}
