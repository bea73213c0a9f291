import type { PlatformConfig } from '../../config';
import { ingressCertificate, pw, SecretCatalog, tlsKeys } from '../../constructs/secret-spec';
import { CHARTMUSEUM_NAMESPACE, CHARTMUSEUM_SECRETS } from './chartmuseum-names';

export function chartmuseumSecrets(config: PlatformConfig): SecretCatalog {
  const h = config.hosts;
  const ns = CHARTMUSEUM_NAMESPACE;
  return {
    certificates: [ingressCertificate('chartmuseum', h.chartmuseum)],
    secrets: [
      { name: CHARTMUSEUM_SECRETS.tls, namespace: ns, type: 'kubernetes.io/tls', description: `TLS of ${h.chartmuseum}`, keys: tlsKeys('chartmuseum') },
      { name: CHARTMUSEUM_SECRETS.auth, namespace: ns, type: 'Opaque', description: 'ChartMuseum basic auth', keys: { username: { kind: 'literal', value: 'admin' }, password: pw() } },
    ],
  };
}
