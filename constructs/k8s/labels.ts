/** The platform's common labels: on every object in dist/manifests. */
export const PART_OF = 'k-paas';
export const MANAGED_BY = 'kpaas-cdk';

/** Recommended labels of a component (`app.kubernetes.io/*`). */
export function componentLabels(name: string, version: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/version': version,
  };
}

/** Labels that select one workload's pods (stable across versions, unlike the version label). */
export function selectorLabels(name: string, component?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    ...(component ? { 'app.kubernetes.io/component': component } : {}),
  };
}
