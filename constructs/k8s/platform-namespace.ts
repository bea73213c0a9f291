import { Construct } from 'constructs';
import { KubeNamespace, KubeNetworkPolicy } from '../../imports/k8s';
import { dnsEgress } from './network-peers';
import { podSecurityLabels, PodSecurityLevel } from './pod-security';

export interface PlatformNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /** Pod Security Standards level enforced in it. */
  readonly podSecurity: PodSecurityLevel;
  /** Kubernetes version of the cluster, for the PSS version labels. */
  readonly kubernetesVersion: string;
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
  }
}
