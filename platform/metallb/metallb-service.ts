import { ingressPlacement, PLATFORM } from '../../config';
import type { PlatformService } from '../../constructs/platform-service';
import { metallbAddresses, MetallbChart } from './metallb-chart';

/**
 * MetalLB's address pools and L2 advertisement. Its controller and speakers come from the cluster
 * layer (dist/ansible's playbooks/metallb.yml), which creates its namespace too.
 */
export const METALLB: PlatformService = {
  name: 'metallb',
  title: 'MetalLB',
  manifest: '10-metallb',
  externalNamespace: PLATFORM.metallb.namespace,
  hosts: () => [],
  reach: (config) => {
    const pools = metallbAddresses(config).join(', ');
    return `assigns LoadBalancer IPs from ${pools} (pool \`${PLATFORM.metallb.defaultPool}\`); holds \`${config.ingress.ip}\` for the ingress controller (pool \`${ingressPlacement(config).pool}\`), layer 2`;
  },
  storage: () => 'none',
  endpoints: {},
  secrets: () => ({ certificates: [], secrets: [] }),
  connections: () => [],
  images: () => [],
  chart: (scope, { config }) => new MetallbChart(scope, METALLB.manifest, { config }),
};
