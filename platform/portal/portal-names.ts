import { VERSIONS } from '../../config';
import type { PlatformConfig } from '../../config';

/** Names other programs and services know portal by: its namespace and its Secrets. */

/** The CP-Portal's namespace (K-PaaS's name). */
export const PORTAL_NAMESPACE = 'cp-portal';

/** The CP-Portal's Secrets, by name. */
export const PORTAL_SECRETS = {
  tls: 'portal-tls',
  db: 'cp-portal-db',
  keycloak: 'cp-portal-keycloak',
  api: 'cp-portal-api',
  /**
   * The portal's OpenBao AppRole login (keys `roleId`, `secretId`). Not made by `kpaas secrets`:
   * OpenBao issues both once its configuration stack is applied (docs/openbao.md), so neither
   * ever passes through this project or Terraform state.
   */
  openbao: 'cp-portal-openbao',
} as const;

/** The portal's components, by image name (K-PaaS's names). */
export const PORTAL_COMPONENT_IMAGES = ['cp-portal-ui', 'cp-portal-api', 'cp-portal-common-api', 'cp-portal-metric-api', 'cp-portal-terraman'] as const;

/** A portal image: pulled from the configured registry (the K-PaaS images are not on a public registry by these names). */
export function portalImage(config: PlatformConfig, name: (typeof PORTAL_COMPONENT_IMAGES)[number]): string {
  return `${config.portal.registry}/${name}:${VERSIONS.kpaasPortal}`;
}
