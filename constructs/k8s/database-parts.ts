/**
 * What the platform's stateful constructs share: the per-pod data volume (the databases' on the
 * Retain class) and the NetworkPolicy that admits only their clients and OpenBao.
 */
import type { Construct } from 'constructs';
import { PLATFORM } from '../../config';
import { KubeNetworkPolicy, KubePersistentVolumeClaimProps, KubeStorageClass, NetworkPolicyPeer, Quantity } from '../../imports/k8s';
import { podsIn, tcp } from './network-peers';

/** The `data` claim template of a StatefulSet: one ReadWriteOnce volume per pod. */
export function dataVolumeClaim(storageClass: KubeStorageClass, size: string, labels?: Record<string, string>): KubePersistentVolumeClaimProps {
  return {
    metadata: { name: 'data', ...(labels ? { labels } : {}) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storageClass.name,
      resources: { requests: { storage: Quantity.fromString(size) } },
    },
  };
}

/** Ingress to the database port from its clients and OpenBao's database secrets engine; no egress. */
export function databaseNetworkPolicy(scope: Construct, props: {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly clients: readonly NetworkPolicyPeer[];
  readonly port: number;
}): KubeNetworkPolicy {
  return new KubeNetworkPolicy(scope, 'network-policy', {
    metadata: { name: props.name, labels: props.labels },
    spec: {
      podSelector: { matchLabels: props.selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [
          ...props.clients,
          // OpenBao's database secrets engine issues short-lived users
          podsIn(PLATFORM.namespaces.openbao, { 'app.kubernetes.io/name': 'openbao' }),
        ],
        ports: [tcp(props.port)],
      }],
    },
  });
}
