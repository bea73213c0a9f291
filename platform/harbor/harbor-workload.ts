/**
 * What every Harbor component shares: the goharbor images and the internal Secret references
 * (one place, so core, jobservice and registryctl cannot drift apart). Generic pod defaults are in
 * pod-defaults.ts.
 */
import { VERSIONS } from '../../config';
import { SECRET_NAMES } from '../../secrets/catalog';
import { secretEnv } from '../../constructs/k8s/pod-defaults';

/** The user (and group) the goharbor images run as. */
export const HARBOR_UID = 10000;

/** A goharbor image of the pinned Harbor release, e.g. `harborImage('harbor-core')`. */
export function harborImage(repository: string, tag: string = VERSIONS.harbor): string {
  return `docker.io/goharbor/${repository}:${tag}`;
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
