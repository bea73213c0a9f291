/**
 * Contract: the PEM formats each program that reads a private key from `kpaas secrets` accepts,
 * read from that program's source at the version the platform pins. test/contracts/
 * key-formats.test.ts generates a secrets folder and holds every key's PEM block against the
 * readers listed here; secrets/catalog.ts chooses each key's format (keyFormat) to fit.
 *
 * PEM block labels: `PRIVATE KEY` is PKCS#8, `RSA PRIVATE KEY` is PKCS#1, `EC PRIVATE KEY` is
 * SEC 1. Facts only; no upstream code is reproduced here.
 */
import { HARBOR_TAG } from './harbor-env';
import { OPENBAO_TAG } from './images';
import { KEYCLOAK_TAG } from './keycloak-env';

/** A PEM private-key encoding (the same names as the catalog's keyFormat). */
export type PemKeyFormat = 'pkcs8' | 'pkcs1' | 'sec1';

export interface KeyReader {
  /** The program that parses the key. */
  readonly program: string;
  /** The pinned version whose source was read. */
  readonly version: string;
  /** Certificates of the catalog (secrets/catalog.ts) whose key this program reads. */
  readonly certificates: readonly string[];
  /** Where it finds the key (file, Secret key). */
  readonly reads: string;
  /**
   * Where dist/manifests hands it the key, as test/contracts/key-formats.test.ts finds it: `pod
   * <namespace>/<workload>/<container> <file>` for a Secret volume, `ingress tls` or `ingress
   * proxy-ssl-secret` for what ingress-nginx reads from an Ingress.
   */
  readonly sites: readonly string[];
  /** PEM formats it parses. */
  readonly accepts: readonly PemKeyFormat[];
  /** Key algorithms it takes, where it restricts them. */
  readonly algorithms?: readonly ('rsa' | 'ec')[];
  /** Upstream repository, version and file(s) where this is decided, with the function. */
  readonly reference: string;
}

/** Go's crypto/tls: the first PEM block whose label ends in "PRIVATE KEY", parsed as PKCS#1, then PKCS#8, then SEC 1. */
const GO_TLS = 'golang/go src/crypto/tls/tls.go X509KeyPair and parsePrivateKey';

export const KEY_READERS: readonly KeyReader[] = [
  {
    program: 'Harbor core (registry token service)',
    version: `goharbor/harbor ${HARBOR_TAG}, docker/libtrust v0.0.0-20160708172513-aabc10ec26b7 (src/go.mod)`,
    certificates: ['harbor-token'],
    reads: '/etc/core/private_key.pem (Secret harbor-token-service, key tls.key; the default of src/lib/config/config.go)',
    sites: ['pod harbor/harbor-core/core /etc/core/private_key.pem'],
    // the same bytes go through both parsers in one call path: RS256 signing, then the key id
    accepts: ['pkcs1'],
    algorithms: ['rsa'],
    reference: `goharbor/harbor ${HARBOR_TAG} src/core/service/token/authutils.go MakeToken (signs RS256, then libtrust.UnmarshalPrivateKeyPEM for the kid); `
      + 'src/pkg/token/options.go GetKey (jwt.ParseRSAPrivateKeyFromPEM: RSA only); '
      + 'docker/libtrust aabc10ec26b7 key.go UnmarshalPrivateKeyPEM (only RSA PRIVATE KEY and EC PRIVATE KEY blocks; PRIVATE KEY is refused)',
  },
  {
    program: 'OpenBao server listener',
    version: `openbao/openbao ${OPENBAO_TAG}, hashicorp/go-secure-stdlib reloadutil v0.1.1`,
    certificates: ['openbao-server'],
    reads: 'tls_key_file of the tcp listener (Secret openbao-server-tls, key tls.key)',
    sites: ['pod openbao/openbao/openbao /openbao/tls/tls.key'],
    accepts: ['pkcs1', 'pkcs8', 'sec1'],
    reference: `openbao/openbao ${OPENBAO_TAG} helper/listenerutil/tls_acme.go NewCertificateGetter; hashicorp/go-secure-stdlib reloadutil/v0.1.1 reloadutil/reload.go Reload (tls.X509KeyPair); ${GO_TLS}`,
  },
  {
    program: 'ingress-nginx controller',
    version: 'kubernetes/ingress-nginx controller-v1.12.1 (kubespray v2.28.1 ingress_nginx_version)',
    certificates: ['keycloak', 'openbao', 'harbor', 'chartmuseum', 'portal'],
    reads: 'tls.key of the Secret an Ingress names in spec.tls (and of nginx.ingress.kubernetes.io/proxy-ssl-secret)',
    sites: ['ingress tls', 'ingress proxy-ssl-secret'],
    accepts: ['pkcs1', 'pkcs8', 'sec1'],
    reference: `kubernetes/ingress-nginx controller-v1.12.1 internal/ingress/controller/store/backend_ssl.go getPemCertificate -> internal/net/ssl/ssl.go CreateSSLCert (tls.X509KeyPair); ${GO_TLS}`,
  },
  {
    program: 'nginx of ingress-nginx (served certificates)',
    version: 'ingress-nginx controller-v1.12.1 images/nginx: lua-nginx-module v0.10.26 on Alpine 3.21 OpenSSL',
    certificates: ['keycloak', 'openbao', 'harbor', 'chartmuseum', 'portal'],
    reads: 'the PEM the controller stores for each server, loaded per handshake (rootfs/etc/nginx/lua/certificate.lua)',
    sites: ['ingress tls'],
    accepts: ['pkcs1', 'pkcs8', 'sec1'],
    reference: 'openresty/lua-nginx-module v0.10.26 src/ngx_http_lua_ssl_certby.c ngx_http_lua_ffi_priv_key_pem_to_der (PEM_read_bio_PrivateKey); '
      + 'openssl crypto/pem/pem_lib.c check_pem (a private-key read takes PRIVATE KEY and every "<type> PRIVATE KEY" label)',
  },
  {
    program: 'nginx of ingress-nginx (client certificate towards OpenBao)',
    version: 'ingress-nginx controller-v1.12.1 images/nginx: nginx 1.25.5',
    certificates: ['openbao'],
    reads: 'proxy_ssl_certificate_key from nginx.ingress.kubernetes.io/proxy-ssl-secret (rootfs/etc/nginx/template/nginx.tmpl)',
    sites: ['ingress proxy-ssl-secret'],
    accepts: ['pkcs1', 'pkcs8', 'sec1'],
    reference: 'nginx/nginx release-1.25.5 src/event/ngx_event_openssl.c ngx_ssl_load_certificate_key (PEM_read_bio_PrivateKey); openssl crypto/pem/pem_lib.c check_pem',
  },
];

/**
 * Platform components that read no private key made by `kpaas secrets`, and why: recorded so that
 * a reader added later is a deliberate change to this file.
 */
export const NO_KEY_READERS: readonly { readonly program: string; readonly why: string }[] = [
  { program: `Keycloak ${KEYCLOAK_TAG}`, why: 'plain HTTP behind the ingress (KC_HTTP_ENABLED, KC_PROXY_HEADERS in platform/keycloak/keycloak-chart.ts); no https-certificate-key-file' },
  { program: 'Harbor internal TLS', why: 'not enabled: no INTERNAL_TLS_* settings; components talk HTTP inside the namespace' },
  { program: 'vault-k8s 1.7.2 (OpenBao agent injector)', why: 'AGENT_INJECT_TLS_AUTO: the injector makes and rotates its own webhook key in memory (constructs/k8s/openbao-agent-injector.ts)' },
  {
    program: 'ingress-nginx default server certificate and admission webhook',
    why: 'kubespray v2.28.1 roles/kubernetes-apps/ingress_controller/ingress_nginx/templates/ds-ingress-nginx-controller.yml.j2 passes no --default-ssl-certificate, so the controller serves the certificate it generates (ingress-nginx controller-v1.12.1 cmd/nginx/main.go GetFakeSSLCert); the webhook key comes from kubespray\'s admission-webhook-job',
  },
  { program: 'Harbor registry', why: 'authenticates core and jobservice by htpasswd (constructs/k8s/harbor-registry.ts); it mounts neither the token key nor its certificate' },
  { program: 'kpaas secrets itself (ca.key)', why: 'the CA key never leaves the folder; Node\'s crypto.createPrivateKey reads every format; written as PKCS#8' },
];
