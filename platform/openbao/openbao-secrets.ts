import type { PlatformConfig } from '../../config';
import { INGRESS_KEY_READER, ingressCertificate, SecretCatalog, serviceDnsNames, tlsKeys } from '../../constructs/secret-spec';
import type { ServiceAddress } from '../../constructs/k8s/service-endpoint';
import { OPENBAO_ENDPOINTS, OPENBAO_NAMESPACE, OPENBAO_SECRETS } from './openbao-names';

/** The names of a Service the certificate covers, or with `pods`, of every pod behind a headless one. */
const namesOf = (a: ServiceAddress, pods = false) => serviceDnsNames(pods ? `*.${a.name}` : a.name, a.namespace);

export function openbaoSecrets(config: PlatformConfig): SecretCatalog {
  const h = config.hosts;
  const ns = OPENBAO_NAMESPACE;
  const ep = OPENBAO_ENDPOINTS;
  return {
    certificates: [
      // also nginx's client certificate towards the OpenBao listener (proxy-ssl-secret)
      { ...ingressCertificate('openbao', h.openbao), keyReadBy: `${INGRESS_KEY_READER}; nginx proxy_ssl_certificate_key (src/event/ngx_event_openssl.c: PEM_read_bio_PrivateKey)` },
      {
        // the listener of every OpenBao server: clients through the Service, Raft peers by pod name
        name: 'openbao-server',
        commonName: ep.api.host,
        // the Service, the active server's Service (the ingress verifies that name), each pod by its
        // headless name (Raft joins, api_addr); the standby Service is not used by any client
        dnsNames: [h.openbao, ...namesOf(ep.api), ...namesOf(ep.active), ...namesOf(ep.internal, true)],
        ipAddresses: ['127.0.0.1'],
        usages: ['serverAuth', 'clientAuth'],
        keyReadBy: 'OpenBao listener tls_key_file (go-secure-stdlib reloadutil/reload.go: crypto/tls X509KeyPair)',
      },
    ],
    secrets: [
      { name: OPENBAO_SECRETS.tls, namespace: ns, type: 'kubernetes.io/tls', description: `TLS of ${h.openbao} (ingress)`, keys: tlsKeys('openbao') },
      { name: OPENBAO_SECRETS.serverTls, namespace: ns, type: 'kubernetes.io/tls', description: 'TLS of the OpenBao listeners (clients and Raft peers)', keys: tlsKeys('openbao-server') },
    ],
  };
}
