import type { PlatformConfig } from '../../config';
import { INGRESS_KEY_READER, ingressCertificate, SecretCatalog, serviceDnsNames, tlsKeys } from '../../constructs/secret-spec';
import { OPENBAO_NAMESPACE, OPENBAO_SECRETS } from './openbao-names';

export function openbaoSecrets(config: PlatformConfig): SecretCatalog {
  const h = config.hosts;
  const ns = OPENBAO_NAMESPACE;
  return {
    certificates: [
      // also nginx's client certificate towards the OpenBao listener (proxy-ssl-secret)
      { ...ingressCertificate('openbao', h.openbao), keyReadBy: `${INGRESS_KEY_READER}; nginx proxy_ssl_certificate_key (src/event/ngx_event_openssl.c: PEM_read_bio_PrivateKey)` },
      {
        // the listener of every OpenBao server: clients through the Service, Raft peers by pod name
        name: 'openbao-server',
        commonName: `openbao.${ns}.svc`,
        dnsNames: [h.openbao, ...serviceDnsNames('openbao', ns), ...serviceDnsNames('openbao-active', ns), ...serviceDnsNames('*.openbao-internal', ns)],
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
