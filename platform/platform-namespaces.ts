import { PLATFORM } from '../config';
import { PodSecurityLevel } from '../constructs/k8s';

/** A namespace the platform creates, with the Pod Security level its workloads meet. */
export interface NamespaceSpec {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;
  /** Why the level is weaker than restricted, when it is. */
  readonly reason?: string;
}

/** Every namespace of the platform, in the order they are created. */
export const PLATFORM_NAMESPACES: readonly NamespaceSpec[] = [
  {
    name: PLATFORM.storage.namespace,
    podSecurity: PodSecurityLevel.BASELINE,
    reason: 'the NFS provisioner runs as root to remove volume directories owned by any user',
  },
  { name: PLATFORM.namespaces.keycloak, podSecurity: PodSecurityLevel.RESTRICTED },
  { name: PLATFORM.namespaces.openbao, podSecurity: PodSecurityLevel.RESTRICTED },
  { name: PLATFORM.namespaces.harbor, podSecurity: PodSecurityLevel.RESTRICTED },
  { name: PLATFORM.namespaces.chartmuseum, podSecurity: PodSecurityLevel.RESTRICTED },
  { name: PLATFORM.namespaces.portal, podSecurity: PodSecurityLevel.RESTRICTED },
];
