/**
 * The contract of a platform service (cdk-eks-blueprints' add-on model): one descriptor object per
 * folder under platform/, listed in apply order by platform/index.ts. Every consumer iterates the
 * descriptors instead of keeping its own list: the cdk8s app and its kustomization, the namespaces
 * chart, `kpaas secrets`, the ansible hosts and `dns_etchosts`, the generated services table, the
 * OpenBao Terraform stack and the contract tests. Nothing is read back out of synthesized objects.
 */
import type { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config';
import type { Connection } from '../config/contracts/connections';
import type { ServiceAddress } from './k8s/service-endpoint';
import type { PodSecurityLevel } from './k8s/pod-security';
import type { SecretCatalog } from './secret-spec';

/** The namespace a service owns. */
export interface ServiceNamespace {
  readonly name: string;
  /** Pod Security Standards level enforced in it. */
  readonly podSecurity: PodSecurityLevel;
  /** Why the level is weaker than restricted, when it is. */
  readonly reason?: string;
}

/** A public host of a service, behind the ingress controller. */
export interface ServiceHost {
  /** Fully qualified name (`harbor.<domain>`). */
  readonly name: string;
  /** How a user reaches the service there (the services table's text, markdown). */
  readonly reach: string;
}

/** A platform PostgreSQL database that OpenBao's database secrets engine manages. */
export interface OpenbaoManagedDatabase {
  /** Name of the engine's connection and role (the application). */
  readonly name: string;
  /** The database server's Service. */
  readonly server: ServiceAddress;
  /** Name of the database. */
  readonly database: string;
  /** The Secret holding its owner's `username` and `password` (made by `kpaas secrets`). */
  readonly ownerSecret: string;
  /** Labels of the server's pods (OpenBao's egress goes to them). */
  readonly selector: Readonly<Record<string, string>>;
}

/** An AppRole a service's programs log in to OpenBao with, and the KV engine it owns. */
export interface OpenbaoAppRole {
  /** Name of the policy; also names the Terraform resources (`-` as `_`). */
  readonly policy: string;
  readonly role: string;
  /** Mount path of its KV v2 engine. */
  readonly kvMount: string;
  /** What the engine holds (the mount's description). */
  readonly description: string;
  /** Key of the engine's path in the stack's `mounts` output. */
  readonly outputKey: string;
}

/** What a service asks of OpenBao. */
export interface ServiceOpenbaoNeeds {
  /**
   * The ServiceAccounts of the service's namespace that the namespace's Kubernetes auth role
   * binds. @default none (no role for the namespace)
   */
  readonly boundServiceAccounts?: readonly string[];
  /** @default none */
  readonly databases?: readonly OpenbaoManagedDatabase[];
  /** @default none */
  readonly appRoles?: readonly OpenbaoAppRole[];
}

/** What the OpenBao configuration stack sets up for the services. */
export interface OpenbaoRequests {
  /** Per namespace, the ServiceAccounts its Kubernetes auth role binds. */
  readonly boundServiceAccounts: ReadonlyMap<string, readonly string[]>;
  readonly databases: readonly OpenbaoManagedDatabase[];
  readonly appRoles: readonly OpenbaoAppRole[];
}

/** What a service's chart is given: the configuration and what every service declares. */
export interface ServiceChartContext {
  readonly config: PlatformConfig;
  /** Every connection of every service: a workload's policy admits those made to it. */
  readonly connections: readonly Connection[];
  /** Every service of the platform, in apply order (what one asks of another: OpenBao's databases). */
  readonly services: readonly PlatformService[];
}

/** One platform service: everything the rest of the project knows about it. */
export interface PlatformService {
  /** Folder and component name (`harbor`). */
  readonly name: string;
  /** Display name (`Harbor`). */
  readonly title: string;
  /** File name of its manifests in dist/manifests, without `.yaml`: the number orders the apply (`50-harbor`). */
  readonly manifest: string;
  /**
   * Whether the configuration runs it (the ingress controller's service runs for its controller
   * only); a service that is off is in no output. @default always
   */
  enabled?(config: PlatformConfig): boolean;
  /**
   * Upstream files emitted into dist/manifests unchanged (pinned CRDs), by path below it; the
   * paths sort before its manifest so they are applied first. @default none
   */
  files?(config: PlatformConfig): ReadonlyMap<string, string>;
  /** The namespace it creates. @default none (it lives in one the cluster layer creates) */
  readonly namespace?: ServiceNamespace;
  /** The namespace its objects live in when the cluster layer creates it. @default none */
  readonly externalNamespace?: string;
  /** Its public hosts. */
  hosts(config: PlatformConfig): readonly ServiceHost[];
  /** Its in-cluster Services, as addresses other services and outputs use. */
  readonly endpoints: Readonly<Record<string, ServiceAddress>>;
  /** The Secrets and certificates `kpaas secrets` makes for it. */
  secrets(config: PlatformConfig): SecretCatalog;
  /** What it asks of OpenBao. @default nothing */
  readonly openbao?: ServiceOpenbaoNeeds;
  /** The connections its programs make (the client side is its own), with their upstream sources. */
  connections(config: PlatformConfig): readonly Connection[];
  /** Every image its manifests run, fully qualified, before registry mirrors. */
  images(config: PlatformConfig): readonly string[];
  /** How to reach it when it has no public host (the services table's text). @default the hosts' texts */
  reach?(config: PlatformConfig): string;
  /** Where its data lives, when not in claims of its own (the services table's text). @default its claims */
  storage?(config: PlatformConfig): string;
  /** Builds its cdk8s chart. */
  chart(scope: Construct, context: ServiceChartContext): Chart;
}
