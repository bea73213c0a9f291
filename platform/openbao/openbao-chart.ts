import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, VERSIONS } from '../../config';
import { PlatformChart, PlatformIngress, podsIn } from '../../constructs/k8s';
import { OpenbaoAgentInjector } from './openbao-agent-injector';
import { databaseSelector, OPENBAO_DATABASES } from './openbao-config';
import { OpenbaoServer } from './openbao-server';
import type { KubeStorageClass } from '../../imports/k8s';
import { SECRET_NAMES } from '../../secrets/catalog';

const NAME = 'openbao';
/** Each server's Raft volume: the seed's openbao-pvc size. */
const DATA_SIZE = '5Gi';

export interface OpenbaoChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** StorageClass of the servers' Raft volumes: the platform's Retain class. */
  readonly dataStorageClass: KubeStorageClass;
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
    const namespace = PLATFORM.namespaces.openbao;
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.openbao, namespace });
    const { config } = props;

    this.server = new OpenbaoServer(this, 'server', {
      config,
      replicas: config.openbao.replicas,
      storageClass: props.dataStorageClass,
      dataSize: DATA_SIZE,
      tlsSecretName: SECRET_NAMES.openbaoServerTls,
      databases: OPENBAO_DATABASES.map((db) => podsIn(db.namespace, databaseSelector(db))),
    });

    this.injector = new OpenbaoAgentInjector(this, 'injector', {
      config,
      openbaoAddress: `https://${this.server.service.name}.${namespace}.svc:${this.server.apiPort}`,
      caSecret: { name: SECRET_NAMES.openbaoServerTls, key: 'ca.crt' },
    });

    const activeHost = `${this.server.activeService.name}.${namespace}.svc`;
    this.ingress = new PlatformIngress(this, 'ingress', {
      name: NAME,
      host: config.hosts.openbao,
      tlsSecretName: SECRET_NAMES.openbaoTls,
      // To the active server only: it answers every request itself (a standby would forward it
      // over the cluster port), and sealed servers never get external traffic. The listener
      // speaks only TLS, so nginx re-encrypts and verifies the server against the platform CA
      // (ca.crt of the ingress certificate's Secret) under the Service name the certificate holds.
      routes: [{ path: '/', service: this.server.activeService, port: this.server.apiPort }],
      annotations: {
        'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
        'nginx.ingress.kubernetes.io/proxy-ssl-secret': `${namespace}/${SECRET_NAMES.openbaoTls}`,
        'nginx.ingress.kubernetes.io/proxy-ssl-verify': 'on',
        'nginx.ingress.kubernetes.io/proxy-ssl-name': activeHost,
        'nginx.ingress.kubernetes.io/proxy-ssl-server-name': 'on',
        'nginx.ingress.kubernetes.io/proxy-ssl-protocols': 'TLSv1.2 TLSv1.3',
      },
    });
  }
}
