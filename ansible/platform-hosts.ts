/**
 * Names the cluster's nodes must resolve before any DNS exists for them: the platform services
 * behind the ingress (the seed's manual /etc/hosts list) and the API load balancer's name.
 */
import type { PlatformConfig } from '../config';

/** Name of the API endpoint behind the master LB, as the seed's hosts list has it. */
export const API_ENDPOINT_NAME = 'cluster-endpoint';

/** The apex domain and every platform service host, in the config's order. */
export function platformHostnames(config: PlatformConfig): string[] {
  const h = config.hosts;
  return [h.apex, h.portal, h.harbor, h.keycloak, h.openbao, h.chartmuseum];
}
