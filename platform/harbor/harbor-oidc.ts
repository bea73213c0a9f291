import type { EnvVar } from '../../imports/k8s';
import { secretEnv } from '../../constructs/k8s/pod-defaults';

/** Where the OIDC client secret comes from. */
export interface HarborOidcSecretRef {
  /** Secret in Harbor's namespace. */
  readonly name: string;
  /** Key holding the client secret. */
  readonly key: string;
}

/** Harbor's OIDC login, as its system settings name it (`oidc_*`). */
export interface HarborOidcSettings {
  /** Provider name Harbor shows on its login page. */
  readonly name: string;
  /** The issuer URL; Harbor reads `<endpoint>/.well-known/openid-configuration`. */
  readonly endpoint: string;
  readonly clientId: string;
  readonly clientSecret: HarborOidcSecretRef;
  /**
   * Scopes Harbor requests. Keycloak refuses unknown scopes (invalid_scope), so only scopes the
   * realm has: the groups claim comes from the client's group mapper, not from a `groups` scope.
   * @default ['openid', 'profile', 'email', 'offline_access']
   */
  readonly scopes?: readonly string[];
  /** Claim with the user's groups. */
  readonly groupsClaim: string;
  /** Group whose members are Harbor administrators. */
  readonly adminGroup: string;
  /** Claim Harbor takes the user name from. @default 'preferred_username' */
  readonly userClaim?: string;
  /** Verify the provider's certificate (its CA must be trusted by core). @default true */
  readonly verifyCert?: boolean;
  /** Create Harbor users at first login, without asking for a name. @default true */
  readonly autoOnboard?: boolean;
}

/** Variable that holds the client secret inside core's container; CONFIG_OVERWRITE_JSON refers to it. */
export const OIDC_SECRET_VAR = 'HARBOR_OIDC_CLIENT_SECRET';

/**
 * The environment that configures Harbor's OIDC login at start-up: the client secret from its
 * Secret, then CONFIG_OVERWRITE_JSON, which core applies to its settings on every start (and which
 * makes them read-only in the UI). Core reads the JSON as is, without expanding variables, so the
 * secret is put into it by the kubelet: `$(HARBOR_OIDC_CLIENT_SECRET)` expands to the variable
 * defined just before it. The order of the two variables matters; the secret never enters dist.
 * The client secret must not need JSON escaping (`kpaas secrets` makes letters and digits).
 */
export function harborOidcEnv(oidc: HarborOidcSettings): EnvVar[] {
  const settings = {
    auth_mode: 'oidc_auth',
    oidc_name: oidc.name,
    oidc_endpoint: oidc.endpoint,
    oidc_client_id: oidc.clientId,
    oidc_client_secret: `$(${OIDC_SECRET_VAR})`,
    oidc_scope: (oidc.scopes ?? ['openid', 'profile', 'email', 'offline_access']).join(','),
    oidc_groups_claim: oidc.groupsClaim,
    oidc_admin_group: oidc.adminGroup,
    oidc_user_claim: oidc.userClaim ?? 'preferred_username',
    oidc_verify_cert: oidc.verifyCert ?? true,
    oidc_auto_onboard: oidc.autoOnboard ?? true,
  };
  return [
    secretEnv(OIDC_SECRET_VAR, oidc.clientSecret.name, oidc.clientSecret.key),
    { name: 'CONFIG_OVERWRITE_JSON', value: JSON.stringify(settings) },
  ];
}
