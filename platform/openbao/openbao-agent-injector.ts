import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { PLATFORM, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeDeployment,
  KubeMutatingWebhookConfiguration,
  KubeRole,
  KubeRoleBinding,
} from '../../imports/k8s';
import { connectionRules } from '../../constructs/k8s/connection-policy';
import { PlatformWorkload } from '../../constructs/k8s/platform-workload';
import { containerSecurityContext, env, httpProbe, podSecurityContext, resources } from '../../constructs/k8s/pod-defaults';
import { ServiceEndpoint } from '../../constructs/k8s/service-endpoint';
import { INJECTOR_CALLS, INJECTOR_ENV, injectorVerbs, OPENBAO_INJECTOR, OPENBAO_INJECTOR_SCHEME } from '../../config/contracts/openbao-injector-env';
import { OPENBAO_ENDPOINTS, OPENBAO_IMAGES, OPENBAO_INJECTOR_SELECTOR } from './openbao-names';

const NAME = 'openbao-agent-injector';
/** The image's `vault` user and group (the upstream chart runs it as these). */
const INJECTOR_UID = 100;
const INJECTOR_GID = 1000;
/** Names fixed in the injector's code: the shared webhook certificate and the leader lock. */
const CERT_SECRET = OPENBAO_INJECTOR.certSecret.value;
const LEADER_LOCK = OPENBAO_INJECTOR.leaderLock.value;
/** The variables the injector reads (config/contracts/openbao-injector-env.ts). */
const E = INJECTOR_ENV;

/** Where the injected agents find the CA that signed the OpenBao listener's certificate. */
export interface CaSecretRef {
  readonly name: string;
  /** @default 'ca.crt' */
  readonly key?: string;
}

export interface OpenbaoAgentInjectorProps {
  /** The platform config: API server addresses, node subnet and pod CIDR, worker count. */
  readonly config: PlatformConfig;
  /** Every connection of the platform: the injector's egress opens exactly those it makes. */
  readonly connections: readonly Connection[];
  /** Address the injected agents use, e.g. `https://openbao.openbao.svc:8200`. */
  readonly openbaoAddress: string;
  /** Secret (in the injector's namespace) holding the CA the agents verify OpenBao against. */
  readonly caSecret: CaSecretRef;
  /** Replicas; with more than one, a leader generates and shares the webhook certificate. @default 2 */
  readonly replicas?: number;
  /** Mount path of the Kubernetes auth method agents log in with. @default the configuration stack's (`auth/kubernetes`) */
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
  public readonly workload: PlatformWorkload;
  public readonly deployment: KubeDeployment;
  public readonly service: ServiceEndpoint;
  public readonly webhook: KubeMutatingWebhookConfiguration;
  /** Labels of the injector pods. */
  public readonly selector: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: OpenbaoAgentInjectorProps) {
    super(scope, id);
    const { config } = props;
    const address = OPENBAO_ENDPOINTS.injector;
    const namespace = Chart.of(this).namespace ?? address.namespace;
    const replicas = props.replicas ?? 2;
    const leaderElection = replicas > 1;
    this.selector = OPENBAO_INJECTOR_SELECTOR;
    const selector = { ...OPENBAO_INJECTOR_SELECTOR };
    const webhookName = `${NAME}-cfg`;
    const listenPort = address.port('https').targetPort;

    this.service = new ServiceEndpoint(this, 'service', { address, selector });

    const probe = (failureThreshold: number, periodSeconds: number) => ({
      ...httpProbe(OPENBAO_INJECTOR.healthPath.value, 'https', { periodSeconds, timeoutSeconds: 5, failureThreshold }, OPENBAO_INJECTOR_SCHEME),
      initialDelaySeconds: 5,
    });
    const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    // The API server calls the webhook from the host network of the masters: its source is a
    // master's address, or its Calico tunnel address (in the pod CIDR) when the pod is on another
    // node. The `kube-apiserver` peer of the connection stands for the masters' addresses only, so
    // this rule is written out: the node subnet and the pod CIDR on the webhook port; the endpoint
    // only answers admission reviews.
    const webhookIngress = {
      from: [{ ipBlock: { cidr: config.network.subnet.cidr } }, { ipBlock: { cidr: config.network.podCidr } }],
      ports: address.policyPorts('https'),
    };
    const derived = connectionRules(props.connections, { namespace, selector }, config);

    this.workload = new PlatformWorkload(this, 'Resource', {
      name: NAME,
      selector,
      replicas,
      placement: { workers: config.nodes.workers.nodes.length },
      serviceAccount: { automountToken: true }, // patches its webhook configuration, leader election
      securityContext: podSecurityContext(INJECTOR_UID, { onRootMismatch: false, gid: INJECTOR_GID }),
      deploymentSpec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(1), maxSurge: IntOrString.fromNumber(0) } },
      },
      containers: [{
        name: 'sidecar-injector',
        image: props.image ?? OPENBAO_IMAGES.injector,
        args: [OPENBAO_INJECTOR.subcommand.value],
        ports: [{ name: 'https', containerPort: listenPort }],
        env: [
          env(E.listen.name, `:${listenPort}`),
          env(E.logLevel.name, 'info'),
          env(E.logFormat.name, 'standard'),
          env(E.vaultAddr.name, props.openbaoAddress),
          // the agents verify OpenBao against the platform CA (a public certificate)
          { name: E.vaultCaCertBytes.name, valueFrom: { secretKeyRef: { name: props.caSecret.name, key: props.caSecret.key ?? 'ca.crt' } } },
          env(E.vaultAuthPath.name, props.authPath ?? `auth/${PLATFORM.openbao.authMounts.kubernetes}`),
          env(E.vaultImage.name, props.agentImage ?? OPENBAO_IMAGES.server),
          // a self-generated serving certificate, its CA patched into the webhook configuration
          env(E.tlsAuto.name, webhookName),
          env(E.tlsAutoHosts.name, [address.name, `${address.name}.${address.namespace}`, address.host].join(',')),
          env(E.revokeOnShutdown.name, false),
          ...(leaderElection ? [env(E.useLeaderElector.name, true), fieldEnv(E.namespace.name, 'metadata.namespace')] : []),
          // requests and limits of the injected agent containers
          env(E.cpuRequest.name, '250m'),
          env(E.cpuLimit.name, '500m'),
          env(E.memRequest.name, '64Mi'),
          env(E.memLimit.name, '128Mi'),
          env(E.defaultTemplate.name, 'map'),
          env(E.templateExitOnRetryFailure.name, true),
          fieldEnv(E.podName.name, 'metadata.name'),
        ],
        readinessProbe: probe(2, 5),
        livenessProbe: probe(3, 10),
        startupProbe: probe(12, 5),
        resources: resources({ cpu: '50m', memory: '64Mi', memoryLimit: '256Mi' }),
        securityContext: containerSecurityContext(true),
      }],
      networkPolicy: { ingress: [webhookIngress], egress: derived.egress },
    });
    this.deployment = this.workload.resource as KubeDeployment;
    const subject = { kind: 'ServiceAccount', name: this.workload.serviceAccountName, namespace };

    const clusterRole = new KubeClusterRole(this, 'cluster-role', {
      metadata: { name: `kpaas:${NAME}` },
      rules: [
        // writes the CA of its generated certificate into its own webhook configuration
        // (hashicorp/vault-k8s v1.7.2 subcommand/injector/command.go: fetchWebhook, updateCABundle)
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: [webhookName], verbs: ['get', 'patch'] },
        // lists them at start to find the served API version (getAdminAPIVersion) and keeps an
        // informer on all of them to rewrite the CA when its configuration changes (watchWebhooks);
        // an informer lists and watches without a name, so these two cannot be limited to one
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['list', 'watch'] },
        // leader election: a leader on a NotReady node is replaced
        ...(leaderElection ? [{ apiGroups: [''], resources: ['nodes'], verbs: injectorVerbs(INJECTOR_CALLS.nodes) }] : []),
      ],
    });
    new KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `kpaas:${NAME}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [subject],
    });
    if (leaderElection) {
      const role = new KubeRole(this, 'leader-election-role', {
        metadata: { name: `${NAME}-leader-election` },
        rules: [
          // only the calls the code makes (INJECTOR_CALLS), by name where the request names the object.
          // The certificate Secret: followers read it through an informer (list and watch cannot be
          // limited to one name, and reads come from its cache), the leader creates and updates it
          { apiGroups: [''], resources: ['secrets'], verbs: injectorVerbs(INJECTOR_CALLS.certSecret, false) },
          { apiGroups: [''], resources: ['secrets'], resourceNames: [CERT_SECRET], verbs: injectorVerbs(INJECTOR_CALLS.certSecret, true) },
          // the leader-for-life lock: a ConfigMap owned by the leader's pod; a follower deletes it
          // when the leader's node is NotReady (operator-lib v0.19.0 leader.go deleteLeader), as the
          // garbage collector would only once the pod is gone, which it is not while its node is down
          { apiGroups: [''], resources: ['configmaps'], verbs: injectorVerbs(INJECTOR_CALLS.leaderLock, false) },
          { apiGroups: [''], resources: ['configmaps'], resourceNames: [LEADER_LOCK], verbs: injectorVerbs(INJECTOR_CALLS.leaderLock, true) },
          // its own pod (the lock's owner) and the leader's, which it deletes when evicted, preempted
          // or on a NotReady node (names known only at run time)
          { apiGroups: [''], resources: ['pods'], verbs: injectorVerbs(INJECTOR_CALLS.pods) },
        ],
      });
      new KubeRoleBinding(this, 'leader-election-role-binding', {
        metadata: { name: `${NAME}-leader-election` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects: [subject],
      });
    }

    this.webhook = new KubeMutatingWebhookConfiguration(this, 'webhook', {
      metadata: { name: webhookName },
      webhooks: [{
        name: 'vault.hashicorp.com',
        // pods are created without secrets rather than not at all while the injector is down
        failurePolicy: 'Ignore',
        matchPolicy: 'Exact',
        sideEffects: 'None',
        timeoutSeconds: 10,
        admissionReviewVersions: ['v1'],
        // no caBundle: the injector writes it (and keeps rewriting it) at run time
        clientConfig: { service: { name: address.name, namespace: address.namespace, path: OPENBAO_INJECTOR.mutatePath.value, port: address.port('https').port } },
        rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
        // never OpenBao's own pods (the injector would wait on itself) nor the system's
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...(props.excludedNamespaces ?? [namespace, 'kube-system'])] }],
        },
      }],
    });

    // the chart's common labels name OpenBao; every object here is the injector's, at its version
    const labels = { ...selector, 'app.kubernetes.io/version': VERSIONS.openbaoAgentInjector };
    for (const c of this.node.findAll()) {
      if (c instanceof ApiObject) for (const [key, value] of Object.entries(labels)) c.metadata.addLabel(key, value);
    }
  }
}
