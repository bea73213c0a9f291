import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PlatformConfig, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { PlatformChart, PlatformIngress } from '../../constructs/k8s';
import { OpenbaoAgentInjector } from './openbao-agent-injector';
import { OpenbaoServer } from './openbao-server';
import { OPENBAO_ENDPOINTS, OPENBAO_NAMESPACE, OPENBAO_SECRETS } from './openbao-names';

const NAME = 'openbao';
/** Each server's Raft volume: the seed's openbao-pvc size. */
const DATA_SIZE = '5Gi';

export interface OpenbaoChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** StorageClass of the servers' Raft volumes: the platform's Retain class. */
  readonly dataStorageClass: StorageClassRef;
  /**
   * Every connection of the platform: the policies admit those made to the servers and the
   * injector and open those they make (the databases' owners declare OpenBao's connections to them).
   */
  readonly connections: readonly Connection[];
}

/**
 * OpenBao, the seed's secrets management: an HA Raft cluster of `openbao.replicas` servers with TLS
 * from the platform certificates, the UI behind the ingress at openbao.<domain>, and the agent
 * injector. Initialisation, unsealing and the post-initialisation configuration (the
 * openbao-config Terraform stack) are operator steps (docs/openbao.md).
 */
export class OpenbaoChart extends PlatformChart {
  public readonly server: OpenbaoServer;
  public readonly injector: OpenbaoAgentInjector;
  public readonly ingress: PlatformIngress;

  public constructor(scope: Construct, id: string, props: OpenbaoChartProps) {
    const namespace = OPENBAO_NAMESPACE;
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.openbao, namespace });
    const { config } = props;

    this.server = new OpenbaoServer(this, 'server', {
      config,
      replicas: config.openbao.replicas,
      storageClass: props.dataStorageClass,
      dataSize: DATA_SIZE,
      tlsSecretName: OPENBAO_SECRETS.serverTls,
      connections: props.connections,
    });

    this.injector = new OpenbaoAgentInjector(this, 'injector', {
      config,
      connections: props.connections,
      openbaoAddress: OPENBAO_ENDPOINTS.api.url('https'),
      caSecret: { name: OPENBAO_SECRETS.serverTls, key: 'ca.crt' },
    });

    const active = this.server.activeService;
    this.ingress = new PlatformIngress(this, 'ingress', {
      controller: config.ingress.controller,
      name: NAME,
      host: config.hosts.openbao,
      tlsSecretName: OPENBAO_SECRETS.tls,
      // To the active server only: it answers every request itself (a standby would forward it
      // over the cluster port), and sealed servers never get external traffic. The listener
      // speaks only TLS, so the proxy re-encrypts and verifies the server against the platform CA
      // (ca.crt of the ingress certificate's Secret) under the Service name the certificate holds.
      routes: [{ path: '/', service: active.service, port: active.port('https').port }],
      traffic: { backendTls: { caSecret: OPENBAO_SECRETS.tls, serverName: active.host } },
    });
  }
}
