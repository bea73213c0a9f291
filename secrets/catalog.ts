/**
 * Every secret value the platform needs, by Kubernetes Secret: what `kpaas secrets` makes. Each
 * service declares its own (platform/<service>/*-secrets.ts) and its charts reference the same
 * names, so the two cannot disagree; dist never holds a value.
 */
import type { PlatformConfig } from '../config';
import type { PlatformService } from '../constructs/platform-service';
import type { SecretCatalog } from '../constructs/secret-spec';
import { PLATFORM_SERVICES, servicesSecretCatalog } from '../platform';

export type { CertificateSpec, KeyFormat, SecretCatalog, SecretKeySpec, SecretSpec } from '../constructs/secret-spec';
export { keyFormatOf } from '../constructs/secret-spec';

/**
 * The whole catalog for a configuration: what every platform service declares (its descriptor's
 * `secrets`), in apply order. Hosts follow the domain.
 */
export function secretCatalog(config: PlatformConfig, services: readonly PlatformService[] = PLATFORM_SERVICES): SecretCatalog {
  return servicesSecretCatalog(services, config);
}
