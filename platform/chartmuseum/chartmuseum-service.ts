import { platformUrl } from '../../config';
import { OPENBAO_CLIENT_ACCOUNT, PodSecurityLevel } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { NFS_STORAGE_CLASSES } from '../nfs-storage/nfs-storage-names';
import { ChartmuseumChart } from './chartmuseum-chart';
import { CHARTMUSEUM_CONNECTIONS } from './chartmuseum-connections';
import { CHARTMUSEUM_ENDPOINTS, CHARTMUSEUM_IMAGE, CHARTMUSEUM_NAMESPACE } from './chartmuseum-names';
import { chartmuseumSecrets } from './chartmuseum-secrets';

/** ChartMuseum: the Helm chart repository K-PaaS runs beside Harbor, at chartmuseum.<domain>. */
export const CHARTMUSEUM: PlatformService = {
  name: 'chartmuseum',
  title: 'ChartMuseum',
  manifest: '60-chartmuseum',
  namespace: { name: CHARTMUSEUM_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: (config) => [{ name: config.hosts.chartmuseum, reach: `\`${platformUrl(config.hosts.chartmuseum)}\` (\`helm repo add\`, basic auth)` }],
  endpoints: CHARTMUSEUM_ENDPOINTS,
  secrets: chartmuseumSecrets,
  openbao: { boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT] },
  connections: () => CHARTMUSEUM_CONNECTIONS,
  images: () => [CHARTMUSEUM_IMAGE],
  chart: (scope, { config, connections }) => new ChartmuseumChart(scope, CHARTMUSEUM.manifest, { config, connections, storageClass: NFS_STORAGE_CLASSES.shared }),
};
