import { Construct } from 'constructs';
import { INGRESS_PORTS, ingressPlacement, mirrorImage, PLATFORM, type PlatformConfig } from '../../config';
import { ENVOY_GATEWAY_LISTENER_PORTS } from '../../config/contracts/envoy-gateway';
import type { Connection } from '../../config/contracts/connections';
import { egressRules, gvkRef } from '../../constructs/k8s';
import {
  EnvoyProxy,
  EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesLimits,
  EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesRequests,
  EnvoyProxySpecProviderKubernetesEnvoyPdbMinAvailable,
  EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy,
  EnvoyProxySpecProviderKubernetesEnvoyServiceType,
  EnvoyProxySpecProviderType,
} from '../../imports/gateway.envoyproxy.io';
import {
  Gateway,
  GatewayClass,
  GatewaySpecAllowedListenersNamespacesFrom,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
} from '../../imports/gateway.networking.k8s.io';
import { IntOrString, KubeNetworkPolicy } from '../../imports/k8s';
import { ENVOY_GATEWAY_CONTROLLER_NAME, ENVOY_GATEWAY_NAMESPACE, ENVOY_GATEWAY_NAMES, ENVOY_PROXY_IMAGE } from './envoy-gateway-names';

export interface EnvoyGatewayProxyProps {
  readonly config: PlatformConfig;
  /** Every connection of the platform: the proxies' egress follows those made from the ingress. */
  readonly connections: readonly Connection[];
  /** Namespaces whose ListenerSets may attach HTTPS listeners to the Gateway (the services with hosts). */
  readonly listenerNamespaces: readonly string[];
}

/** Envoy proxy replicas: two where the workers allow, so a drained worker keeps the ingress up. */
export function proxyReplicas(config: PlatformConfig): number {
  return Math.min(2, config.nodes.workers.nodes.length);
}

/**
 * The platform's Gateway and what the proxies need to serve it:
 * - an EnvoyProxy (the GatewayClass's parameters): the pinned proxy image, replicas with a
 *   budget, and a LoadBalancer Service that MetalLB gives the ingress IP (the ingress pool is
 *   offered only to this namespace; the annotation asks for the address, as kubespray's
 *   ingress-nginx addon does) with the NodePorts the worker load balancer targets, set by a
 *   strategic-merge patch on the Service's ports (Envoy Gateway names them `<protocol>-<port>`,
 *   ENVOY_GATEWAY_LISTENER_PORTS) and externalTrafficPolicy Cluster, so every
 *   worker answers on them as under ingress-nginx;
 * - the GatewayClass of Envoy Gateway's controller, and the Gateway with the plain-HTTP listener
 *   and the HTTPRoute that redirects it to HTTPS; the HTTPS listeners are the services'
 *   ListenerSets (constructs/k8s/platform-ingress.ts), admitted from their namespaces only;
 * - the proxies' NetworkPolicy: HTTP and HTTPS from anywhere (they are the platform's edge),
 *   egress for the connections made from the ingress (to the services and the controller's xDS).
 */
export class EnvoyGatewayProxy extends Construct {
  public readonly envoyProxy: EnvoyProxy;
  public readonly gatewayClass: GatewayClass;
  public readonly gateway: Gateway;
  public readonly httpsRedirect: HttpRoute;
  public readonly networkPolicy: KubeNetworkPolicy;

  public constructor(scope: Construct, id: string, props: EnvoyGatewayProxyProps) {
    super(scope, id);
    const { config } = props;
    const names = ENVOY_GATEWAY_NAMES;
    const placement = ingressPlacement(config);
    const replicas = proxyReplicas(config);
    const portName = ENVOY_GATEWAY_LISTENER_PORTS.serviceName;
    this.envoyProxy = new EnvoyProxy(this, 'envoy-proxy', {
      metadata: { name: names.envoyProxy },
      spec: {
        provider: {
          type: EnvoyProxySpecProviderType.KUBERNETES,
          kubernetes: {
            envoyDeployment: {
              replicas,
              container: {
                image: mirrorImage(ENVOY_PROXY_IMAGE, config.images.mirrors),
                resources: {
                  requests: {
                    cpu: EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesRequests.fromString('100m'),
                    memory: EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesRequests.fromString('128Mi'),
                  },
                  limits: { memory: EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesLimits.fromString('1Gi') },
                },
              },
            },
            ...(replicas > 1 ? { envoyPdb: { minAvailable: EnvoyProxySpecProviderKubernetesEnvoyPdbMinAvailable.fromNumber(1) } } : {}),
            envoyService: {
              type: EnvoyProxySpecProviderKubernetesEnvoyServiceType.LOAD_BALANCER,
              externalTrafficPolicy: EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy.CLUSTER,
              annotations: { [PLATFORM.metallb.ipAnnotation]: config.ingress.ip },
              patch: {
                type: 'StrategicMerge',
                value: {
                  spec: {
                    ports: [
                      { name: portName('HTTP', INGRESS_PORTS.http), port: INGRESS_PORTS.http, protocol: 'TCP', nodePort: config.ingress.httpNodePort },
                      { name: portName('HTTPS', INGRESS_PORTS.https), port: INGRESS_PORTS.https, protocol: 'TCP', nodePort: config.ingress.httpsNodePort },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    });

    this.gatewayClass = new GatewayClass(this, 'gateway-class', {
      metadata: { name: names.gatewayClass },
      spec: {
        controllerName: ENVOY_GATEWAY_CONTROLLER_NAME,
        // the EnvoyProxy above, by the group and kind of its binding
        parametersRef: { ...gvkRef(EnvoyProxy.GVK), name: names.envoyProxy, namespace: ENVOY_GATEWAY_NAMESPACE },
      },
    });

    this.gateway = new Gateway(this, 'gateway', {
      metadata: { name: names.gateway },
      spec: {
        gatewayClassName: names.gatewayClass,
        listeners: [{
          name: names.httpListener,
          port: INGRESS_PORTS.http,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
        }],
        allowedListeners: {
          namespaces: {
            from: GatewaySpecAllowedListenersNamespacesFrom.SELECTOR,
            selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...props.listenerNamespaces] }] },
          },
        },
      },
    });

    // every plain-HTTP request to HTTPS on the same host (nginx's ssl-redirect answers 308 too)
    this.httpsRedirect = new HttpRoute(this, 'https-redirect', {
      metadata: { name: names.httpsRedirect },
      spec: {
        parentRefs: [{ ...gvkRef(Gateway.GVK), name: names.gateway, sectionName: names.httpListener }],
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_308 },
          }],
        }],
      },
    });

    this.networkPolicy = new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: `${names.gateway}-proxy` },
      spec: {
        podSelector: { matchLabels: { ...placement.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [placement.ports.http, placement.ports.https].map((p) => ({ protocol: 'TCP', port: IntOrString.fromNumber(p) })) }],
        egress: egressRules(props.connections.filter((x) => x.from.kind === 'ingress-controller'), ENVOY_GATEWAY_NAMESPACE, config),
      },
    });
  }
}
