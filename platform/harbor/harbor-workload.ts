/**
 * What every Harbor component shares: the goharbor images, the internal Secret references (one
 * place, so core, jobservice and registryctl cannot drift apart) and the way a component's
 * PlatformWorkload is built. Generic pod defaults are in pod-defaults.ts.
 */
import type { Construct } from 'constructs';
import { PlatformConfig, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { PlatformWorkload, PlatformWorkloadProps } from '../../constructs/k8s/platform-workload';
import { httpProbe, podSecurityContext, secretEnv } from '../../constructs/k8s/pod-defaults';
import type { EndpointPort, ServiceEndpoint } from '../../constructs/k8s/service-endpoint';
import type { Container, ContainerPort } from '../../imports/k8s';
import { HARBOR_SECRETS } from './harbor-names';

/** The user (and group) the goharbor images run as. */
export const HARBOR_UID = 10000;

/** A goharbor image of the pinned Harbor release. */
function harborImage(repository: string, tag: string = VERSIONS.harbor): string {
  return `docker.io/goharbor/${repository}:${tag}`;
}

/** Harbor's images, one per component (Redis and the Trivy adapter have releases of their own). */
export const HARBOR_IMAGES = {
  core: harborImage('harbor-core'),
  portal: harborImage('harbor-portal'),
  jobservice: harborImage('harbor-jobservice'),
  registry: harborImage('registry-photon'),
  registryctl: harborImage('harbor-registryctl'),
  trivyAdapter: harborImage('trivy-adapter-photon', VERSIONS.harborTrivyAdapter),
  // Redis-compatible Valkey since Harbor v2.15.2 (goharbor/harbor make/photon/valkey)
  redis: harborImage('valkey-photon', VERSIONS.harborRedis),
} as const;

/**
 * The environment variables through which Harbor's components share their internal secrets:
 * each is defined once here, so every component reads the same Secret key.
 */
export const HARBOR_SECRET_ENV = {
  /** Core's secret: what jobservice and registryctl present to core, and core to them. */
  coreSecret: secretEnv('CORE_SECRET', HARBOR_SECRETS.core, 'secret'),
  /** Jobservice's secret: what core and registryctl present to jobservice. */
  jobserviceSecret: secretEnv('JOBSERVICE_SECRET', HARBOR_SECRETS.jobservice, 'secret'),
  /** The user core and jobservice log into the registry as; the registry's htpasswd holds it. */
  registryUsername: secretEnv('REGISTRY_CREDENTIAL_USERNAME', HARBOR_SECRETS.registry, 'username'),
  registryPassword: secretEnv('REGISTRY_CREDENTIAL_PASSWORD', HARBOR_SECRETS.registry, 'password'),
  /** Shared by the registry replicas (upload state) and registryctl. */
  registryHttpSecret: secretEnv('REGISTRY_HTTP_SECRET', HARBOR_SECRETS.registry, 'httpSecret'),
  /** Redis's password, for the `$(REDIS_PASSWORD)` in the Redis URLs. */
  redisPassword: secretEnv('REDIS_PASSWORD', HARBOR_SECRETS.redis, 'password'),
} as const;

/** Key of the registry Secret holding the htpasswd line made from its username and password keys. */
export const REGISTRY_HTPASSWD_KEY = 'htpasswd';

/** The Services of all components: each component's own and the ones it calls. */
export interface HarborEndpoints {
  readonly core: ServiceEndpoint;
  readonly portal: ServiceEndpoint;
  readonly registry: ServiceEndpoint;
  readonly jobservice: ServiceEndpoint;
  readonly trivy: ServiceEndpoint;
  readonly redis: ServiceEndpoint;
}

/** What every component's workload is built from: the configuration and the declared connections. */
export interface HarborWorkloadContext {
  readonly config: PlatformConfig;
  /** Every connection of the platform: a component's NetworkPolicy is derived from them. */
  readonly connections: readonly Connection[];
}

export interface HarborWorkloadProps extends Omit<PlatformWorkloadProps, 'name' | 'selector' | 'securityContext' | 'placement' | 'networkPolicy'> {
  /** The user (and group) of the pod. @default HARBOR_UID */
  readonly uid?: number;
}

/**
 * A component's workload, named and selected as its Service, run as the goharbor user, spread over
 * the workers, its NetworkPolicy derived from the connections made to and by its pods.
 */
export function harborWorkload(scope: Construct, endpoint: ServiceEndpoint, context: HarborWorkloadContext, props: HarborWorkloadProps): PlatformWorkload {
  const { uid, ...rest } = props;
  return new PlatformWorkload(scope, 'workload', {
    name: endpoint.name,
    selector: endpoint.selector,
    securityContext: podSecurityContext(uid ?? HARBOR_UID),
    placement: { workers: context.config.nodes.workers.nodes.length },
    networkPolicy: { connections: context.connections, config: context.config },
    ...rest,
  });
}

/** The container port behind a Service port, under the same name (the Service targets it by name). */
export function containerPort(port: Required<EndpointPort>): ContainerPort {
  return { name: port.name, containerPort: port.targetPort };
}

/**
 * The probes of a Harbor HTTP component on one path: ready within seconds, restarted only after
 * two minutes without an answer.
 */
export function harborProbes(path: string, port: string): Pick<Container, 'readinessProbe' | 'livenessProbe'> {
  return { readinessProbe: httpProbe(path, port), livenessProbe: httpProbe(path, port, { periodSeconds: 20, failureThreshold: 6 }) };
}
