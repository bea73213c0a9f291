import { Construct } from 'constructs';
import { KubeConfigMap } from '../../imports/k8s';

/** How a client authenticates to Keycloak. */
export enum ClientAccess {
  /** A server-side application holding a client secret. */
  CONFIDENTIAL = 'confidential',
  /** A CLI or browser app without a secret (PKCE). */
  PUBLIC = 'public',
}

/** An OIDC client of the realm. */
export interface RealmClient {
  readonly clientId: string;
  /** Display name. */
  readonly name: string;
  readonly access: ClientAccess;
  /** Redirect URIs the client may use after login. */
  readonly redirectUris: readonly string[];
  /** Origins allowed for CORS. @default none */
  readonly webOrigins?: readonly string[];
  /**
   * Require PKCE (S256) on the authorization code flow: for clients known to send it.
   * @default true
   */
  readonly pkce?: boolean;
  /**
   * Environment variable of the Keycloak container that holds the client secret (confidential
   * clients): the import file carries only the `${VAR}` placeholder, never the value.
   */
  readonly secretEnv?: string;
  /**
   * Put the user's realm roles into a top-level claim of this name (ID and access token, userinfo,
   * introspection), for clients that read roles there (the CP-Portal's `roles`). @default none
   */
  readonly realmRolesClaim?: string;
}

/** A user the import creates, with an initial password from the Keycloak container's environment. */
export interface RealmUser {
  readonly username: string;
  /** Groups the user is a member of (by name). */
  readonly groups: readonly string[];
  /** Environment variable of the Keycloak container holding the password (a `${VAR}` placeholder in the file). */
  readonly passwordEnv: string;
}

/** A group of users and the realm roles its members get. */
export interface RealmGroup {
  readonly name: string;
  /** Realm roles granted to the group's members (each becomes a realm role). */
  readonly roles: readonly string[];
  readonly description: string;
}

export interface KeycloakRealmProps {
  /** Realm name (the `k-paas` realm of the seed). */
  readonly realm: string;
  /** The realm's internal id (REALM.ID, USER_ENTITY.REALM_ID). @default Keycloak generates a UUID */
  readonly id?: string;
  readonly displayName: string;
  readonly clients: readonly RealmClient[];
  readonly groups: readonly RealmGroup[];
  /** Realm role whose members must log in with a one-time password (the seed's MFA advice). */
  readonly otpRole: string;
  /** Token claim that carries the user's group names (Kubernetes RBAC reads it). */
  readonly groupsClaim: string;
  /** Users the import creates (only when it creates the realm: an existing realm is left alone). @default none */
  readonly users?: readonly RealmUser[];
  /**
   * Keycloak password policy. @default 12+ characters, not the user name, last 5 not reused. No
   * character classes: the import validates the imported users' passwords against the policy and
   * fails the start on a miss (keycloak/keycloak#29420), and `kpaas secrets` makes passwords of
   * letters and digits only.
   */
  readonly passwordPolicy?: string;
}

/** ConfigMap key of the import file. */
export const REALM_FILE_SUFFIX = '-realm.json';

const DEFAULT_PASSWORD_POLICY = 'length(12) and notUsername and passwordHistory(5)';

/**
 * The platform realm as a Keycloak realm import (`--import-realm` reads it at start-up): clients with
 * redirect URIs derived from the hosts, groups with roles and a groups claim, OTP required for
 * administrators through a conditional browser flow, brute-force protection and a password policy.
 * Client secrets appear only as `${ENV}` placeholders that Keycloak fills from its environment.
 */
export class KeycloakRealm extends Construct {
  public readonly configMap: KubeConfigMap;
  /** The realm representation written into the ConfigMap. */
  public readonly representation: Record<string, unknown>;
  public readonly fileName: string;

  public constructor(scope: Construct, id: string, props: KeycloakRealmProps) {
    super(scope, id);
    this.fileName = `${props.realm}${REALM_FILE_SUFFIX}`;
    this.representation = realmRepresentation(props);
    this.configMap = new KubeConfigMap(this, 'Resource', {
      metadata: { name: `keycloak-realm-${props.realm}` },
      data: { [this.fileName]: `${JSON.stringify(this.representation, null, 2)}\n` },
    });
    this.node.addValidation({
      validate: () => [
        ...props.clients.flatMap((c) => {
          if (c.access === ClientAccess.CONFIDENTIAL && !c.secretEnv) return [`realm ${props.realm}: confidential client ${c.clientId} needs secretEnv`];
          if (c.access === ClientAccess.PUBLIC && c.secretEnv) return [`realm ${props.realm}: public client ${c.clientId} cannot have a secret`];
          return [];
        }),
        ...(props.users ?? []).flatMap((u) => u.groups
          .filter((g) => !props.groups.some((x) => x.name === g))
          .map((g) => `realm ${props.realm}: user ${u.username} is in group ${g}, which the realm does not have`)),
      ],
    });
  }
}

function realmRepresentation(props: KeycloakRealmProps): Record<string, unknown> {
  const browserFlow = 'browser with admin otp';
  const formsFlow = `${browserFlow} forms`;
  const otpFlow = `${browserFlow} conditional otp`;
  const otpCondition = 'otp for admin role';
  const groupsMapper = {
    name: 'groups',
    protocol: 'openid-connect',
    protocolMapper: 'oidc-group-membership-mapper',
    consentRequired: false,
    config: {
      'claim.name': props.groupsClaim,
      'full.path': 'false',
      'id.token.claim': 'true',
      'access.token.claim': 'true',
      'userinfo.token.claim': 'true',
    },
  };
  const realmRolesMapper = (claim: string) => ({
    name: 'realm roles',
    protocol: 'openid-connect',
    protocolMapper: 'oidc-usermodel-realm-role-mapper',
    consentRequired: false,
    config: {
      'claim.name': claim,
      multivalued: 'true',
      'jsonType.label': 'String',
      'id.token.claim': 'true',
      'access.token.claim': 'true',
      'userinfo.token.claim': 'true',
      'introspection.token.claim': 'true',
    },
  });
  return {
    ...(props.id ? { id: props.id } : {}),
    realm: props.realm,
    displayName: props.displayName,
    enabled: true,
    sslRequired: 'external',
    registrationAllowed: false,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    resetPasswordAllowed: false,
    editUsernameAllowed: false,
    // brute-force protection: temporary lockout growing to 15 minutes after 5 failures
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: 5,
    waitIncrementSeconds: 60,
    maxFailureWaitSeconds: 900,
    minimumQuickLoginWaitSeconds: 60,
    quickLoginCheckMilliSeconds: 1000,
    maxDeltaTimeSeconds: 43200,
    passwordPolicy: props.passwordPolicy ?? DEFAULT_PASSWORD_POLICY,
    otpPolicyType: 'totp',
    otpPolicyAlgorithm: 'HmacSHA1',
    otpPolicyDigits: 6,
    otpPolicyPeriod: 30,
    otpPolicyLookAheadWindow: 1,
    accessTokenLifespan: 300,
    ssoSessionIdleTimeout: 1800,
    ssoSessionMaxLifespan: 36000,
    roles: {
      realm: [...new Set(props.groups.flatMap((g) => g.roles))].map((name) => ({
        name,
        description: props.groups.filter((g) => g.roles.includes(name)).map((g) => g.description).join('; '),
      })),
    },
    groups: props.groups.map((g) => ({ name: g.name, path: `/${g.name}`, realmRoles: [...g.roles] })),
    clients: props.clients.map((c) => ({
      clientId: c.clientId,
      name: c.name,
      enabled: true,
      protocol: 'openid-connect',
      publicClient: c.access === ClientAccess.PUBLIC,
      clientAuthenticatorType: 'client-secret',
      ...(c.secretEnv ? { secret: `\${${c.secretEnv}}` } : {}),
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      redirectUris: [...c.redirectUris],
      webOrigins: [...(c.webOrigins ?? [])],
      attributes: {
        ...(c.pkce ?? true ? { 'pkce.code.challenge.method': 'S256' } : {}),
        'post.logout.redirect.uris': c.redirectUris.join('##'),
      },
      protocolMappers: [groupsMapper, ...(c.realmRolesClaim ? [realmRolesMapper(c.realmRolesClaim)] : [])],
    })),
    users: (props.users ?? []).map((u) => ({
      username: u.username,
      enabled: true,
      groups: u.groups.map((g) => `/${g}`),
      credentials: [{ type: 'password', value: `\${${u.passwordEnv}}`, temporary: false }],
    })),
    // the browser flow with a one-time password for members of the admin role
    browserFlow,
    authenticationFlows: [
      {
        alias: browserFlow,
        description: 'Cookie or username and password; administrators also give a one-time password',
        providerId: 'basic-flow',
        topLevel: true,
        builtIn: false,
        authenticationExecutions: [
          { authenticator: 'auth-cookie', requirement: 'ALTERNATIVE', priority: 10, authenticatorFlow: false, userSetupAllowed: false },
          { flowAlias: formsFlow, requirement: 'ALTERNATIVE', priority: 20, authenticatorFlow: true, userSetupAllowed: false },
        ],
      },
      {
        alias: formsFlow,
        description: 'Username and password, then the conditional one-time password',
        providerId: 'basic-flow',
        topLevel: false,
        builtIn: false,
        authenticationExecutions: [
          { authenticator: 'auth-username-password-form', requirement: 'REQUIRED', priority: 10, authenticatorFlow: false, userSetupAllowed: false },
          { flowAlias: otpFlow, requirement: 'CONDITIONAL', priority: 20, authenticatorFlow: true, userSetupAllowed: false },
        ],
      },
      {
        alias: otpFlow,
        description: `One-time password for members of ${props.otpRole}`,
        providerId: 'basic-flow',
        topLevel: false,
        builtIn: false,
        authenticationExecutions: [
          { authenticator: 'conditional-user-role', authenticatorConfig: otpCondition, requirement: 'REQUIRED', priority: 10, authenticatorFlow: false, userSetupAllowed: false },
          // userSetupAllowed: an administrator without an OTP device is made to register one
          { authenticator: 'auth-otp-form', requirement: 'REQUIRED', priority: 20, authenticatorFlow: false, userSetupAllowed: true },
        ],
      },
    ],
    authenticatorConfig: [{ alias: otpCondition, config: { condUserRole: props.otpRole, negate: 'false' } }],
  };
}
