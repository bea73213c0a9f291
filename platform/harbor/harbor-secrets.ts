import type { PlatformConfig } from '../../config';
import { ingressCertificate, platformCaSecret, pw, SecretCatalog, tlsKeys } from '../../constructs/secret-spec';
import { HARBOR_DATABASE, HARBOR_NAMESPACE, HARBOR_SECRETS } from './harbor-names';
import { KEYCLOAK_CLIENT_KEYS, KEYCLOAK_SECRETS } from '../keycloak/keycloak-names';

export function harborSecrets(config: PlatformConfig): SecretCatalog {
  const h = config.hosts;
  const ns = HARBOR_NAMESPACE;
  const n = HARBOR_SECRETS;
  return {
    certificates: [
      ingressCertificate('harbor', h.harbor),
      {
        name: 'harbor-token', commonName: 'harbor-token-issuer', dnsNames: [], usages: ['clientAuth'],
        // core signs registry tokens with RS256 (jwt.ParseRSAPrivateKeyFromPEM) and names the key by
        // libtrust.UnmarshalPrivateKeyPEM, which reads only RSA PRIVATE KEY and EC PRIVATE KEY blocks
        algorithm: 'rsa-2048',
        keyFormat: 'pkcs1',
        keyReadBy: 'Harbor core /etc/core/private_key.pem (goharbor/harbor v2.15.2 src/core/service/token/authutils.go MakeToken: docker/libtrust key.go UnmarshalPrivateKeyPEM)',
      },
    ],
    secrets: [
      { name: n.tls, namespace: ns, type: 'kubernetes.io/tls', description: `TLS of ${h.harbor}`, keys: tlsKeys('harbor') },
      { name: n.admin, namespace: ns, type: 'Opaque', description: 'Harbor administrator (HARBOR_ADMIN_PASSWORD)', keys: { password: pw() } },
      { name: n.db, namespace: ns, type: 'Opaque', description: 'Harbor\'s PostgreSQL database', keys: { database: { kind: 'literal', value: HARBOR_DATABASE.database }, username: { kind: 'literal', value: HARBOR_DATABASE.owner }, password: pw() } },
      { name: n.core, namespace: ns, type: 'Opaque', description: 'Harbor core: internal secret, CSRF key, encryption key', keys: { secret: pw(16), csrfKey: pw(32), secretKey: pw(16) } },
      { name: n.jobservice, namespace: ns, type: 'Opaque', description: 'Harbor jobservice internal secret', keys: { secret: pw(16) } },
      {
        name: n.registry, namespace: ns, type: 'Opaque', description: 'Harbor registry: HTTP secret and the credentials core uses against it',
        keys: { httpSecret: pw(16), username: { kind: 'literal', value: 'harbor_registry_user' }, password: pw(), htpasswd: { kind: 'htpasswd', userKey: 'username', passwordKey: 'password' } },
      },
      { name: n.token, namespace: ns, type: 'kubernetes.io/tls', description: 'Harbor token service signing key and certificate', keys: tlsKeys('harbor-token') },
      { name: n.oidc, namespace: ns, type: 'Opaque', description: 'Harbor\'s client secret in the realm', keys: { clientSecret: { kind: 'copy', secret: KEYCLOAK_SECRETS.clients, key: KEYCLOAK_CLIENT_KEYS.harbor } } },
      { name: n.redis, namespace: ns, type: 'Opaque', description: 'Harbor\'s Redis password', keys: { password: pw() } },
      platformCaSecret(ns, 'Harbor for Keycloak'),
    ],
  };
}
