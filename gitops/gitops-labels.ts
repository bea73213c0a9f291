import { MANAGED_BY, PART_OF } from '../constructs/k8s/labels';

/** Labels of the objects in dist/gitops: what they point at, and that they are the platform's. */
export function gitopsLabels(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}
