import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config';
import { PlatformChart, PlatformNamespace } from '../constructs/k8s';
import { PLATFORM_NAMESPACES } from './platform-namespaces';

export interface NamespacesChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
}

/** The platform's namespaces with Pod Security labels and their default-deny policies: applied first. */
export class NamespacesChart extends PlatformChart {
  public readonly namespaces: readonly PlatformNamespace[];

  public constructor(scope: Construct, id: string, props: NamespacesChartProps) {
    super(scope, id, { config: props.config, component: 'kpaas-namespaces', version: props.config.versions.kpaas });
    this.namespaces = PLATFORM_NAMESPACES.map((ns) => new PlatformNamespace(this, ns.name, {
      name: ns.name,
      podSecurity: ns.podSecurity,
      kubernetesVersion: props.config.versions.kubernetes,
    }));
  }
}
