/**
 * How the Kubernetes API server trusts Keycloak tokens. The realm and the client are created by the
 * platform manifests; until the config carries them, this is the one place both names are set.
 */
import type { PlatformConfig } from '../config';

export interface OidcSettings {
  /** Host label of Keycloak under the platform domain. */
  readonly hostLabel: string;
  readonly realm: string;
  readonly clientId: string;
  readonly usernameClaim: string;
  /** Prefix so OIDC users can never be mistaken for built-in or certificate users. */
  readonly usernamePrefix: string;
  readonly groupsClaim: string;
  readonly groupsPrefix: string;
}

export const KEYCLOAK_OIDC: OidcSettings = Object.freeze({
  hostLabel: 'keycloak',
  realm: 'k-paas',
  clientId: 'kubernetes',
  usernameClaim: 'preferred_username',
  usernamePrefix: 'oidc:',
  groupsClaim: 'groups',
  groupsPrefix: 'oidc:',
});

/** Issuer URL of the realm; Keycloak serves it under `/auth` as the seed's ingress publishes it. */
export function oidcIssuerUrl(config: PlatformConfig, oidc: OidcSettings = KEYCLOAK_OIDC): string {
  return `https://${oidc.hostLabel}.${config.domain}/auth/realms/${oidc.realm}`;
}
