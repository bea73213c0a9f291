import { PLATFORM, VERSIONS } from '../../config';
import { OPENBAO_INJECTOR } from '../../config/contracts/openbao-injector-env';
import { selectorLabels } from '../../constructs/k8s/labels';
import { ServiceAddress } from '../../constructs/k8s/service-endpoint';

/** Names other programs and services know openbao by: its namespace, Secrets, pods and Services. */

/** OpenBao's namespace. */
export const OPENBAO_NAMESPACE = 'openbao';

/** OpenBao's Secrets, by name (made by `kpaas secrets`). */
export const OPENBAO_SECRETS = {
  /** The ingress's certificate for openbao.<domain>, also nginx's client certificate towards the listeners. */
  tls: 'openbao-tls',
  /** The listener of every server. */
  serverTls: 'openbao-server-tls',
} as const;

/** OpenBao's images: the server (also the agent the injector adds to pods) and the injector. */
export const OPENBAO_IMAGES = {
  server: `quay.io/openbao/openbao:${VERSIONS.openbao.replace(/^v/, '')}`,
  injector: `docker.io/hashicorp/vault-k8s:${VERSIONS.openbaoAgentInjector}`,
} as const;

/** Labels of the server pods (the peer of every OpenBao client's egress). */
export const OPENBAO_SERVER_SELECTOR: Readonly<Record<string, string>> = selectorLabels('openbao', 'server');
/** Labels of the agent injector's pods. */
export const OPENBAO_INJECTOR_SELECTOR: Readonly<Record<string, string>> = selectorLabels('openbao-agent-injector', 'webhook');

/** The servers' API (clients, Raft joins) and cluster (forwarding, replication) ports. */
const api = { name: 'https', port: PLATFORM.openbao.apiPort };
const cluster = { name: 'https-internal', port: 8201 };

/**
 * OpenBao's in-cluster addresses (TLS): the API of any unsealed server, of the active one, of the
 * standbys; the headless Service that names every server pod, ready or not (Raft joins, cluster
 * traffic); and the injector's webhook.
 */
export const OPENBAO_ENDPOINTS = {
  api: new ServiceAddress({ name: 'openbao', namespace: OPENBAO_NAMESPACE, scheme: 'https', ports: [api] }),
  active: new ServiceAddress({ name: 'openbao-active', namespace: OPENBAO_NAMESPACE, scheme: 'https', ports: [api] }),
  standby: new ServiceAddress({ name: 'openbao-standby', namespace: OPENBAO_NAMESPACE, scheme: 'https', ports: [api] }),
  internal: new ServiceAddress({ name: 'openbao-internal', namespace: OPENBAO_NAMESPACE, scheme: 'https', ports: [api, cluster] }),
  injector: new ServiceAddress({ name: 'openbao-agent-injector-svc', namespace: OPENBAO_NAMESPACE, scheme: 'https', ports: [{ name: 'https', port: 443, targetPort: OPENBAO_INJECTOR.listenPort.value }] }),
} as const;

