/**
 * What every Harbor component shares: the goharbor images and the internal Secret references
 * (one place, so core, jobservice and registryctl cannot drift apart). Generic pod defaults are in
 * pod-defaults.ts.
 */
import { VERSIONS } from '../../config';
import { HARBOR_SECRETS } from './harbor-names';
import { secretEnv } from '../../constructs/k8s/pod-defaults';

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
  redis: harborImage('redis-photon', VERSIONS.harborRedis),
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
