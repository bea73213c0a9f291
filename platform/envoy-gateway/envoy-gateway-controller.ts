import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { mirrorImage, PLATFORM, type PlatformConfig } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import {
  ENVOY_GATEWAY_ARGS,
  ENVOY_GATEWAY_CERTGEN_COMMAND,
  ENVOY_GATEWAY_ENV,
  ENVOY_GATEWAY_GRANTS,
  ENVOY_GATEWAY_PROBES,
  ENVOY_GATEWAY_USER,
  type EnvoyGatewayGrant,
} from '../../config/contracts/envoy-gateway';
import { configChecksum, connectionRules, containerSecurityContext, PlatformWorkload, podSecurityContext, resources, ServiceEndpoint, yamlFile } from '../../constructs/k8s';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeConfigMap,
  KubeJob,
  KubeNetworkPolicy,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  type EnvVar,
  type PolicyRule,
  type Probe,
} from '../../imports/k8s';
import {
  ENVOY_GATEWAY_CERTGEN_SELECTOR,
  ENVOY_GATEWAY_CONTROLLER_NAME,
  ENVOY_GATEWAY_CONTROLLER_SELECTOR,
  ENVOY_GATEWAY_ENDPOINTS,
  ENVOY_GATEWAY_IMAGE,
  ENVOY_GATEWAY_NAMES,
} from './envoy-gateway-names';

export interface EnvoyGatewayControllerProps {
  readonly config: PlatformConfig;
  /** Every connection of the platform: the controller's and certgen's policies admit theirs. */
  readonly connections: readonly Connection[];
}

/** The EnvoyGateway configuration the controller reads from /config/envoy-gateway.yaml. */
export function envoyGatewayConfigFile(config: PlatformConfig): string {
  return yamlFile({
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'EnvoyGateway',
    gateway: { controllerName: ENVOY_GATEWAY_CONTROLLER_NAME },
    provider: {
      type: 'Kubernetes',
      kubernetes: {
        // the proxies' shutdown manager is this binary; the program's own default is gateway-dev:latest
        // (api/v1alpha1/shared_types.go DefaultShutdownManagerImage)
        shutdownManager: { image: mirrorImage(ENVOY_GATEWAY_IMAGE, config.images.mirrors) },
        // one availability zone: no webhook copying zones onto the proxies (EnvoyGateway.TopologyInjectorDisabled)
        proxyTopologyInjector: { disabled: true },
      },
    },
    logging: { level: { default: 'info' } },
  });
}

/** The environment both the controller and certgen read. */
function programEnv(): EnvVar[] {
  const values: Record<string, EnvVar['valueFrom'] | string> = {
    ENVOY_GATEWAY_NAMESPACE: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
    KUBERNETES_CLUSTER_DOMAIN: PLATFORM.dns.clusterDomain,
  };
  return ENVOY_GATEWAY_ENV.map((e) => {
    const v = values[e.name];
    if (v === undefined) throw new Error(`Envoy Gateway: no value for ${e.name}`);
    return typeof v === 'string' ? { name: e.name, value: v } : { name: e.name, valueFrom: v };
  });
}

/** RBAC rules of one grant of the contract. */
function rulesOf(grant: EnvoyGatewayGrant): PolicyRule[] {
  return grant.rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
}

const probe = (path: string, timing: Omit<Probe, 'httpGet'>): Probe => ({
  httpGet: { path, port: IntOrString.fromNumber(ENVOY_GATEWAY_PROBES.port) },
  ...timing,
});

/**
 * Envoy Gateway's controller as its release runs it (chart charts/gateway-helm at v1.9.0): the
 * EnvoyGateway configuration, the Deployment with its ServiceAccount and the grants of
 * config/contracts/envoy-gateway.ts, its Service (the proxies' xDS address), and the certgen Job
 * that writes the xDS certificates before the controller can start (the chart runs it as a Helm
 * hook; here it is a plain Job, which a re-apply leaves alone once it has run: certgen never
 * overwrites existing certificates without --overwrite).
 */
export class EnvoyGatewayController extends Construct {
  public readonly configMap: KubeConfigMap;
  public readonly workload: PlatformWorkload;
  public readonly endpoint: ServiceEndpoint;
  public readonly certgen: KubeJob;
  public readonly certgenServiceAccount: KubeServiceAccount;
  public readonly certgenNetworkPolicy: KubeNetworkPolicy;
  public readonly roles: ReadonlyArray<KubeClusterRole | KubeRole>;

  public constructor(scope: Construct, id: string, props: EnvoyGatewayControllerProps) {
    super(scope, id);
    const { config, connections } = props;
    const namespace = Chart.of(this).namespace as string;
    const names = ENVOY_GATEWAY_NAMES;
    const data = { 'envoy-gateway.yaml': envoyGatewayConfigFile(config) };
    this.configMap = new KubeConfigMap(this, 'config', { metadata: { name: names.config }, data });

    this.endpoint = new ServiceEndpoint(this, 'service', { address: ENVOY_GATEWAY_ENDPOINTS.controller, selector: ENVOY_GATEWAY_CONTROLLER_SELECTOR });
    const securityContext = { ...containerSecurityContext(true), runAsNonRoot: true, runAsUser: ENVOY_GATEWAY_USER.uid, runAsGroup: ENVOY_GATEWAY_USER.gid };
    this.workload = new PlatformWorkload(this, 'controller', {
      name: names.controller,
      selector: ENVOY_GATEWAY_CONTROLLER_SELECTOR,
      securityContext: podSecurityContext(ENVOY_GATEWAY_USER.uid, { gid: ENVOY_GATEWAY_USER.gid, onRootMismatch: false }),
      serviceAccount: { automountToken: true },
      podAnnotations: configChecksum(data),
      containers: [{
        name: 'envoy-gateway',
        image: ENVOY_GATEWAY_IMAGE,
        args: [...ENVOY_GATEWAY_ARGS.args],
        env: programEnv(),
        ports: ENVOY_GATEWAY_ENDPOINTS.controller.ports.map((p) => ({ name: p.name, containerPort: p.targetPort, protocol: 'TCP' })),
        // the chart's probes: a generous start, then the manager's health and cache-sync checks
        startupProbe: probe(ENVOY_GATEWAY_PROBES.liveness, { failureThreshold: 30, periodSeconds: 1, successThreshold: 1, timeoutSeconds: 1 }),
        livenessProbe: probe(ENVOY_GATEWAY_PROBES.liveness, { periodSeconds: 20, successThreshold: 1, timeoutSeconds: 1 }),
        readinessProbe: probe(ENVOY_GATEWAY_PROBES.readiness, { periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 }),
        resources: resources({ cpu: '100m', memory: '256Mi', memoryLimit: '1024Mi' }),
        securityContext,
        volumeMounts: [
          { name: 'config', mountPath: '/config', readOnly: true },
          { name: 'certs', mountPath: '/certs', readOnly: true },
          { name: 'wasm-cache', mountPath: '/var/lib/eg/wasm' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: names.config, defaultMode: 0o644 } },
        { name: 'certs', secret: { secretName: names.certsSecret } },
        { name: 'wasm-cache', emptyDir: {} },
      ],
      podSpec: { terminationGracePeriodSeconds: 10 },
      networkPolicy: { connections, config },
    });

    // the grants of the contract, each bound to its account
    const accountOf = { controller: this.workload.serviceAccountName, certgen: names.certgen };
    this.certgenServiceAccount = new KubeServiceAccount(this, 'certgen-service-account', {
      metadata: { name: names.certgen },
      automountServiceAccountToken: false,
    });
    const roles: Array<KubeClusterRole | KubeRole> = [];
    const grantName = (g: EnvoyGatewayGrant): string => {
      if (g.account === 'certgen') return names.certgen;
      if (g.scope === 'cluster') return names.controller;
      return g.rules.some((r) => r.resources.includes('leases')) ? names.leaderElection : names.infraManager;
    };
    ENVOY_GATEWAY_GRANTS.forEach((g, i) => {
      const name = grantName(g);
      const subjects = [{ kind: 'ServiceAccount', name: accountOf[g.account], namespace }];
      if (g.scope === 'cluster') {
        const role = new KubeClusterRole(this, `cluster-role-${i}`, { metadata: { name }, rules: rulesOf(g) });
        new KubeClusterRoleBinding(this, `cluster-role-binding-${i}`, {
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
          subjects,
        });
        roles.push(role);
      } else {
        const role = new KubeRole(this, `role-${i}`, { metadata: { name }, rules: rulesOf(g) });
        new KubeRoleBinding(this, `role-binding-${i}`, {
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
          subjects,
        });
        roles.push(role);
      }
    });
    this.roles = roles;

    this.certgen = new KubeJob(this, 'certgen', {
      metadata: { name: names.certgen },
      spec: {
        backoffLimit: 1,
        completions: 1,
        parallelism: 1,
        template: {
          metadata: { labels: { ...ENVOY_GATEWAY_CERTGEN_SELECTOR } },
          spec: {
            serviceAccountName: names.certgen,
            automountServiceAccountToken: true,
            restartPolicy: 'Never',
            securityContext: podSecurityContext(ENVOY_GATEWAY_USER.uid, { gid: ENVOY_GATEWAY_USER.gid, onRootMismatch: false }),
            containers: [{
              name: 'envoy-gateway-certgen',
              image: ENVOY_GATEWAY_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              command: [...ENVOY_GATEWAY_CERTGEN_COMMAND.command],
              args: [...ENVOY_GATEWAY_CERTGEN_COMMAND.args],
              env: programEnv(),
              resources: resources({ cpu: '10m', memory: '32Mi', memoryLimit: '128Mi' }),
              securityContext,
            }],
          },
        },
      },
    });
    const rules = connectionRules(connections, { namespace, selector: ENVOY_GATEWAY_CERTGEN_SELECTOR }, config);
    this.certgenNetworkPolicy = new KubeNetworkPolicy(this, 'certgen-network-policy', {
      metadata: { name: names.certgen },
      spec: {
        podSelector: { matchLabels: { ...ENVOY_GATEWAY_CERTGEN_SELECTOR } },
        policyTypes: ['Ingress', 'Egress'],
        ...(rules.ingress.length > 0 ? { ingress: rules.ingress } : {}),
        ...(rules.egress.length > 0 ? { egress: rules.egress } : {}),
      },
    });
  }
}
