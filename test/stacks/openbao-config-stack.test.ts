import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { parseConfig } from '../../config';
import type { KpaasConfigInput } from '../../config';
import { OpenbaoConfigStack } from '../../stacks/openbao-config-stack';
import { resources, TfDoc, withoutMetadata } from '../support/synth';
import { PLATFORM } from '../../config';
import { openbaoRequests, PLATFORM_SERVICES } from '../../platform';
import { parseManifests, manifestFiles } from '../support/k8s-manifests';
import { renderedDist } from '../support/rendered';

const FILE = 'terraform/openbao-config/cdk.tf.json';

/** The stack's cdk.tf.json exactly as `kpaas synth` writes it (into memory; once per run: support/rendered.ts). */
function synthText(input: KpaasConfigInput = {}, outDir = 'dist'): string {
  const file = renderedDist(input, { outDir, projectDir: '.' }).get(FILE);
  if (!file) throw new Error(`${FILE} was not rendered`);
  return file.content;
}
const synth = (input: KpaasConfigInput = {}) => JSON.parse(synthText(input)) as TfDoc;
const CLIENT = PLATFORM.openbao.clientServiceAccount;

const NAMESPACES = ['nfs-provisioner', 'keycloak', 'openbao', 'harbor', 'chartmuseum', 'cp-portal'];

describe('OpenBao configuration stack', () => {
  const text = synthText();
  const doc = JSON.parse(text) as TfDoc;
  const policies = resources(doc, 'vault_policy');

  it('matches the snapshot', () => {
    expect(text).toMatchSnapshot();
  });

  it('pins the prebuilt Vault provider, talks to openbao.<domain> with the platform CA, and keeps its own state', () => {
    expect(doc.terraform.required_providers).toEqual({ vault: { source: 'hashicorp/vault', version: '5.6.0' } });
    expect(doc.provider).toEqual({ vault: [{ address: 'https://openbao.k-paas.io', ca_cert_file: '${var.openbao_ca_cert_file}' }] });
    expect(doc.terraform.backend).toEqual({ local: { path: '../../../terraform-state/openbao-config.tfstate' } });
    expect(doc.variable).toMatchObject({ openbao_ca_cert_file: { type: 'string', default: '../../../.kpaas-secrets/ca.crt' } });
  });

  it('follows the configured state path, secrets folder and domain', () => {
    const d = synth({ domain: 'paas.example.com', secrets: { dir: 'keys/kpaas' }, terraform: { backend: { type: 'local', path: 'state/prod/infra.tfstate' } } });
    expect(d.terraform.backend).toEqual({ local: { path: '../../../state/prod/openbao-config.tfstate' } });
    expect(d.provider.vault[0].address).toBe('https://openbao.paas.example.com');
    expect((d.variable as Record<string, { default?: string }>).openbao_ca_cert_file.default).toBe('../../../keys/kpaas/ca.crt');
    // the paths are relative to where the stack is written
    const deeper = JSON.parse(renderedDist({}, { outDir: 'out/prod', projectDir: '.' }).get(FILE)!.content) as TfDoc;
    expect(deeper.terraform.backend.local.path).toBe('../../../../terraform-state/openbao-config.tfstate');
  });

  it('keeps its state beside the infra state in the S3 bucket, under the configured key\'s prefix', () => {
    const s3 = (key?: string) => synth({ terraform: { backend: { type: 's3', bucket: 'tf', ...(key ? { key } : {}) } } }).terraform.backend.s3;
    expect(s3()).toMatchObject({ bucket: 'tf', key: 'kpaas/openbao-config.tfstate', use_path_style: true, skip_credentials_validation: true });
    expect(s3('prod/cluster-a/infra.tfstate').key).toBe('prod/cluster-a/openbao-config.tfstate');
    expect(s3('infra.tfstate').key).toBe('openbao-config.tfstate');
  });

  it('mounts KV v2 at kv (and secret for the portal), PKI at pki and the database engine at database', () => {
    expect(resources(doc, 'vault_mount')).toEqual({
      kv: { path: 'kv', type: 'kv', options: { version: '2' }, description: expect.any(String) },
      portal_kv: { path: 'secret', type: 'kv', options: { version: '2' }, description: expect.any(String) },
      pki: { path: 'pki', type: 'pki', default_lease_ttl_seconds: 3 * 86400, max_lease_ttl_seconds: 10 * 365 * 86400, description: expect.any(String) },
      database: { path: 'database', type: 'database', description: expect.any(String) },
    });
  });

  it('gives PKI an internal root CA, its URLs, and a role for in-cluster Services and the platform domain', () => {
    expect(resources(doc, 'vault_pki_secret_backend_root_cert')).toEqual({
      pki_root_ca: {
        backend: '${vault_mount.pki.path}', type: 'internal', common_name: 'kpaas OpenBao root CA', organization: 'K-PaaS',
        issuer_name: 'root', key_type: 'ec', key_bits: 256, ttl: String(10 * 365 * 86400),
      },
    });
    expect(resources(doc, 'vault_pki_secret_backend_config_urls').pki_urls).toEqual({
      backend: '${vault_mount.pki.path}',
      issuing_certificates: ['https://openbao.k-paas.io/v1/pki/ca'],
      crl_distribution_points: ['https://openbao.k-paas.io/v1/pki/crl'],
    });
    expect(resources(doc, 'vault_pki_secret_backend_role').pki_role).toEqual({
      backend: '${vault_mount.pki.path}',
      name: 'platform',
      allowed_domains: ['svc', 'svc.cluster.local', 'k-paas.io'],
      allow_subdomains: true,
      allow_bare_domains: false,
      allow_glob_domains: false,
      allow_wildcard_certificates: false,
      allow_localhost: false,
      allow_ip_sans: false,
      enforce_hostnames: true,
      server_flag: true,
      client_flag: true,
      key_type: 'ec',
      key_bits: 256,
      ttl: String(3 * 86400),
      max_ttl: String(30 * 86400),
    });
  });

  it('connects the database engine to Harbor\'s PostgreSQL server with credentials from variables (Keycloak\'s tables are in the portal\'s MariaDB)', () => {
    const connections = resources(doc, 'vault_database_secret_backend_connection');
    expect(connections).toEqual({
      database_harbor: {
        backend: '${vault_mount.database.path}',
        name: 'harbor',
        allowed_roles: ['harbor'],
        postgresql: {
          connection_url: 'postgresql://{{username}}:{{password}}@harbor-postgres.harbor.svc:5432/registry?sslmode=disable',
          username: '${var.harbor_db_username}',
          password: '${var.harbor_db_password}',
        },
      },
    });
    const roles = resources(doc, 'vault_database_secret_backend_role');
    expect(Object.keys(roles)).toEqual(['database_harbor_role']);
    expect(roles.database_harbor_role).toMatchObject({
      backend: '${vault_mount.database.path}',
      name: 'harbor',
      db_name: '${vault_database_secret_backend_connection.database_harbor.name}',
      default_ttl: 3600,
      max_ttl: 86400,
    });
    expect(roles.database_harbor_role.creation_statements).toEqual([
      'CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\';',
      'GRANT pg_read_all_data, pg_write_all_data TO "{{name}}";',
    ]);
    expect(roles.database_harbor_role.revocation_statements.at(-1)).toBe('DROP ROLE IF EXISTS "{{name}}";');
  });

  it('enables Kubernetes auth against the in-cluster API server, with one role per platform namespace bound to that namespace only', () => {
    expect(resources(doc, 'vault_auth_backend').kubernetes).toMatchObject({ type: 'kubernetes', path: 'kubernetes' });
    expect(resources(doc, 'vault_kubernetes_auth_backend_config')).toEqual({
      kubernetes_config: { backend: '${vault_auth_backend.kubernetes.path}', kubernetes_host: 'https://kubernetes.default.svc' },
    });
    // each role names exactly the namespace's client account, which pods opt into to log in
    const roles = Object.values(resources(doc, 'vault_kubernetes_auth_backend_role'));
    expect(roles.filter((r) => r.bound_service_account_names.includes('*'))).toEqual([]);
    expect(roles.map((r) => r.role_name).sort()).toEqual([...NAMESPACES].sort());
    for (const ns of NAMESPACES) {
      expect(resources(doc, 'vault_kubernetes_auth_backend_role')[`namespace_${ns}_role`]).toEqual({
        backend: '${vault_auth_backend.kubernetes.path}',
        role_name: ns,
        bound_service_account_names: [CLIENT],
        bound_service_account_namespaces: [ns],
        token_policies: [`\${vault_policy.namespace_${ns}.name}`],
        token_ttl: 3600,
        token_max_ttl: 86400,
      });
    }
  });

  it('binds only accounts that exist in dist/manifests, that a pod can opt into, with a network path to OpenBao', () => {
    const files = renderedDist({});
    const objects = parseManifests(manifestFiles(files)).map((m) => m.object as any);
    for (const r of Object.values(resources(doc, 'vault_kubernetes_auth_backend_role'))) {
      const [ns] = r.bound_service_account_namespaces;
      for (const name of r.bound_service_account_names) {
        const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === ns && o.metadata.name === name);
        // the account exists; its token is mounted only into pods that ask for it
        expect(sa).toMatchObject({ automountServiceAccountToken: false });
      }
      const allow = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name === 'allow-openbao-client');
      expect(allow?.spec).toEqual({
        podSelector: { matchLabels: { [PLATFORM.openbao.clientLabel.key]: PLATFORM.openbao.clientLabel.value } },
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openbao' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' } } }],
          ports: [{ protocol: 'TCP', port: 8200 }],
        }],
      });
    }
  });

  it('fails on a namespace whose role declares no ServiceAccount, or any account ("*")', () => {
    const build = (accounts: ReadonlyMap<string, readonly string[]>) => () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-openbao-stack-'));
      try {
        new OpenbaoConfigStack(new App({ outdir, skipValidation: true }), 'openbao-config', { config: parseConfig({}), requests: { ...openbaoRequests(PLATFORM_SERVICES), boundServiceAccounts: accounts } });
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    };
    const declared = [...openbaoRequests(PLATFORM_SERVICES).boundServiceAccounts];
    expect(build(new Map(declared.map(([ns, a]) => [ns, ns === 'harbor' ? [] : a])))).toThrow('openbao-config: the Kubernetes auth role of namespace "harbor" binds []; declare the ServiceAccounts that log in (at least one name, never "*")');
    expect(build(new Map(declared.map(([ns, a]) => [ns, ns === 'keycloak' ? ['*'] : a])))).toThrow('namespace "keycloak" binds ["*"]');
  });

  it('gives each namespace\'s policy read on its own KV folder, and on its own database credentials where it has a database', () => {
    const rule = (p: string, caps: string) => `path "${p}" {\n  capabilities = [${caps}]\n}\n`;
    expect(Object.fromEntries(NAMESPACES.map((ns) => [ns, policies[`namespace_${ns}`]]))).toEqual({
      'nfs-provisioner': { name: 'k8s-nfs-provisioner', policy: rule('kv/data/nfs-provisioner/*', '"read"') },
      keycloak: { name: 'k8s-keycloak', policy: rule('kv/data/keycloak/*', '"read"') },
      openbao: { name: 'k8s-openbao', policy: rule('kv/data/openbao/*', '"read"') },
      harbor: { name: 'k8s-harbor', policy: `${rule('kv/data/harbor/*', '"read"')}\n${rule('database/creds/harbor', '"read"')}` },
      chartmuseum: { name: 'k8s-chartmuseum', policy: rule('kv/data/chartmuseum/*', '"read"') },
      'cp-portal': { name: 'k8s-cp-portal', policy: rule('kv/data/cp-portal/*', '"read"') },
    });
  });

  it('gives CI/CD read and list on KV and certificate issuing, through the AppRole ci', () => {
    expect(policies.ci).toEqual({
      name: 'ci',
      policy: [
        'path "kv/data/*" {\n  capabilities = ["read"]\n}\n',
        'path "kv/metadata/*" {\n  capabilities = ["read", "list"]\n}\n',
        'path "pki/issue/platform" {\n  capabilities = ["create", "update"]\n}\n',
      ].join('\n'),
    });
    expect(resources(doc, 'vault_auth_backend').approle).toMatchObject({ type: 'approle', path: 'approle' });
    expect(resources(doc, 'vault_approle_auth_backend_role')).toMatchObject({
      approle_ci: {
        backend: '${vault_auth_backend.approle.path}',
        role_name: 'ci',
        token_policies: ['${vault_policy.ci.name}'],
        token_ttl: 1200,
        token_max_ttl: 3600,
        secret_id_ttl: 30 * 86400,
      },
    });
    // a secret ID in Terraform would put a credential into the state
    expect(doc.resource.vault_approle_auth_backend_role_secret_id).toBeUndefined();
  });

  it('gives the CP-Portal its KV engine secret and the AppRole cp_role its images log in with', () => {
    expect(policies.cp_portal).toEqual({
      name: 'cp-portal',
      policy: [
        'path "secret/data/*" {\n  capabilities = ["create", "read", "update", "delete"]\n}\n',
        'path "secret/metadata/*" {\n  capabilities = ["read", "list", "delete"]\n}\n',
      ].join('\n'),
    });
    expect(resources(doc, 'vault_approle_auth_backend_role').approle_cp_portal).toEqual({
      backend: '${vault_auth_backend.approle.path}',
      role_name: 'cp_role',
      token_policies: ['${vault_policy.cp_portal.name}'],
      token_ttl: 3600,
      token_max_ttl: 86400,
    });
    expect(Object.keys(resources(doc, 'vault_approle_auth_backend_role'))).toEqual(['approle_ci', 'approle_cp_portal']);
  });

  it('outputs the mount paths and the Kubernetes roles', () => {
    expect(withoutMetadata(doc.output)).toEqual({
      mounts: {
        description: expect.any(String),
        value: {
          kv: '${vault_mount.kv.path}',
          portal_kv: '${vault_mount.portal_kv.path}',
          pki: '${vault_mount.pki.path}',
          database: '${vault_mount.database.path}',
          kubernetes_auth: '${vault_auth_backend.kubernetes.path}',
          approle_auth: '${vault_auth_backend.approle.path}',
        },
      },
      kubernetes_roles: { description: expect.any(String), value: NAMESPACES.map((ns) => `\${vault_kubernetes_auth_backend_role.namespace_${ns}_role.role_name}`) },
    });
  });

  it('holds no secret value: credentials are sensitive variables without defaults, the token comes from VAULT_TOKEN', () => {
    const variables = doc.variable as Record<string, { sensitive?: boolean; default?: unknown }>;
    const credentials = ['harbor_db_username', 'harbor_db_password'];
    expect(Object.keys(variables).sort()).toEqual([...credentials, 'openbao_ca_cert_file'].sort());
    for (const name of credentials) {
      expect(variables[name]).toMatchObject({ type: 'string', sensitive: true });
      expect(variables[name]).not.toHaveProperty('default');
    }
    expect(JSON.stringify(doc.provider)).not.toMatch(/token/i);
    expect(text).not.toMatch(/BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)|secret_id"|"password": "[^$]/);
  });

  it('is deterministic and lives beside the infra stack in dist/terraform', () => {
    const files = renderedDist({});
    expect([...files.keys()].filter((k) => k.startsWith('terraform/'))).toEqual(['terraform/infra/cdk.tf.json', FILE]);
    expect(synthText()).toBe(text);
  });

  it('defaults the project path to the stack\'s own directory when used on its own', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-openbao-stack-'));
    try {
      const app = new App({ outdir, skipValidation: true });
      const json = new OpenbaoConfigStack(app, 'openbao-config', { config: parseConfig({}), requests: openbaoRequests(PLATFORM_SERVICES) }).toTerraform();
      expect(json.terraform.backend).toEqual({ local: { path: 'terraform-state/openbao-config.tfstate' } });
      expect(json.variable.openbao_ca_cert_file.default).toBe('.kpaas-secrets/ca.crt');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails with the config\'s message on a backend path outside the project rules (absolute)', () => {
    expect(() => synth({ terraform: { backend: { type: 'local', path: '/var/state/infra.tfstate' } } })).toThrow(/relative/);
  });
});
