import { VERSIONS } from '../../config';
import { ServiceAddress } from '../../constructs/k8s/service-endpoint';

/** Names other programs and services know chartmuseum by: its namespace, Secrets and Service. */

/** ChartMuseum's namespace. */
export const CHARTMUSEUM_NAMESPACE = 'chartmuseum';

/** ChartMuseum's Secrets, by name (made by `kpaas secrets`). */
export const CHARTMUSEUM_SECRETS = {
  tls: 'chartmuseum-tls',
  auth: 'chartmuseum-auth',
} as const;

/** ChartMuseum's image. */
export const CHARTMUSEUM_IMAGE = `ghcr.io/helm/chartmuseum:${VERSIONS.chartmuseum}`;

/** ChartMuseum's in-cluster Service: its only client is the ingress controller. */
export const CHARTMUSEUM_ENDPOINTS = {
  server: new ServiceAddress({ name: 'chartmuseum', namespace: CHARTMUSEUM_NAMESPACE, ports: [{ name: 'http', port: 8080 }] }),
} as const;
