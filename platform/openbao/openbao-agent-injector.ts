import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { VERSIONS } from '../../config';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeDeployment,
  KubeMutatingWebhookConfiguration,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeRole,
  KubeRoleBinding,
  KubeService,
  KubeServiceAccount,
  Quantity,
} from '../../imports/k8s';
import { apiServerEgress, tcp } from '../../constructs/k8s/network-peers';
import { spreadOverWorkers } from '../../constructs/k8s/placement';
import { OPENBAO_IMAGES } from './openbao-names';

const NAME = 'openbao-agent-injector';
const PORT = 8080;
/** The image's `vault` user and group (the upstream chart runs it as these). */
const INJECTOR_UID = 100;
const INJECTOR_GID = 1000;
/** Names fixed in the injector's code: the shared webhook certificate and the leader lock. */
const CERT_SECRET = 'vault-injector-certs';
const LEADER_LOCK = 'vault-k8s-leader';

/** Where the injected agents find the CA that signed the OpenBao listener's certificate. */
export interface CaSecretRef {
  readonly name: string;
  /** @default 'ca.crt' */
  readonly key?: string;
}

export interface OpenbaoAgentInjectorProps {
  /** The platform config: API server addresses, node subnet and pod CIDR, worker count. */
  readonly config: PlatformConfig;
  /** Address the injected agents use, e.g. `https://openbao.openbao.svc:8200`. */
  readonly openbaoAddress: string;
  /** Secret (in the injector's namespace) holding the CA the agents verify OpenBao against. */
  readonly caSecret: CaSecretRef;
  /** Replicas; with more than one, a leader generates and shares the webhook certificate. @default 2 */
  readonly replicas?: number;
  /** Mount path of the Kubernetes auth method agents log in with. @default 'auth/kubernetes' */
  readonly authPath?: string;
  /** Namespaces whose pods are never sent to the webhook. @default the injector's own and kube-system */
  readonly excludedNamespaces?: readonly string[];
  /** Injector image. @default docker.io/hashicorp/vault-k8s at VERSIONS.openbaoAgentInjector */
  readonly image?: string;
  /** Agent image injected into application pods. @default quay.io/openbao/openbao at VERSIONS.openbao */
  readonly agentImage?: string;
}

/**
 * The agent injector: a mutating webhook that adds an OpenBao agent (init container and sidecar)
 * to pods annotated `vault.hashicorp.com/agent-inject: "true"`, the seed's "sidecar injection".
 * It makes its own webhook certificate and writes the CA into its MutatingWebhookConfiguration;
 * with several replicas, the elected leader does that and shares the certificate through a Secret.
 */
export class OpenbaoAgentInjector extends Construct {
  public readonly deployment: KubeDeployment;
  public readonly service: KubeService;
  public readonly webhook: KubeMutatingWebhookConfiguration;
  /** Labels of the injector pods. */
  public readonly selector: Record<string, string>;

  public constructor(scope: Construct, id: string, props: OpenbaoAgentInjectorProps) {
    super(scope, id);
    const { config } = props;
    const namespace = Chart.of(this).namespace ?? 'default';
    const replicas = props.replicas ?? 2;
    const leaderElection = replicas > 1;
    this.selector = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/component': 'webhook' };
    // the chart's common labels name OpenBao; these objects are the injector's
    const labels = { ...this.selector, 'app.kubernetes.io/version': VERSIONS.openbaoAgentInjector };
    const webhookName = `${NAME}-cfg`;
    const serviceName = `${NAME}-svc`;

    const sa = new KubeServiceAccount(this, 'service-account', {
      metadata: { name: NAME, labels },
      automountServiceAccountToken: true,
    });
    const subject = { kind: 'ServiceAccount', name: sa.name, namespace };

    const clusterRole = new KubeClusterRole(this, 'cluster-role', {
      metadata: { name: `kpaas:${NAME}`, labels },
      rules: [
        // writes the CA of its generated certificate into its own webhook configuration
        // (hashicorp/vault-k8s v1.7.2 subcommand/injector/command.go: fetchWebhook, updateCABundle)
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: [webhookName], verbs: ['get', 'patch'] },
        // lists them at start to find the served API version (getAdminAPIVersion) and keeps an
        // informer on all of them to rewrite the CA when its configuration changes (watchWebhooks);
        // an informer lists and watches without a name, so these two cannot be limited to one
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['list', 'watch'] },
        // leader election: a leader on a NotReady node is replaced
        ...(leaderElection ? [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] : []),
      ],
    });
    new KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `kpaas:${NAME}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [subject],
    });
    if (leaderElection) {
      const role = new KubeRole(this, 'leader-election-role', {
        metadata: { name: `${NAME}-leader-election`, labels },
        rules: [
          // the certificate Secret: followers read it through an informer (list and watch
          // cannot be limited to one name), the leader creates and updates it
          { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch', 'create'] },
          { apiGroups: [''], resources: ['secrets'], resourceNames: [CERT_SECRET], verbs: ['get', 'update', 'patch'] },
          // the leader-for-life lock: a ConfigMap owned by the leader's pod
          { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
          { apiGroups: [''], resources: ['configmaps'], resourceNames: [LEADER_LOCK], verbs: ['get', 'update'] },
          // its own pod (the lock's owner) and an evicted leader's pod, which it deletes
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch', 'delete'] },
        ],
      });
      new KubeRoleBinding(this, 'leader-election-role-binding', {
        metadata: { name: `${NAME}-leader-election`, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects: [subject],
      });
    }

    this.service = new KubeService(this, 'service', {
      metadata: { name: serviceName, labels },
      spec: { selector: this.selector, ports: [{ name: 'https', port: 443, targetPort: IntOrString.fromString('https') }] },
    });

    const env = (name: string, value: string) => ({ name, value });
    const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    const probe = (failureThreshold: number, periodSeconds: number) => ({
      httpGet: { path: '/health/ready', port: IntOrString.fromString('https'), scheme: 'HTTPS' },
      initialDelaySeconds: 5,
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });
    const agentImage = props.agentImage ?? OPENBAO_IMAGES.server;

    this.deployment = new KubeDeployment(this, 'Resource', {
      metadata: { name: NAME, labels },
      spec: {
        replicas,
        selector: { matchLabels: this.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(1), maxSurge: IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: this.selector },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: true, // patches its webhook configuration, leader election
            securityContext: {
              runAsNonRoot: true,
              runAsUser: INJECTOR_UID,
              runAsGroup: INJECTOR_GID,
              fsGroup: INJECTOR_GID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            affinity: spreadOverWorkers(this.selector, replicas, config.nodes.workers.nodes.length),
            containers: [{
              name: 'sidecar-injector',
              image: props.image ?? OPENBAO_IMAGES.injector,
              imagePullPolicy: 'IfNotPresent',
              args: ['agent-inject'],
              ports: [{ name: 'https', containerPort: PORT }],
              env: [
                env('AGENT_INJECT_LISTEN', `:${PORT}`),
                env('AGENT_INJECT_LOG_LEVEL', 'info'),
                env('AGENT_INJECT_LOG_FORMAT', 'standard'),
                env('AGENT_INJECT_VAULT_ADDR', props.openbaoAddress),
                // the agents verify OpenBao against the platform CA (a public certificate)
                { name: 'AGENT_INJECT_VAULT_CACERT_BYTES', valueFrom: { secretKeyRef: { name: props.caSecret.name, key: props.caSecret.key ?? 'ca.crt' } } },
                env('AGENT_INJECT_VAULT_AUTH_PATH', props.authPath ?? 'auth/kubernetes'),
                env('AGENT_INJECT_VAULT_IMAGE', agentImage),
                // a self-generated serving certificate, its CA patched into the webhook configuration
                env('AGENT_INJECT_TLS_AUTO', webhookName),
                env('AGENT_INJECT_TLS_AUTO_HOSTS', [serviceName, `${serviceName}.${namespace}`, `${serviceName}.${namespace}.svc`].join(',')),
                env('AGENT_INJECT_REVOKE_ON_SHUTDOWN', 'false'),
                ...(leaderElection ? [env('AGENT_INJECT_USE_LEADER_ELECTOR', 'true'), fieldEnv('NAMESPACE', 'metadata.namespace')] : []),
                // requests and limits of the injected agent containers
                env('AGENT_INJECT_CPU_REQUEST', '250m'),
                env('AGENT_INJECT_CPU_LIMIT', '500m'),
                env('AGENT_INJECT_MEM_REQUEST', '64Mi'),
                env('AGENT_INJECT_MEM_LIMIT', '128Mi'),
                env('AGENT_INJECT_DEFAULT_TEMPLATE', 'map'),
                env('AGENT_INJECT_TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE', 'true'),
                fieldEnv('POD_NAME', 'metadata.name'),
              ],
              readinessProbe: probe(2, 5),
              livenessProbe: probe(3, 10),
              startupProbe: probe(12, 5),
              resources: {
                requests: { cpu: Quantity.fromString('50m'), memory: Quantity.fromString('64Mi') },
                limits: { memory: Quantity.fromString('256Mi') },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            }],
          },
        },
      },
    });

    this.webhook = new KubeMutatingWebhookConfiguration(this, 'webhook', {
      metadata: { name: webhookName, labels },
      webhooks: [{
        name: 'vault.hashicorp.com',
        // pods are created without secrets rather than not at all while the injector is down
        failurePolicy: 'Ignore',
        matchPolicy: 'Exact',
        sideEffects: 'None',
        timeoutSeconds: 10,
        admissionReviewVersions: ['v1'],
        // no caBundle: the injector writes it (and keeps rewriting it) at run time
        clientConfig: { service: { name: this.service.name, namespace, path: '/mutate', port: 443 } },
        rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
        // never OpenBao's own pods (the injector would wait on itself) nor the system's
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...(props.excludedNamespaces ?? [namespace, 'kube-system'])] }],
        },
      }],
    });

    new KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: NAME, labels },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: this.selector } },
    });

    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: NAME, labels },
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{
          // The API server calls the webhook from the host network of the masters: its source is
          // a node address, or the node's Calico tunnel address (in the pod CIDR) when the pod is
          // on another node. No pod selector can match it, so the node subnet and the pod CIDR are
          // allowed on the webhook port; the endpoint only answers admission reviews.
          from: [{ ipBlock: { cidr: config.network.subnet.cidr } }, { ipBlock: { cidr: config.network.podCidr } }],
          ports: [tcp(PORT)],
        }],
        egress: [apiServerEgress(config)],
      },
    });
  }
}
