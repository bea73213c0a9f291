import { Construct } from 'constructs';
import { KubeNamespace, KubeNetworkPolicy, KubeServiceAccount, NetworkPolicyPeer } from '../../imports/k8s';
import { dnsEgress, tcp } from './network-peers';
import { podSecurityLabels, PodSecurityLevel } from './pod-security';

export interface PlatformNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /** Pod Security Standards level enforced in it. */
  readonly podSecurity: PodSecurityLevel;
  /** Kubernetes version of the cluster, for the PSS version labels. */
  readonly kubernetesVersion: string;
  /**
   * The account and network path for pods of this namespace that log in to OpenBao.
   * @default none: no pod of the namespace can reach OpenBao
   */
  readonly openbaoClient?: OpenbaoClientProps;
}

/**
 * What a pod needs to log in to OpenBao with Kubernetes auth: a ServiceAccount the namespace's
 * role binds (the injected agent presents its token), and egress to the servers' API.
 */
export interface OpenbaoClientProps {
  /** The ServiceAccount the namespace's Kubernetes auth role binds. */
  readonly serviceAccountName: string;
  /** The label that opts a pod into the egress to OpenBao. */
  readonly podLabel: { readonly key: string; readonly value: string };
  /** OpenBao's server pods. */
  readonly servers: NetworkPolicyPeer;
  /** OpenBao's API port. */
  readonly port: number;
}

/**
 * A namespace of the platform: Pod Security Admission labels, a default-deny NetworkPolicy for
 * both directions, and one policy that lets every pod resolve names. Each component adds the
 * allows it needs beside these.
 */
export class PlatformNamespace extends Construct {
  public readonly name: string;
  public readonly resource: KubeNamespace;

  public constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.resource = new KubeNamespace(this, 'Resource', {
      metadata: { name: props.name, labels: podSecurityLabels(props.podSecurity, props.kubernetesVersion) },
    });
    new KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', namespace: props.name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new KubeNetworkPolicy(this, 'allow-dns', {
      metadata: { name: 'allow-dns', namespace: props.name },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress()] },
    });
    const client = props.openbaoClient;
    if (client) {
      // Token automount is off on the account: a pod that logs in opts in with
      // automountServiceAccountToken: true, which the injector needs to find the token volume.
      new KubeServiceAccount(this, 'openbao-client', {
        metadata: { name: client.serviceAccountName, namespace: props.name },
        automountServiceAccountToken: false,
      });
      new KubeNetworkPolicy(this, 'allow-openbao-client', {
        metadata: { name: 'allow-openbao-client', namespace: props.name },
        spec: {
          podSelector: { matchLabels: { [client.podLabel.key]: client.podLabel.value } },
          policyTypes: ['Egress'],
          egress: [{ to: [client.servers], ports: [tcp(client.port)] }],
        },
      });
    }
  }
}
