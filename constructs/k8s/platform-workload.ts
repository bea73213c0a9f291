import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import {
  Affinity,
  Container,
  IntOrString,
  KubeDeployment,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeServiceAccount,
  KubeStatefulSet,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  PodSecurityContext,
  PodSpec,
  DeploymentSpec,
  StatefulSetSpec,
  Volume,
} from '../../imports/k8s';
import { connectionRules } from './connection-policy';
import { podAntiAffinity } from './placement';
import { containerSecurityContext } from './pod-defaults';

/** How replicas spread over the workers. */
export interface WorkloadPlacement {
  /** Number of workers of the cluster. */
  readonly workers: number;
  /**
   * The most replicas the workload can have (an autoscaler's maximum): anti-affinity is required
   * while every replica can have its own worker, preferred otherwise. @default the replicas
   */
  readonly maxReplicas?: number;
  /** Keep the pods off the control plane even if its taint is removed. @default false */
  readonly workersOnly?: boolean;
  /**
   * `preferred` keeps the anti-affinity a preference however many workers there are (a standby
   * replica that may share a node rather than stay pending). @default required while replicas fit
   */
  readonly spread?: 'preferred';
}

/** The NetworkPolicy of a workload. */
export type WorkloadPolicy =
  /**
   * Derived from the declared connections: ingress from every connection made to these pods, egress
   * for every connection they make (constructs/k8s/connection-policy.ts).
   */
  | { readonly connections: readonly Connection[]; readonly config: PlatformConfig }
  /** Written out: for peers the connection contract does not model. */
  | { readonly ingress?: readonly NetworkPolicyIngressRule[]; readonly egress?: readonly NetworkPolicyEgressRule[] };

/** A PodDisruptionBudget's limit, and whether a pod that is not Ready may always be evicted. */
export type DisruptionBudget = ({ readonly maxUnavailable: number } | { readonly minAvailable: number }) & {
  /**
   * `AlwaysAllow` lets a drain evict a pod that never became Ready (a budget with no Ready pod would
   * otherwise block every drain). @default the API's default (IfHealthyBudget)
   */
  readonly unhealthyPodEvictionPolicy?: 'AlwaysAllow' | 'IfHealthyBudget';
};

export interface PlatformWorkloadProps {
  /** Name of the workload, and of its ServiceAccount, PodDisruptionBudget and NetworkPolicy. */
  readonly name: string;
  /** Labels that select the pods (stable across versions). */
  readonly selector: Readonly<Record<string, string>>;
  /** @default 'Deployment' */
  readonly kind?: 'Deployment' | 'StatefulSet';
  /** Name of the Deployment or StatefulSet, where an installer's name differs. @default name */
  readonly workloadName?: string;
  /**
   * Replica count; `undefined` when an autoscaler owns the count (a fixed value would fight it on
   * every apply). @default 1
   */
  readonly replicas?: number | 'autoscaled';
  /**
   * The fewest replicas that run: a PodDisruptionBudget of `maxUnavailable: 1` is made above one.
   * @default the replicas
   */
  readonly minReplicas?: number;
  /** Overrides the budget made above one replica, or `false` for none. @default { maxUnavailable: 1 } */
  readonly disruptionBudget?: DisruptionBudget | false;
  /** Spreading over workers. @default none (a single replica, or the scheduler's choice) */
  readonly placement?: WorkloadPlacement;
  /** The pod's user and seccomp profile: `podSecurityContext(uid)`. */
  readonly securityContext: PodSecurityContext;
  /**
   * The containers. Each gets `imagePullPolicy: IfNotPresent` unless it says otherwise, and the
   * restricted container security context with what it sets on top.
   */
  readonly containers: readonly Container[];
  /** @default none */
  readonly initContainers?: readonly Container[];
  /** @default none */
  readonly volumes?: readonly Volume[];
  /** Annotations of the pod template (config checksums, agent injection). @default none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Labels of its objects besides the chart's (an instance or version of its own). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels of the pod template besides the selector (a version label). @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Other fields of the pod spec (termination grace, host aliases, priority). @default none */
  readonly podSpec?: Partial<PodSpec>;
  /** Other fields of the Deployment spec (strategy). @default none */
  readonly deploymentSpec?: Partial<DeploymentSpec>;
  /** Other fields of the StatefulSet spec (volumeClaimTemplates, policies). @default none */
  readonly statefulSetSpec?: Partial<StatefulSetSpec>;
  /** The governing (headless) Service of a StatefulSet. @default the workload's name */
  readonly serviceName?: string;
  /**
   * Its ServiceAccount. The platform's pods call no API unless they say so: the token is not
   * mounted by default. @default { automountToken: false }
   */
  readonly serviceAccount?: { readonly automountToken?: boolean };
  /** Its NetworkPolicy (ingress and egress both enforced), or `false` where another object owns it. */
  readonly networkPolicy: WorkloadPolicy | false;
}

/**
 * One platform workload, written once the way every platform pod runs: its own ServiceAccount
 * (no token unless asked), the Deployment or StatefulSet with the restricted security contexts,
 * anti-affinity over the workers, a PodDisruptionBudget when more than one replica must stay, and
 * a NetworkPolicy enforcing ingress and egress. Modelled on cdk8s-plus's Workload, with the
 * platform's defaults instead of the library's.
 */
export class PlatformWorkload extends Construct {
  public readonly serviceAccount: KubeServiceAccount;
  public readonly resource: KubeDeployment | KubeStatefulSet;
  public readonly disruptionBudget?: KubePodDisruptionBudget;
  public readonly networkPolicy?: KubeNetworkPolicy;
  public readonly selector: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: PlatformWorkloadProps) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new Error(`workload ${props.name}: must be built in a chart with a namespace`);
    if (props.containers.length === 0) throw new Error(`workload ${props.name}: needs at least one container`);
    this.selector = props.selector;
    const selector = { ...props.selector };
    const replicas = props.replicas ?? 1;
    const fixed = replicas === 'autoscaled' ? undefined : replicas;
    const minReplicas = props.minReplicas ?? fixed ?? 1;
    const automount = props.serviceAccount?.automountToken ?? false;

    const metadata = (name: string) => ({ name, ...(props.labels ? { labels: { ...props.labels } } : {}) });
    this.serviceAccount = new KubeServiceAccount(this, 'service-account', {
      metadata: metadata(props.name),
      automountServiceAccountToken: automount,
    });

    // what a container says is added to the restricted context, so no component drops it by omission
    const withDefaults = (c: Container): Container => ({
      imagePullPolicy: 'IfNotPresent',
      ...c,
      securityContext: { ...containerSecurityContext(), ...c.securityContext },
    });
    const placement = props.placement;
    const most = placement?.maxReplicas ?? fixed ?? 1;
    const antiAffinity = placement && most > 1
      ? podAntiAffinity(selector, most, placement.workers, placement.spread === 'preferred')
      : undefined;
    const affinity: Affinity | undefined = placement?.workersOnly || antiAffinity ? {
      ...(placement?.workersOnly ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] }],
          },
        },
      } : {}),
      ...(antiAffinity ? { podAntiAffinity: antiAffinity } : {}),
    } : undefined;

    const template = {
      metadata: { labels: { ...selector, ...props.podLabels }, ...(props.podAnnotations ? { annotations: { ...props.podAnnotations } } : {}) },
      spec: {
        serviceAccountName: this.serviceAccount.name,
        automountServiceAccountToken: automount,
        securityContext: props.securityContext,
        ...(affinity ? { affinity } : {}),
        ...(props.initContainers?.length ? { initContainers: props.initContainers.map(withDefaults) } : {}),
        containers: props.containers.map(withDefaults),
        ...(props.volumes?.length ? { volumes: [...props.volumes] } : {}),
        ...props.podSpec,
      },
    };
    const name = props.workloadName ?? props.name;
    const spec = {
      ...(fixed === undefined ? {} : { replicas: fixed }),
      selector: { matchLabels: selector },
      template,
    };
    this.resource = props.kind === 'StatefulSet'
      ? new KubeStatefulSet(this, 'Resource', { metadata: metadata(name), spec: { ...spec, serviceName: props.serviceName ?? name, ...props.statefulSetSpec } })
      : new KubeDeployment(this, 'Resource', { metadata: metadata(name), spec: { ...spec, ...props.deploymentSpec } });

    if (props.disruptionBudget !== false && minReplicas > 1) {
      const budget = props.disruptionBudget ?? { maxUnavailable: 1 };
      this.disruptionBudget = new KubePodDisruptionBudget(this, 'pdb', {
        metadata: metadata(props.name),
        spec: {
          ...('maxUnavailable' in budget
            ? { maxUnavailable: IntOrString.fromNumber(budget.maxUnavailable) }
            : { minAvailable: IntOrString.fromNumber(budget.minAvailable) }),
          selector: { matchLabels: selector },
          ...(budget.unhealthyPodEvictionPolicy ? { unhealthyPodEvictionPolicy: budget.unhealthyPodEvictionPolicy } : {}),
        },
      });
    }

    if (props.networkPolicy !== false) {
      const rules = 'connections' in props.networkPolicy
        ? connectionRules(props.networkPolicy.connections, { namespace, selector }, props.networkPolicy.config)
        : { ingress: [...(props.networkPolicy.ingress ?? [])], egress: [...(props.networkPolicy.egress ?? [])] };
      this.networkPolicy = new KubeNetworkPolicy(this, 'network-policy', {
        metadata: metadata(props.name),
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress', 'Egress'],
          ...(rules.ingress.length > 0 ? { ingress: rules.ingress } : {}),
          ...(rules.egress.length > 0 ? { egress: rules.egress } : {}),
        },
      });
    }
  }

  /** Name of the ServiceAccount. */
  public get serviceAccountName(): string {
    return this.serviceAccount.name;
  }
}
