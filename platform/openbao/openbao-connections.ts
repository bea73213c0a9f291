import { API, Connection, INGRESS, Peer, podsPeer } from '../../config/contracts/connections';
import type { UpstreamFile } from '../../config/contracts/images';
import { PLATFORM } from '../../config/platform';
import { VERSIONS } from '../../config/versions';
import { OPENBAO_ENDPOINTS, OPENBAO_INJECTOR_SELECTOR, OPENBAO_NAMESPACE, OPENBAO_SERVER_SELECTOR } from './openbao-names';

const openbaoSrc = (path: string, note?: string): UpstreamFile => ({ repo: 'openbao/openbao', ref: VERSIONS.openbao, path, ...(note ? { note } : {}) });

/** OpenBao's server pods. */
export const OPENBAO_SERVER_PEER: Peer = podsPeer(OPENBAO_NAMESPACE, { ...OPENBAO_SERVER_SELECTOR });
/** The agent injector's pods. */
export const OPENBAO_INJECTOR_PEER: Peer = podsPeer(OPENBAO_NAMESPACE, { ...OPENBAO_INJECTOR_SELECTOR });

/** The ports the traffic arrives on: the containers' (Calico matches after kube-proxy's DNAT). */
const API_PORT = OPENBAO_ENDPOINTS.internal.port('https').targetPort;
const CLUSTER_PORT = OPENBAO_ENDPOINTS.internal.port('https-internal').targetPort;
const WEBHOOK_PORT = OPENBAO_ENDPOINTS.injector.port('https').targetPort;

/** The connections OpenBao's servers and injector make, and those made to them from anywhere. */
export const OPENBAO_CONNECTIONS: readonly Connection[] = [
  {
    component: 'openbao', name: 'openbao -> openbao (api)', from: OPENBAO_SERVER_PEER, to: OPENBAO_SERVER_PEER, port: API_PORT, protocol: 'TCP',
    why: 'retry_join: a server joins the Raft cluster through the leader\'s API address',
    opens: openbaoSrc('vault/raft.go', 'JoinRaftCluster contacts leader_api_addr'),
  },
  {
    component: 'openbao', name: 'openbao -> openbao (cluster)', from: OPENBAO_SERVER_PEER, to: OPENBAO_SERVER_PEER, port: CLUSTER_PORT, protocol: 'TCP',
    why: 'Raft replication and request forwarding between servers (cluster_address)',
    opens: openbaoSrc('vault/cluster/cluster.go'),
  },
  {
    component: 'openbao', name: 'openbao -> kube-apiserver', from: OPENBAO_SERVER_PEER, to: API, port: PLATFORM.apiServerPort, protocol: 'TCP',
    why: 'Kubernetes auth method (TokenReview) and service registration (labels its own pod active/standby)',
    opens: openbaoSrc('serviceregistration/kubernetes/service_registration.go', 'and builtin/credential/kubernetes/backend.go (TokenReview)'),
  },
  {
    // 'any pod' admits the ingress controller's pods too, but the proxies of Envoy Gateway have an
    // egress policy of their own, built from the connections made from the ingress controller
    component: 'openbao', name: 'ingress -> openbao', from: INGRESS, to: OPENBAO_SERVER_PEER, port: API_PORT, protocol: 'TCP',
    why: 'the UI and API at openbao.<domain>: the ingress controller proxies to the active server over TLS (verified against the OpenBao CA)',
    opens: { unverified: 'the ingress controller proxies to the Service\'s backends (our route, platform/openbao/openbao-chart.ts); no upstream program decides it' },
  },
  {
    component: 'openbao', name: 'any pod -> openbao', from: { kind: 'any-pod' }, to: OPENBAO_SERVER_PEER, port: API_PORT, protocol: 'TCP',
    why: 'injected agents and applications of any namespace log in and read secrets',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'agent-inject/agent/agent.go', note: 'the agent talks to AGENT_INJECT_VAULT_ADDR' },
  },
  {
    component: 'openbao', name: 'kube-apiserver -> openbao-agent-injector', from: API, to: OPENBAO_INJECTOR_PEER, port: WEBHOOK_PORT, protocol: 'TCP',
    why: 'the mutating admission webhook: the API server calls the injector for every pod it creates',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'subcommand/injector/command.go', note: 'listens on AGENT_INJECT_LISTEN' },
  },
  {
    component: 'openbao', name: 'openbao-agent-injector -> kube-apiserver', from: OPENBAO_INJECTOR_PEER, to: API, port: PLATFORM.apiServerPort, protocol: 'TCP',
    why: 'patches its MutatingWebhookConfiguration\'s CA, watches it (informer), holds the leader lock',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'subcommand/injector/command.go' },
  },
];

/**
 * The path a platform namespace provides for pods that log in to OpenBao: pods with the client
 * label (PLATFORM.openbao.clientLabel) reach the servers' API.
 */
export function openbaoClientConnections(namespace: string): Connection[] {
  const { key, value } = PLATFORM.openbao.clientLabel;
  return [{
    component: 'openbao',
    name: `${namespace} openbao clients -> openbao`,
    from: {
      kind: 'pods', namespace, labels: { [key]: value },
      hypothetical: `no platform pod logs in to OpenBao itself; each platform namespace provides the ${PLATFORM.openbao.clientServiceAccount} account and label for pods that do (PLATFORM.openbao.clientLabel)`,
    },
    to: OPENBAO_SERVER_PEER, port: API_PORT, protocol: 'TCP',
    why: 'a pod of a platform namespace with the OpenBao client label logs in with Kubernetes auth (its injected agent, or its own client)',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'agent-inject/agent/agent.go', note: 'the injected agent talks to AGENT_INJECT_VAULT_ADDR' },
  }];
}
