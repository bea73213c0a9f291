/**
 * Building blocks every Harbor component shares: the goharbor images, the internal Secret
 * references (one place, so core, jobservice and registryctl cannot drift apart), the pod and
 * container security contexts, spreading replicas over workers, probes and resources.
 */
import { createHash } from 'crypto';
import { stringify } from 'yaml';
import { VERSIONS } from '../../config';
import {
  EnvVar,
  IntOrString,
  NetworkPolicyPeer,
  PodSecurityContext,
  Probe,
  Quantity,
  ResourceRequirements,
  SecurityContext,
} from '../../imports/k8s';
import { SECRET_NAMES } from '../../secrets/catalog';

/** The user (and group) the goharbor images run as. */
export const HARBOR_UID = 10000;

/** A goharbor image of the pinned Harbor release, e.g. `harborImage('harbor-core')`. */
export function harborImage(repository: string, tag: string = VERSIONS.harbor): string {
  return `docker.io/goharbor/${repository}:${tag}`;
}

/** An environment variable read from a Secret key. */
export function secretEnv(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** A plain environment variable. */
export function env(name: string, value: string | number | boolean): EnvVar {
  return { name, value: String(value) };
}

/**
 * The environment variables through which Harbor's components share their internal secrets:
 * each is defined once here, so every component reads the same Secret key.
 */
export const HARBOR_SECRET_ENV = {
  /** Core's secret: what jobservice and registryctl present to core, and core to them. */
  coreSecret: secretEnv('CORE_SECRET', SECRET_NAMES.harborCore, 'secret'),
  /** Jobservice's secret: what core and registryctl present to jobservice. */
  jobserviceSecret: secretEnv('JOBSERVICE_SECRET', SECRET_NAMES.harborJobservice, 'secret'),
  /** The user core and jobservice log into the registry as; the registry's htpasswd holds it. */
  registryUsername: secretEnv('REGISTRY_CREDENTIAL_USERNAME', SECRET_NAMES.harborRegistry, 'username'),
  registryPassword: secretEnv('REGISTRY_CREDENTIAL_PASSWORD', SECRET_NAMES.harborRegistry, 'password'),
  /** Shared by the registry replicas (upload state) and registryctl. */
  registryHttpSecret: secretEnv('REGISTRY_HTTP_SECRET', SECRET_NAMES.harborRegistry, 'httpSecret'),
  /** Redis's password, for the `$(REDIS_PASSWORD)` in the Redis URLs. */
  redisPassword: secretEnv('REDIS_PASSWORD', SECRET_NAMES.harborRedis, 'password'),
} as const;

/** Key of the registry Secret holding the htpasswd line made from its username and password keys. */
export const REGISTRY_HTPASSWD_KEY = 'htpasswd';

/** Pod security context: a fixed non-root user, its group owning the volumes, the runtime's seccomp profile. */
export function podSecurityContext(uid: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Container security context. The goharbor images append custom CAs to the system bundle at
 * start and nginx writes below /etc, so their root filesystems stay writable unless a component
 * says otherwise.
 */
export function containerSecurityContext(readOnlyRootFilesystem = false): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    ...(readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {}),
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

/** An HTTP GET probe on a named container port. */
export function httpProbe(path: string, port: string, timing: ProbeTiming = {}): Probe {
  return {
    httpGet: { path, port: IntOrString.fromString(port), scheme: 'HTTP' },
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
 * Anywhere outside the cluster: for Trivy's vulnerability database, replication and proxy-cache
 * upstreams, whose addresses are not known in advance. In-cluster peers stay under their own rules.
 */
export function outsideCluster(cidrs: ClusterCidrs): NetworkPolicyPeer {
  return { ipBlock: { cidr: '0.0.0.0/0', except: [cidrs.podCidr, cidrs.serviceCidr] } };
}
