import { PLATFORM, VERSIONS } from '../../config';
import { podsIn } from '../../constructs/k8s/network-peers';
import { ServiceAddress } from '../../constructs/k8s/service-endpoint';
import type { NetworkPolicyPeer } from '../../imports/k8s';

/** Names other programs and services know openbao by: its namespace and its Secrets. */

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

/** OpenBao's in-cluster addresses: the API of any server, and of the active one (TLS). */
export const OPENBAO_ENDPOINTS = {
  api: new ServiceAddress({ name: 'openbao', namespace: OPENBAO_NAMESPACE, scheme: 'https', ports: [{ name: 'https', port: PLATFORM.openbao.apiPort }] }),
  active: new ServiceAddress({ name: 'openbao-active', namespace: OPENBAO_NAMESPACE, scheme: 'https', ports: [{ name: 'https', port: PLATFORM.openbao.apiPort }] }),
} as const;

/**
 * OpenBao's servers as a peer of a database's policy: its database secrets engine connects to the
 * databases the services hand it (their descriptors' `openbao.databases`).
 */
export const OPENBAO_DATABASE_CLIENT: NetworkPolicyPeer = podsIn(OPENBAO_NAMESPACE, { 'app.kubernetes.io/name': 'openbao' });
