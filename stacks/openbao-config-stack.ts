import * as path from 'path';
import { ApproleAuthBackendRole } from '@cdktf/provider-vault/lib/approle-auth-backend-role';
import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { DatabaseSecretBackendConnection } from '@cdktf/provider-vault/lib/database-secret-backend-connection';
import { DatabaseSecretBackendRole } from '@cdktf/provider-vault/lib/database-secret-backend-role';
import { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import { KubernetesAuthBackendRole } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-role';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import { PkiSecretBackendConfigUrls } from '@cdktf/provider-vault/lib/pki-secret-backend-config-urls';
import { PkiSecretBackendRole } from '@cdktf/provider-vault/lib/pki-secret-backend-role';
import { PkiSecretBackendRootCert } from '@cdktf/provider-vault/lib/pki-secret-backend-root-cert';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { PLATFORM, type PlatformConfig } from '../config';
import { HclBlock, renderHcl } from '../constructs/hcl';
import type { OpenbaoRequests } from '../constructs/platform-service';
import { addBackend } from './backend';
import { KpaasStack } from './kpaas-stack';
import { OPENBAO_API } from '../config/contracts/openbao-api';
import { CA_CERT_FILE, platformUrl } from '../config/platform';

/** Name of the stack: synthesized to `dist/terraform/openbao-config/cdk.tf.json`. */
export const OPENBAO_CONFIG_STACK = 'openbao-config';
/** File name of the stack's state, beside the infra stack's (local) or under its key's prefix (s3). */
export const OPENBAO_CONFIG_STATE = 'openbao-config.tfstate';
/** Mount paths (the policies name them literally, so they read as OpenBao shows them). */
const KV = 'kv';
const PKI = 'pki';
const DATABASE = 'database';
const PKI_ROLE = 'platform';

const HOUR = 3600;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

export interface OpenbaoConfigStackProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /**
   * The project directory as seen from the stack's directory (`../../..` for dist/terraform/<stack>):
   * the local state file and the CA certificate's default path are relative to it, so dist holds
   * no absolute path.
   * @default '.'
   */
  readonly projectPath?: string;
  /**
   * What the platform services ask of OpenBao (their descriptors, platform/*): per namespace the
   * ServiceAccounts its Kubernetes auth role binds (at least one name each; `*` is refused), the
   * databases its engine manages, and the AppRoles with their KV engines.
   */
  readonly requests: OpenbaoRequests;
}

/**
 * OpenBao's configuration after initialisation, applied by an operator with a privileged token
 * (VAULT_TOKEN in the environment, never in dist) through the ingress at openbao.<domain>:
 * - a KV v2 engine `kv` for static secrets, one folder per namespace (`kv/<namespace>/...`);
 * - a PKI engine `pki` with its own root CA and a role issuing certificates for in-cluster
 *   Service names and the platform domain;
 * - the database engine `database`, connected to the platform's PostgreSQL servers, issuing
 *   short-lived users (the owners' credentials are sensitive variables, given at apply time);
 * - the Kubernetes auth method `kubernetes` with a role and a policy per platform namespace (what
 *   the injected agents log in with);
 * - the `ci` policy and an AppRole `ci` for CI/CD pipelines;
 * - the CP-Portal's KV v2 engine `secret` and its AppRole `cp_role` (the names K-PaaS's portal
 *   uses); its role and secret IDs are read from OpenBao by the operator, never by Terraform.
 */
export class OpenbaoConfigStack extends KpaasStack {
  public readonly kv: Mount;
  public readonly pki: Mount;
  public readonly database: Mount;
  public readonly kubernetesAuth: AuthBackend;
  public readonly approleAuth: AuthBackend;

  public constructor(scope: Construct, id: string, props: OpenbaoConfigStackProps) {
    super(scope, id);
    const { config } = props;
    const project = props.projectPath ?? '.';
    const backend = config.terraform.backend;
    // its own state beside the infra stack's: the same folder of the project, or of the bucket
    const dir = backend.type === 's3' ? path.posix.dirname(backend.key) : '.';
    addBackend(this, config, {
      localPath: backend.type === 'local' ? path.posix.normalize(path.posix.join(project, path.posix.dirname(backend.path), OPENBAO_CONFIG_STATE)) : undefined,
      key: dir === '.' ? OPENBAO_CONFIG_STATE : `${dir}/${OPENBAO_CONFIG_STATE}`,
    });

    const caCertFile = new TerraformVariable(this, 'openbao_ca_cert_file', {
      type: 'string',
      default: path.posix.normalize(path.posix.join(project, config.secrets.dir, CA_CERT_FILE)),
      description: 'Platform CA certificate that signed OpenBao\'s certificate (made by `kpaas secrets`), relative to this directory or absolute',
    });
    // The token stays in the environment (VAULT_TOKEN): it is never written here or in the state.
    new VaultProvider(this, 'vault', { address: platformUrl(config.hosts.openbao), caCertFile: caCertFile.stringValue });

    this.kv = new Mount(this, 'kv', {
      path: KV,
      type: 'kv',
      options: { version: '2' },
      description: 'Static secrets of the platform, one folder per namespace (kv/<namespace>/...)',
    });

    this.pki = new Mount(this, 'pki', {
      path: PKI,
      type: 'pki',
      description: 'Certificates for in-cluster services and the platform domain',
      defaultLeaseTtlSeconds: 3 * DAY,
      maxLeaseTtlSeconds: 10 * YEAR,
    });
    // the key is generated inside OpenBao and never leaves it ("internal")
    new PkiSecretBackendRootCert(this, 'pki_root_ca', {
      backend: this.pki.path,
      type: 'internal',
      commonName: `${config.name} OpenBao root CA`,
      organization: 'K-PaaS',
      issuerName: 'root',
      keyType: 'ec',
      keyBits: 256,
      ttl: String(10 * YEAR),
    });
    const pkiBase = platformUrl(config.hosts.openbao, `${OPENBAO_API.prefix.value}${PKI}`);
    new PkiSecretBackendConfigUrls(this, 'pki_urls', {
      backend: this.pki.path,
      issuingCertificates: [`${pkiBase}/ca`],
      crlDistributionPoints: [`${pkiBase}/crl`],
    });
    new PkiSecretBackendRole(this, 'pki_role', {
      backend: this.pki.path,
      name: PKI_ROLE,
      // <service>.<namespace>.svc (and .cluster.local), and hosts below the platform domain
      allowedDomains: ['svc', `svc.${PLATFORM.dns.clusterDomain}`, config.domain],
      allowSubdomains: true,
      allowBareDomains: false,
      allowGlobDomains: false,
      allowWildcardCertificates: false,
      allowLocalhost: false,
      allowIpSans: false,
      enforceHostnames: true,
      serverFlag: true,
      clientFlag: true,
      keyType: 'ec',
      keyBits: 256,
      // seconds, as OpenBao reports them back (no perpetual diff)
      ttl: String(3 * DAY),
      maxTtl: String(30 * DAY),
    });

    this.database = new Mount(this, 'database', {
      path: DATABASE,
      type: 'database',
      description: 'Short-lived users of the platform\'s PostgreSQL databases',
    });
    const dbRoles = new Map<string, string>(); // namespace -> database role
    for (const request of props.requests.databases) {
      const db = { app: request.name, namespace: request.server.namespace, secretName: request.ownerSecret };
      const username = new TerraformVariable(this, `${db.app}_db_username`, {
        type: 'string',
        sensitive: true,
        description: `Owner of the ${db.app} database (key username of Secret ${db.namespace}/${db.secretName})`,
      });
      const password = new TerraformVariable(this, `${db.app}_db_password`, {
        type: 'string',
        sensitive: true,
        description: `Password of the owner of the ${db.app} database (key password of Secret ${db.namespace}/${db.secretName})`,
      });
      const connection = new DatabaseSecretBackendConnection(this, `database_${db.app}`, {
        backend: this.database.path,
        name: db.app,
        allowedRoles: [db.app],
        postgresql: {
          // no TLS on the platform's PostgreSQL: the pod network, limited by NetworkPolicies to the
          // application and OpenBao, carries this connection
          connectionUrl: `postgresql://{{username}}:{{password}}@${request.server.address('postgres')}/${request.database}?sslmode=disable`,
          username: username.stringValue,
          password: password.stringValue,
        },
      });
      new DatabaseSecretBackendRole(this, `database_${db.app}_role`, {
        backend: this.database.path,
        name: db.app,
        dbName: connection.name,
        // read and write the data, never the schema: the application's migrations stay its own
        creationStatements: [
          'CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\';',
          'GRANT pg_read_all_data, pg_write_all_data TO "{{name}}";',
        ],
        revocationStatements: [
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \'{{name}}\';',
          'DROP ROLE IF EXISTS "{{name}}";',
        ],
        defaultTtl: HOUR,
        maxTtl: DAY,
      });
      dbRoles.set(db.namespace, db.app);
    }

    this.kubernetesAuth = new AuthBackend(this, 'kubernetes', {
      type: 'kubernetes',
      path: PLATFORM.openbao.authMounts.kubernetes,
      description: 'Pods log in with their ServiceAccount token (the injected agents)',
    });
    // OpenBao runs in the cluster: it reviews tokens with its own ServiceAccount and the pod's CA
    new KubernetesAuthBackendConfig(this, 'kubernetes_config', {
      backend: this.kubernetesAuth.path,
      kubernetesHost: 'https://kubernetes.default.svc',
    });
    const namespaces = [...props.requests.boundServiceAccounts.keys()];
    if (namespaces.length === 0) throw new Error('openbao-config: no platform namespace declares ServiceAccounts for Kubernetes auth');
    const boundAccounts = (ns: string): string[] => {
      const accounts = [...(props.requests.boundServiceAccounts.get(ns) ?? [])];
      if (accounts.length === 0 || accounts.some((a) => a === '*' || a.trim() === '')) {
        throw new Error(`openbao-config: the Kubernetes auth role of namespace "${ns}" binds ${JSON.stringify(accounts)}; declare the ServiceAccounts that log in (at least one name, never "*")`);
      }
      return accounts;
    };
    const nsScope = new Construct(this, 'namespace');
    const kubernetesRoles = namespaces.map((ns) => {
      const dbRole = dbRoles.get(ns);
      const policy = new Policy(nsScope, ns, {
        name: `k8s-${ns}`,
        policy: policyText([
          rule(`${KV}/data/${ns}/*`, ['read']),
          ...(dbRole ? [rule(`${DATABASE}/creds/${dbRole}`, ['read'])] : []),
        ]),
      });
      return new KubernetesAuthBackendRole(nsScope, `${ns}_role`, {
        backend: this.kubernetesAuth.path,
        roleName: ns,
        // only the accounts the namespace declares for pods that log in (never "*")
        boundServiceAccountNames: boundAccounts(ns),
        boundServiceAccountNamespaces: [ns],
        tokenPolicies: [policy.name],
        tokenTtl: HOUR,
        tokenMaxTtl: DAY,
      });
    });

    const ci = new Policy(this, 'ci', {
      name: 'ci',
      policy: policyText([
        rule(`${KV}/data/*`, ['read']),
        rule(`${KV}/metadata/*`, ['read', 'list']),
        rule(`${PKI}/issue/${PKI_ROLE}`, ['create', 'update']),
      ]),
    });
    this.approleAuth = new AuthBackend(this, 'approle', {
      type: 'approle',
      path: PLATFORM.openbao.authMounts.approle,
      description: 'CI/CD pipelines (role ci); secret IDs are issued by an operator, never by Terraform',
    });
    new ApproleAuthBackendRole(this, 'approle_ci', {
      backend: this.approleAuth.path,
      roleName: 'ci',
      tokenPolicies: [ci.name],
      tokenTtl: 20 * 60,
      tokenMaxTtl: HOUR,
      secretIdTtl: 30 * DAY,
    });

    // each AppRole a service declares: its own KV engine, a policy over it, and the role (the
    // names its programs expect, e.g. the CP-Portal's `secret/` and `cp_role`)
    const appKvs = props.requests.appRoles.map((r) => {
      const id = r.policy.replace(/-/g, '_');
      const kv = new Mount(this, r.outputKey, { path: r.kvMount, type: 'kv', options: { version: '2' }, description: r.description });
      const policy = new Policy(this, id, {
        name: r.policy,
        policy: policyText([
          rule(`${r.kvMount}/data/*`, ['create', 'read', 'update', 'delete']),
          rule(`${r.kvMount}/metadata/*`, ['read', 'list', 'delete']),
        ]),
      });
      new ApproleAuthBackendRole(this, `approle_${id}`, {
        backend: this.approleAuth.path,
        roleName: r.role,
        tokenPolicies: [policy.name],
        tokenTtl: HOUR,
        tokenMaxTtl: DAY,
      });
      return [r.outputKey, kv.path] as const;
    });

    new TerraformOutput(this, 'mounts', {
      description: 'Mount paths of the secrets engines and auth methods',
      value: {
        kv: this.kv.path,
        ...Object.fromEntries(appKvs),
        pki: this.pki.path,
        database: this.database.path,
        kubernetes_auth: this.kubernetesAuth.path,
        approle_auth: this.approleAuth.path,
      },
    });
    new TerraformOutput(this, 'kubernetes_roles', {
      description: 'Roles of the Kubernetes auth method, one per platform namespace (vault.hashicorp.com/role)',
      value: kubernetesRoles.map((r) => r.roleName),
    });
  }
}

/** One `path` rule of a policy. */
function rule(pathPattern: string, capabilities: readonly string[]): HclBlock {
  return { type: 'path', labels: [pathPattern], body: { attributes: { capabilities } } };
}

function policyText(rules: readonly HclBlock[]): string {
  return renderHcl({ blocks: rules });
}
