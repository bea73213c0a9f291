import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig } from '../config';
import { PlatformChart, PlatformNamespace, podsIn } from '../constructs/k8s';
import { OPENBAO_SERVER_SELECTOR } from './openbao/openbao-server';
import type { PlatformService } from '../constructs/platform-service';
import { OPENBAO_NAMESPACE } from './openbao/openbao-names';
import { serviceNamespaces } from './registry';

export interface NamespacesChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** The services, in apply order: each declared namespace is made, with the OpenBao client path where the service binds its account. */
  readonly services: readonly PlatformService[];
}

/**
 * The platform's namespaces with Pod Security labels and their default-deny policies, and in each
 * the ServiceAccount OpenBao's Kubernetes auth role of the namespace binds: applied first.
 */
export class NamespacesChart extends PlatformChart {
  public readonly namespaces: readonly PlatformNamespace[];

  public constructor(scope: Construct, id: string, props: NamespacesChartProps) {
    super(scope, id, { config: props.config, component: 'kpaas-namespaces', version: props.config.versions.kpaas });
    serviceNamespaces(props.services); // one service per namespace
    this.namespaces = props.services.flatMap((service) => {
      const ns = service.namespace;
      if (!ns) return [];
      const client = (service.openbao?.boundServiceAccounts ?? []).includes(PLATFORM.openbao.clientServiceAccount);
      return [new PlatformNamespace(this, ns.name, {
        name: ns.name,
        podSecurity: ns.podSecurity,
        kubernetesVersion: props.config.versions.kubernetes,
        ...(client ? {
          openbaoClient: {
            serviceAccountName: PLATFORM.openbao.clientServiceAccount,
            podLabel: PLATFORM.openbao.clientLabel,
            servers: podsIn(OPENBAO_NAMESPACE, OPENBAO_SERVER_SELECTOR),
            port: PLATFORM.openbao.apiPort,
          },
        } : {}),
      })];
    });
  }
}
