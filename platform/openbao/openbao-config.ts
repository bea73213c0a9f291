/**
 * The OpenBao server configuration file, as a typed model rendered to HCL. Only what is the same
 * on every server lives in it; what differs per pod (api_addr, cluster_addr, the Raft node id)
 * comes from environment variables the StatefulSet derives from the pod's name.
 */

import type { HclBody } from '../../constructs/hcl';
import type { ServiceAddress } from '../../constructs/k8s/service-endpoint';

export interface OpenbaoServerConfigProps {
  /** Servers in the Raft cluster: every one is listed as a retry_join peer. */
  readonly replicas: number;
  /** Name of the StatefulSet: pods are `<name>-0`, `<name>-1`, ... */
  readonly statefulSetName: string;
  /**
   * The headless Service that gives each pod its DNS name: its `https` port is the API (clients,
   * Raft joins), its `https-internal` port the cluster port (forwarding, Raft replication).
   */
  readonly peers: ServiceAddress;
  /** Directory of the Raft data (the pod's own volume). */
  readonly dataPath: string;
  /** Directory holding `tls.crt`, `tls.key` and `ca.crt` of the listener. */
  readonly tlsDir: string;
}

/** The stable DNS name of a server pod (by its pod name) through the headless Service. */
export function openbaoPodHost(peers: ServiceAddress, podName: string): string {
  return `${podName}.${peers.host}`;
}

/**
 * A server pod's URL on a port of the headless Service: its container port, since a headless
 * name resolves to the pod itself, with no Service port in between.
 */
export function openbaoPodUrl(peers: ServiceAddress, podName: string, portName: string): string {
  return `${peers.scheme}://${openbaoPodHost(peers, podName)}:${peers.port(portName).targetPort}`;
}

/**
 * The configuration every server reads: the UI, one TLS listener for clients and peers, integrated
 * Raft storage that joins any reachable peer (verifying it against the platform CA), and
 * Kubernetes service registration, which labels each pod with its state (`openbao-active`,
 * `openbao-sealed`, ...) so Services can select the active server.
 */
export function openbaoServerConfig(props: OpenbaoServerConfigProps): HclBody {
  const tls = (file: string) => `${props.tlsDir}/${file}`;
  const peers = Array.from({ length: props.replicas }, (_, i) => openbaoPodUrl(props.peers, `${props.statefulSetName}-${i}`, 'https'));
  return {
    attributes: {
      ui: true,
      // mlock needs IPC_LOCK, which the restricted pod security level forbids; Raft keeps its
      // data on disk anyway, so locking memory protects little here
      disable_mlock: true,
    },
    blocks: [
      {
        type: 'listener',
        labels: ['tcp'],
        body: {
          attributes: {
            address: `0.0.0.0:${props.peers.port('https').targetPort}`,
            cluster_address: `0.0.0.0:${props.peers.port('https-internal').targetPort}`,
            tls_cert_file: tls('tls.crt'),
            tls_key_file: tls('tls.key'),
            tls_min_version: 'tls12',
          },
        },
      },
      {
        type: 'storage',
        labels: ['raft'],
        body: {
          attributes: { path: props.dataPath },
          blocks: peers.map((addr) => ({
            type: 'retry_join',
            body: { attributes: { leader_api_addr: addr, leader_ca_cert_file: tls('ca.crt') } },
          })),
        },
      },
      { type: 'service_registration', labels: ['kubernetes'], body: {} },
    ],
  };
}
