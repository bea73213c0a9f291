/**
 * What a platform service says about the secret values it needs: each service's descriptor lists
 * its Secrets and certificates in these terms, `kpaas secrets` makes them, and the charts reference
 * them by name (dist never holds a value).
 */
import { PLATFORM } from '../config/platform';

/** How one data key of a Secret gets its value. */
export type SecretKeySpec =
  /** Random letters and digits. */
  | { readonly kind: 'password'; readonly length: number }
  /** Random bytes, hex-encoded (keys of a fixed byte length). */
  | { readonly kind: 'hex'; readonly bytes: number }
  /** A fixed, non-secret value kept beside the secret ones (user names, database names). */
  | { readonly kind: 'literal'; readonly value: string }
  /** A part of a certificate the command issues from the platform CA. */
  | { readonly kind: 'certificate'; readonly certificate: string; readonly part: 'cert' | 'key' | 'ca' }
  /** The platform CA's certificate. */
  | { readonly kind: 'ca-cert' }
  /** The same value as another Secret's key (e.g. a client secret both Keycloak and the client hold). */
  | { readonly kind: 'copy'; readonly secret: string; readonly key: string }
  /** An htpasswd line (bcrypt) for the user and password keys of this Secret. */
  | { readonly kind: 'htpasswd'; readonly userKey: string; readonly passwordKey: string };

/** A certificate issued by the platform CA. */
export interface CertificateSpec {
  /** Name, for `--rotate` and the files in the secrets folder. */
  readonly name: string;
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Extended key usages. */
  readonly usages: readonly ('serverAuth' | 'clientAuth')[];
  /** Key algorithm: RSA where a consumer requires it (Harbor's token signing). @default 'ecdsa-p256' */
  readonly algorithm?: 'ecdsa-p256' | 'rsa-2048';
  /**
   * PEM encoding of the key file and of the `tls.key` the Secrets hold: the one every reader of the
   * key accepts (config/contracts/key-formats.ts records what each reader accepts, from its source).
   * `pkcs1` is RSA only, `sec1` is EC only. @default 'pkcs8'
   */
  readonly keyFormat?: KeyFormat;
  /** Who reads the key, and the upstream file where it is parsed: the reason for keyFormat. */
  readonly keyReadBy: string;
}

/**
 * PEM encodings of a private key: `pkcs8` (a `PRIVATE KEY` block, any algorithm), `pkcs1` (an
 * `RSA PRIVATE KEY` block), `sec1` (an `EC PRIVATE KEY` block).
 */
export type KeyFormat = 'pkcs8' | 'pkcs1' | 'sec1';

/** The key format of a certificate spec, with its default. */
export function keyFormatOf(spec: Pick<CertificateSpec, 'keyFormat'>): KeyFormat {
  return spec.keyFormat ?? 'pkcs8';
}

/** Readers of the ingress certificates: ingress-nginx validates the pair, nginx loads the key. */
export const INGRESS_KEY_READER = 'ingress-nginx controller (internal/net/ssl/ssl.go CreateSSLCert: crypto/tls X509KeyPair) and its nginx (lua-nginx-module ngx_http_lua_ssl_certby.c: OpenSSL PEM_read_bio_PrivateKey)';

export interface SecretSpec {
  readonly name: string;
  readonly namespace: string;
  readonly type: 'Opaque' | 'kubernetes.io/tls';
  /** What it is for (a comment in the generated manifest). */
  readonly description: string;
  readonly keys: Readonly<Record<string, SecretKeySpec>>;
}

export interface SecretCatalog {
  readonly certificates: readonly CertificateSpec[];
  readonly secrets: readonly SecretSpec[];
}

/** A random password of letters and digits. */
export const pw = (length = 32): SecretKeySpec => ({ kind: 'password', length });
/** The keys of a TLS Secret of a certificate the platform CA issues (with the CA's certificate). */
export const tlsKeys = (certificate: string): Record<string, SecretKeySpec> => ({
  'tls.crt': { kind: 'certificate', certificate, part: 'cert' },
  'tls.key': { kind: 'certificate', certificate, part: 'key' },
  'ca.crt': { kind: 'ca-cert' },
});

/** The platform CA certificate's Secret, in each namespace whose pods call another platform host over TLS. */
export const PLATFORM_CA_SECRET = 'platform-ca';

/** The Secret of the platform CA's certificate in a namespace. */
export function platformCaSecret(namespace: string, user: string): SecretSpec {
  return { name: PLATFORM_CA_SECRET, namespace, type: 'Opaque', description: `Platform CA, trusted by ${user}`, keys: { 'ca.crt': { kind: 'ca-cert' } } };
}

/** A certificate for a public host, served by the ingress controller. */
export function ingressCertificate(name: string, host: string): CertificateSpec {
  return { name, commonName: host, dnsNames: [host], usages: ['serverAuth'], keyReadBy: INGRESS_KEY_READER };
}

/** The DNS names of a Service inside the cluster, short to fully qualified. */
export function serviceDnsNames(name: string, namespace: string): string[] {
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.${PLATFORM.dns.clusterDomain}`];
}
