/**
 * Where replicas go: the seed's anti-affinity rule for every multi-replica workload, in one place.
 */
import type { Affinity, PodAntiAffinity } from '../../imports/k8s';

/**
 * Keeps a workload's replicas on different nodes: required while there are at least as many
 * workers as replicas, preferred otherwise (so a small cluster, or an autoscaler growing past the
 * workers, still schedules them all).
 */
export function podAntiAffinity(selector: Record<string, string>, replicas: number, workers: number, preferredOnly = false): PodAntiAffinity {
  const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } };
  return replicas <= workers && !preferredOnly
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
}

/** The affinity of a workload whose only rule is spreading its replicas over the workers. */
export function spreadOverWorkers(selector: Record<string, string>, replicas: number, workers: number): Affinity {
  return { podAntiAffinity: podAntiAffinity(selector, replicas, workers) };
}
