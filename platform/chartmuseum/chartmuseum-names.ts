import { VERSIONS } from '../../config';

/** Names other programs and services know chartmuseum by: its namespace and its Secrets. */

/** ChartMuseum's namespace. */
export const CHARTMUSEUM_NAMESPACE = 'chartmuseum';

/** ChartMuseum's Secrets, by name (made by `kpaas secrets`). */
export const CHARTMUSEUM_SECRETS = {
  tls: 'chartmuseum-tls',
  auth: 'chartmuseum-auth',
} as const;

/** ChartMuseum's image. */
export const CHARTMUSEUM_IMAGE = `ghcr.io/helm/chartmuseum:${VERSIONS.chartmuseum}`;
