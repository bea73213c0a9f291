import { Construct } from 'constructs';
import { LbListenerV2 } from '../../imports/openstack/lb-listener-v2';
import { LbLoadbalancerV2 } from '../../imports/openstack/lb-loadbalancer-v2';
import { LbMemberV2 } from '../../imports/openstack/lb-member-v2';
import { LbMonitorV2 } from '../../imports/openstack/lb-monitor-v2';
import { LbPoolV2 } from '../../imports/openstack/lb-pool-v2';
import { NetworkingFloatingipAssociateV2 } from '../../imports/openstack/networking-floatingip-associate-v2';
import { NetworkingFloatingipV2 } from '../../imports/openstack/networking-floatingip-v2';
import type { LoadBalancer } from '../../config';
import type { ClusterNetwork } from './cluster-network';
import type { ClusterNodeInstance } from './cluster-node';
import type { SecurityGroup } from './security-group';

/** Health-check timing shared by every pool: a member is out after about 15 s. */
const MONITOR = { delay: 5, timeout: 3, maxRetries: 3 } as const;

export interface NetworkLoadBalancerProps {
  /** Name of the load balancer in the cloud. */
  readonly name: string;
  /** VIP, listeners and whether it gets a public IP, from the resolved config. */
  readonly spec: LoadBalancer;
  /** The instances every pool forwards to. */
  readonly members: readonly ClusterNodeInstance[];
  readonly network: ClusterNetwork;
  readonly availabilityZone: string;
  /** Kakao NLB flavor id. @default the cloud's default flavor */
  readonly flavorId?: string;
  /** Security group of the VIP port. @default none (the cloud's default) */
  readonly securityGroup?: SecurityGroup;
}

/**
 * A Kakao NLB (Octavia): TCP listeners, one round-robin pool per listener with every member and
 * a health monitor, and optionally a floating IP on the VIP port.
 */
export class NetworkLoadBalancer extends Construct {
  public readonly resource: LbLoadbalancerV2;
  public readonly vip: string;
  /** The floating IP's address, when the load balancer has one. */
  public readonly publicIp?: string;

  public constructor(scope: Construct, id: string, props: NetworkLoadBalancerProps) {
    super(scope, id);
    const { spec } = props;
    if (spec.vip === undefined) throw new Error(`load balancer ${props.name}: the OpenStack stack needs a VIP (loadBalancers.${spec.role}.vip)`);
    this.vip = spec.vip;
    this.resource = new LbLoadbalancerV2(this, 'Resource', {
      name: props.name,
      vipSubnetId: props.network.subnetId,
      vipAddress: this.vip,
      availabilityZone: props.availabilityZone,
      ...(props.flavorId ? { flavorId: props.flavorId } : {}),
      ...(props.securityGroup ? { securityGroupIds: [props.securityGroup.id] } : {}),
    });
    for (const l of spec.listeners) {
      const scopeL = new Construct(this, l.name);
      const listener = new LbListenerV2(scopeL, 'listener', {
        name: `${props.name}-${l.name}`,
        loadbalancerId: this.resource.id,
        protocol: 'TCP',
        protocolPort: l.port,
      });
      const pool = new LbPoolV2(scopeL, 'pool', {
        name: `${props.name}-${l.name}`,
        listenerId: listener.id,
        protocol: 'TCP',
        lbMethod: 'ROUND_ROBIN',
      });
      const m = l.monitor;
      new LbMonitorV2(scopeL, 'monitor', {
        name: `${props.name}-${l.name}`,
        poolId: pool.id,
        type: m.type,
        ...MONITOR,
        ...(m.type === 'HTTPS' ? { urlPath: m.urlPath, expectedCodes: m.expectedCodes, httpMethod: 'GET' } : {}),
      });
      for (const member of props.members) {
        new LbMemberV2(scopeL, `member-${member.spec.name}`, {
          name: member.spec.name,
          poolId: pool.id,
          address: member.privateIp,
          protocolPort: l.targetPort,
          subnetId: props.network.subnetId,
        });
      }
    }
    if (spec.publicIp) {
      const fip = new NetworkingFloatingipV2(this, 'floating-ip', { pool: props.network.externalNetworkName, description: props.name });
      new NetworkingFloatingipAssociateV2(this, 'floating-ip-association', { floatingIp: fip.address, portId: this.resource.vipPortId });
      this.publicIp = fip.address;
    }
  }
}
