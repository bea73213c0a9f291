import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, VERSIONS } from '../config';
import { PlatformChart } from '../constructs/k8s';
import { IpAddressPool, L2Advertisement } from '../imports/metallb.io';

export interface MetallbChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
}

/**
 * MetalLB's address configuration (the controller and speakers are kubespray's addon): the
 * seed's pool with auto-assign, a pool holding only the ingress IP that only a Service asking for
 * it gets, and an L2 advertisement of both from the workers, where the speakers run.
 */
export class MetallbChart extends PlatformChart {
  public readonly defaultPool: IpAddressPool;
  public readonly ingressPool: IpAddressPool;
  public readonly l2Advertisement: L2Advertisement;

  public constructor(scope: Construct, id: string, props: MetallbChartProps) {
    super(scope, id, { config: props.config, component: 'metallb', version: VERSIONS.metallb, namespace: PLATFORM.metallb.namespace });
    const { config } = props;
    this.defaultPool = new IpAddressPool(this, 'default-pool', {
      metadata: { name: PLATFORM.metallb.defaultPool },
      spec: { addresses: [config.metallb.pool, ...config.metallb.extraRanges], autoAssign: true },
    });
    this.ingressPool = new IpAddressPool(this, 'ingress-pool', {
      metadata: { name: PLATFORM.metallb.ingressPool },
      spec: { addresses: [`${config.ingress.ip}/32`], autoAssign: false },
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
