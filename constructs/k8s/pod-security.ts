/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export enum PodSecurityLevel {
  PRIVILEGED = 'privileged',
  BASELINE = 'baseline',
  RESTRICTED = 'restricted',
}

/**
 * Namespace labels for Pod Security Admission: enforce the given level against the cluster's
 * Kubernetes minor, and warn and audit against `restricted`, so anything weaker than the
 * strictest level stays visible.
 */
export function podSecurityLabels(enforce: PodSecurityLevel, kubernetesVersion: string): Record<string, string> {
  const minor = /^(v\d+\.\d+)/.exec(kubernetesVersion)?.[1] ?? 'latest';
  return {
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/enforce-version': minor,
    'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
    'pod-security.kubernetes.io/warn-version': minor,
    'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
    'pod-security.kubernetes.io/audit-version': minor,
  };
}
