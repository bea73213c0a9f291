import type { Construct } from 'constructs';
import { PlatformConfig, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { PlatformChart } from '../../constructs/k8s';
import { EnvoyGatewayController } from './envoy-gateway-controller';
import { ENVOY_GATEWAY_APP, ENVOY_GATEWAY_NAMESPACE } from './envoy-gateway-names';
import { EnvoyGatewayProxy } from './envoy-gateway-proxy';

export interface EnvoyGatewayChartProps {
  readonly config: PlatformConfig;
  readonly connections: readonly Connection[];
  /** Namespaces whose hosts attach HTTPS listeners to the platform Gateway. */
  readonly listenerNamespaces: readonly string[];
}

/**
 * Envoy Gateway v1.9.0 (`ingress.controller: envoy-gateway`): its controller, and the platform's
 * Gateway with the proxies it deploys. The CRDs it needs come before this chart, as the pinned
 * upstream files (envoy-gateway-crds.ts).
 */
export class EnvoyGatewayChart extends PlatformChart {
  public readonly controller: EnvoyGatewayController;
  public readonly proxy: EnvoyGatewayProxy;

  public constructor(scope: Construct, id: string, props: EnvoyGatewayChartProps) {
    super(scope, id, { config: props.config, component: ENVOY_GATEWAY_APP, version: VERSIONS.envoyGateway, namespace: ENVOY_GATEWAY_NAMESPACE });
    this.controller = new EnvoyGatewayController(this, 'controller', { config: props.config, connections: props.connections });
    this.proxy = new EnvoyGatewayProxy(this, 'proxy', { config: props.config, connections: props.connections, listenerNamespaces: props.listenerNamespaces });
  }
}
