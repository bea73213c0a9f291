import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig } from '../config';
import { PlatformChart, PlatformNamespace, podsIn } from '../constructs/k8s';
import { OPENBAO_SERVER_SELECTOR } from './openbao/openbao-server';
import { PLATFORM_NAMESPACES } from './platform-namespaces';

export interface NamespacesChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
}

/**
 * The platform's namespaces with Pod Security labels and their default-deny policies, and in each
 * the ServiceAccount OpenBao's Kubernetes auth role of the namespace binds: applied first.
 */
export class NamespacesChart extends PlatformChart {
  public readonly namespaces: readonly PlatformNamespace[];

  public constructor(scope: Construct, id: string, props: NamespacesChartProps) {
    super(scope, id, { config: props.config, component: 'kpaas-namespaces', version: props.config.versions.kpaas });
    this.namespaces = PLATFORM_NAMESPACES.map((ns) => new PlatformNamespace(this, ns.name, {
      name: ns.name,
      podSecurity: ns.podSecurity,
      kubernetesVersion: props.config.versions.kubernetes,
      openbaoClient: {
        serviceAccountName: PLATFORM.openbao.clientServiceAccount,
        podLabel: PLATFORM.openbao.clientLabel,
        servers: podsIn(PLATFORM.namespaces.openbao, OPENBAO_SERVER_SELECTOR),
        port: PLATFORM.openbao.apiPort,
      },
    }));
  }
}
