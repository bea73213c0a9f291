/**
 * Pod and container defaults every platform workload shares, written once: environment from
 * Secrets, the security contexts of the restricted profile, probes, resources, config checksums.
 * PlatformWorkload applies them; components pass only what differs.
 */
import { createHash } from 'crypto';
import { stringify } from 'yaml';
import type { EnvVar, NetworkPolicyPeer, PodSecurityContext, Probe, ResourceRequirements, SecurityContext } from '../../imports/k8s';
import { IntOrString, Quantity } from '../../imports/k8s';

/** An environment variable read from a Secret key. */
export function secretEnv(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** A plain environment variable. */
export function env(name: string, value: string | number | boolean): EnvVar {
  return { name, value: String(value) };
}

/** How the pod's volumes are handed to its user. */
export interface PodUserOptions {
  /** The group the user runs with and that owns the volumes, where the image's differs. @default the uid */
  readonly gid?: number;
  /**
   * Change volume ownership only when the root of the volume does not match (fast restarts on big
   * volumes). @default true
   */
  readonly onRootMismatch?: boolean;
}

/** Pod security context: a fixed non-root user, its group owning the volumes, the runtime's seccomp profile. */
export function podSecurityContext(uid: number, options: PodUserOptions = {}): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: options.gid ?? uid,
    fsGroup: options.gid ?? uid,
    ...(options.onRootMismatch === false ? {} : { fsGroupChangePolicy: 'OnRootMismatch' }),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Container security context of the restricted profile: no privilege escalation, no
 * capabilities. `readOnlyRootFilesystem` is written only when given: true for images that write
 * only to their volumes; false says explicitly that the image writes below its root.
 */
export function containerSecurityContext(readOnlyRootFilesystem?: boolean): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    ...(readOnlyRootFilesystem === undefined ? {} : { readOnlyRootFilesystem }),
    capabilities: { drop: ['ALL'] },
  };
}

/** Timing of a probe. */
export interface ProbeTiming {
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
}

/** An HTTP(S) GET probe on a named container port. */
export function httpProbe(path: string, port: string, timing: ProbeTiming = {}, scheme: 'HTTP' | 'HTTPS' = 'HTTP'): Probe {
  return {
    httpGet: { path, port: IntOrString.fromString(port), scheme },
    periodSeconds: timing.periodSeconds ?? 10,
    timeoutSeconds: timing.timeoutSeconds ?? 5,
    failureThreshold: timing.failureThreshold ?? 3,
  };
}

/** Requests and a memory limit (no CPU limit: throttling hurts latency more than it protects). */
export interface ResourceSizes {
  readonly cpu: string;
  readonly memory: string;
  readonly memoryLimit: string;
}

export function resources(r: ResourceSizes): ResourceRequirements {
  return {
    requests: { cpu: Quantity.fromString(r.cpu), memory: Quantity.fromString(r.memory) },
    limits: { memory: Quantity.fromString(r.memoryLimit) },
  };
}

/**
 * A pod-template annotation that changes with a config file's content, so editing a ConfigMap
 * rolls the pods that read it (they read their files only at start).
 */
export function configChecksum(data: Record<string, string>): Record<string, string> {
  const digest = createHash('sha256').update(JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)))).digest('hex');
  return { 'kpaas.io/config-checksum': digest };
}

/** YAML text of a config file (deterministic key order as written). */
export function yamlFile(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** CIDRs a public-internet egress rule leaves out: the cluster's own pod and Service ranges. */
export interface ClusterCidrs {
  readonly podCidr: string;
  readonly serviceCidr: string;
}

/**
 * Anywhere outside the cluster: for upstreams whose addresses are not known in advance (registries,
 * vulnerability databases). In-cluster peers stay under their own rules.
 */
export function outsideCluster(cidrs: ClusterCidrs): NetworkPolicyPeer {
  return { ipBlock: { cidr: '0.0.0.0/0', except: [cidrs.podCidr, cidrs.serviceCidr] } };
}
