import type { Construct } from 'constructs';
import { ingressPlacement, PLATFORM, PlatformConfig } from '../../config';
import { releaseTrack } from '../../config/tracks';
import { PlatformChart } from '../../constructs/k8s';
import { IpAddressPool, L2Advertisement } from '../../imports/metallb.io';

/** The auto-assigned addresses: the seed's pool and the configured extra ranges. */
export function metallbAddresses(config: PlatformConfig): string[] {
  return [config.metallb.pool, ...config.metallb.extraRanges];
}

export interface MetallbChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
}

/**
 * MetalLB's address configuration (the controller and speakers come from dist/ansible's
 * playbooks/metallb.yml, or from the K-PaaS installer): the seed's pool with auto-assign; a pool
 * holding only the ingress IP, given only to Services of the ingress controller's namespace; and an
 * L2 advertisement of both from the workers, the only nodes whose ports may carry these addresses.
 *
 * The ingress pool is auto-assigned but restricted to that namespace (MetalLB v0.14.9
 * internal/allocator/allocator.go: a pool with `serviceAllocation` is offered only to the Services
 * it matches, and to them first), so the controller's Service gets the ingress IP whether or not it
 * asks for it: kubespray's addon annotates it, the K-PaaS installer's ingress-nginx manifest does not,
 * and Envoy Gateway's proxy Service is named by the controller.
 */
export class MetallbChart extends PlatformChart {
  public readonly defaultPool: IpAddressPool;
  public readonly ingressPool: IpAddressPool;
  public readonly l2Advertisement: L2Advertisement;

  public constructor(scope: Construct, id: string, props: MetallbChartProps) {
    super(scope, id, { config: props.config, component: 'metallb', version: releaseTrack(props.config.versions.track).metallb, namespace: PLATFORM.metallb.namespace });
    const { config } = props;
    this.defaultPool = new IpAddressPool(this, 'default-pool', {
      metadata: { name: PLATFORM.metallb.defaultPool },
      spec: { addresses: metallbAddresses(config), autoAssign: true },
    });
    const ingress = ingressPlacement(config);
    this.ingressPool = new IpAddressPool(this, 'ingress-pool', {
      metadata: { name: ingress.pool },
      spec: {
        addresses: [`${config.ingress.ip}/32`],
        autoAssign: true,
        serviceAllocation: { namespaces: [ingress.namespace] },
      },
    });
    this.l2Advertisement = new L2Advertisement(this, 'l2', {
      metadata: { name: PLATFORM.metallb.l2Advertisement },
      spec: {
        ipAddressPools: [this.defaultPool.name, this.ingressPool.name],
        nodeSelectors: [{
          matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: config.nodes.workers.nodes.map((n) => n.name) }],
        }],
      },
    });
  }
}
