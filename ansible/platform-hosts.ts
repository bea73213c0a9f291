/**
 * Names the cluster's nodes must resolve before any DNS exists for them: the platform services
 * behind the ingress (the seed's manual /etc/hosts list) and the API load balancer's name.
 */
import type { PlatformConfig } from '../config';

/** Host labels of the platform services under the domain (portal.<domain>, ...). */
export const PLATFORM_HOST_LABELS: readonly string[] = Object.freeze(['portal', 'harbor', 'keycloak', 'openbao']);

/** Name of the API endpoint behind the master LB, as the seed's hosts list has it. */
export const API_ENDPOINT_NAME = 'cluster-endpoint';

/** The apex domain and every service host, in a stable order. */
export function platformHostnames(config: PlatformConfig): string[] {
  return [config.domain, ...PLATFORM_HOST_LABELS.map((label) => `${label}.${config.domain}`)];
}

/** The registry host CRI-O pulls platform images from. */
export function harborHost(config: PlatformConfig): string {
  return `harbor.${config.domain}`;
}
