/**
 * Every secret value the platform needs, by Kubernetes Secret: what `kpaas secrets` makes, and
 * what the charts reference by name (dist never holds a value). Charts take Secret names and
 * keys from here, so the two cannot disagree.
 */
import type { PlatformConfig } from '../config';
import { PLATFORM } from '../config/platform';
import { CertificateSpec, INGRESS_KEY_READER, pw, SecretCatalog, SecretSpec, tlsKeys } from '../constructs/secret-spec';

export type { CertificateSpec, KeyFormat, SecretCatalog, SecretKeySpec, SecretSpec } from '../constructs/secret-spec';
export { keyFormatOf } from '../constructs/secret-spec';

/** Secret names the charts use (one place for each). */
export const SECRET_NAMES = {
  keycloakTls: 'keycloak-tls',
  keycloakAdmin: 'keycloak-admin',
  keycloakDb: 'keycloak-db',
  keycloakClients: 'keycloak-clients',
  openbaoTls: 'openbao-tls',
  openbaoServerTls: 'openbao-server-tls',
  harborTls: 'harbor-tls',
  harborAdmin: 'harbor-admin',
  harborDb: 'harbor-db',
  harborCore: 'harbor-core',
  harborJobservice: 'harbor-jobservice',
  harborRegistry: 'harbor-registry',
  harborToken: 'harbor-token-service',
  harborOidc: 'harbor-oidc',
  harborRedis: 'harbor-redis',
  chartmuseumTls: 'chartmuseum-tls',
  chartmuseumAuth: 'chartmuseum-auth',
  portalTls: 'portal-tls',
  portalDb: 'cp-portal-db',
  portalKeycloak: 'cp-portal-keycloak',
  portalApi: 'cp-portal-api',
  /**
   * The portal's OpenBao AppRole login (keys `roleId`, `secretId`). Not made by `kpaas secrets`:
   * OpenBao issues both once its configuration stack is applied (docs/openbao.md), so neither
   * ever passes through this project or Terraform state.
   */
  portalOpenbao: 'cp-portal-openbao',
  /** The platform CA certificate, in each namespace whose pods call another platform host over TLS. */
  platformCa: 'platform-ca',
} as const;

/** The whole catalog for a configuration (hosts follow the domain). */
export function secretCatalog(config: PlatformConfig): SecretCatalog {
  const ns = PLATFORM.namespaces;
  const h = config.hosts;
  const svc = (name: string, namespace: string) => [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
  const server = (name: string, host: string): CertificateSpec => ({ name, commonName: host, dnsNames: [host], usages: ['serverAuth'], keyReadBy: INGRESS_KEY_READER });
  const n = SECRET_NAMES;

  const certificates: CertificateSpec[] = [
    server('keycloak', h.keycloak),
    // also nginx's client certificate towards the OpenBao listener (proxy-ssl-secret)
    { ...server('openbao', h.openbao), keyReadBy: `${INGRESS_KEY_READER}; nginx proxy_ssl_certificate_key (src/event/ngx_event_openssl.c: PEM_read_bio_PrivateKey)` },
    {
      // the listener of every OpenBao server: clients through the Service, Raft peers by pod name
      name: 'openbao-server',
      commonName: `openbao.${ns.openbao}.svc`,
      dnsNames: [h.openbao, ...svc('openbao', ns.openbao), ...svc('openbao-active', ns.openbao), ...svc('*.openbao-internal', ns.openbao)],
      ipAddresses: ['127.0.0.1'],
      usages: ['serverAuth', 'clientAuth'],
      keyReadBy: 'OpenBao listener tls_key_file (go-secure-stdlib reloadutil/reload.go: crypto/tls X509KeyPair)',
    },
    server('harbor', h.harbor),
    {
      name: 'harbor-token', commonName: 'harbor-token-issuer', dnsNames: [], usages: ['clientAuth'],
      // core signs registry tokens with RS256 (jwt.ParseRSAPrivateKeyFromPEM) and names the key by
      // libtrust.UnmarshalPrivateKeyPEM, which reads only RSA PRIVATE KEY and EC PRIVATE KEY blocks
      algorithm: 'rsa-2048',
      keyFormat: 'pkcs1',
      keyReadBy: 'Harbor core /etc/core/private_key.pem (goharbor/harbor v2.15.1 src/core/service/token/authutils.go MakeToken: docker/libtrust key.go UnmarshalPrivateKeyPEM)',
    },
    server('chartmuseum', h.chartmuseum),
    server('portal', h.portal),
  ];

  const secrets: SecretSpec[] = [
    // Keycloak
    { name: n.keycloakTls, namespace: ns.keycloak, type: 'kubernetes.io/tls', description: `TLS of ${h.keycloak}`, keys: tlsKeys('keycloak') },
    { name: n.keycloakAdmin, namespace: ns.keycloak, type: 'Opaque', description: 'Keycloak bootstrap administrator', keys: { username: { kind: 'literal', value: 'admin' }, password: pw() } },
    { name: n.keycloakDb, namespace: ns.keycloak, type: 'Opaque', description: 'Keycloak\'s PostgreSQL database', keys: { database: { kind: 'literal', value: 'keycloak' }, username: { kind: 'literal', value: 'keycloak' }, password: pw() } },
    { name: n.keycloakClients, namespace: ns.keycloak, type: 'Opaque', description: 'Client secrets of the realm\'s confidential clients (realm import placeholders)', keys: { portal: pw(), harbor: pw() } },
    // OpenBao
    { name: n.openbaoTls, namespace: ns.openbao, type: 'kubernetes.io/tls', description: `TLS of ${h.openbao} (ingress)`, keys: tlsKeys('openbao') },
    { name: n.openbaoServerTls, namespace: ns.openbao, type: 'kubernetes.io/tls', description: 'TLS of the OpenBao listeners (clients and Raft peers)', keys: tlsKeys('openbao-server') },
    // Harbor
    { name: n.harborTls, namespace: ns.harbor, type: 'kubernetes.io/tls', description: `TLS of ${h.harbor}`, keys: tlsKeys('harbor') },
    { name: n.harborAdmin, namespace: ns.harbor, type: 'Opaque', description: 'Harbor administrator (HARBOR_ADMIN_PASSWORD)', keys: { password: pw() } },
    { name: n.harborDb, namespace: ns.harbor, type: 'Opaque', description: 'Harbor\'s PostgreSQL database', keys: { database: { kind: 'literal', value: 'registry' }, username: { kind: 'literal', value: 'harbor' }, password: pw() } },
    { name: n.harborCore, namespace: ns.harbor, type: 'Opaque', description: 'Harbor core: internal secret, CSRF key, encryption key', keys: { secret: pw(16), csrfKey: pw(32), secretKey: pw(16) } },
    { name: n.harborJobservice, namespace: ns.harbor, type: 'Opaque', description: 'Harbor jobservice internal secret', keys: { secret: pw(16) } },
    {
      name: n.harborRegistry, namespace: ns.harbor, type: 'Opaque', description: 'Harbor registry: HTTP secret and the credentials core uses against it',
      keys: { httpSecret: pw(16), username: { kind: 'literal', value: 'harbor_registry_user' }, password: pw(), htpasswd: { kind: 'htpasswd', userKey: 'username', passwordKey: 'password' } },
    },
    { name: n.harborToken, namespace: ns.harbor, type: 'kubernetes.io/tls', description: 'Harbor token service signing key and certificate', keys: tlsKeys('harbor-token') },
    { name: n.harborOidc, namespace: ns.harbor, type: 'Opaque', description: 'Harbor\'s client secret in the realm', keys: { clientSecret: { kind: 'copy', secret: n.keycloakClients, key: 'harbor' } } },
    { name: n.harborRedis, namespace: ns.harbor, type: 'Opaque', description: 'Harbor\'s Redis password', keys: { password: pw() } },
    { name: n.platformCa, namespace: ns.harbor, type: 'Opaque', description: 'Platform CA, trusted by Harbor for Keycloak', keys: { 'ca.crt': { kind: 'ca-cert' } } },
    // ChartMuseum
    { name: n.chartmuseumTls, namespace: ns.chartmuseum, type: 'kubernetes.io/tls', description: `TLS of ${h.chartmuseum}`, keys: tlsKeys('chartmuseum') },
    { name: n.chartmuseumAuth, namespace: ns.chartmuseum, type: 'Opaque', description: 'ChartMuseum basic auth', keys: { username: { kind: 'literal', value: 'admin' }, password: pw() } },
    // CP-Portal
    { name: n.portalTls, namespace: ns.portal, type: 'kubernetes.io/tls', description: `TLS of ${h.portal}`, keys: tlsKeys('portal') },
    {
      name: n.portalDb, namespace: ns.portal, type: 'Opaque', description: 'CP-Portal\'s MariaDB',
      // the portal's prod profiles name the schema `cp` in their JDBC URLs
      keys: { rootPassword: pw(), database: { kind: 'literal', value: 'cp' }, username: { kind: 'literal', value: 'cp_portal' }, password: pw() },
    },
    { name: n.portalApi, namespace: ns.portal, type: 'Opaque', description: 'Signing key of the JWTs the portal API hands the UI', keys: { jwtSecret: pw(64) } },
    { name: n.portalKeycloak, namespace: ns.portal, type: 'Opaque', description: 'CP-Portal\'s client secret in the realm', keys: { clientSecret: { kind: 'copy', secret: n.keycloakClients, key: 'portal' } } },
    { name: n.platformCa, namespace: ns.portal, type: 'Opaque', description: 'Platform CA, trusted by the portal for Keycloak', keys: { 'ca.crt': { kind: 'ca-cert' } } },
  ];
  return { certificates, secrets };
}
