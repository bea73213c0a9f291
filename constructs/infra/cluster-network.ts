import { Construct } from 'constructs';
import { DataOpenstackNetworkingNetworkV2 } from '../../imports/openstack/data-openstack-networking-network-v2';
import { DataOpenstackNetworkingSubnetV2 } from '../../imports/openstack/data-openstack-networking-subnet-v2';
import { NetworkingNetworkV2 } from '../../imports/openstack/networking-network-v2';
import { NetworkingRouterInterfaceV2 } from '../../imports/openstack/networking-router-interface-v2';
import { NetworkingRouterV2 } from '../../imports/openstack/networking-router-v2';
import { NetworkingSubnetV2 } from '../../imports/openstack/networking-subnet-v2';
import type { PlatformConfig } from '../../config';

export interface ClusterNetworkProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
}

/**
 * The VPC subnet the cluster lives in and the external network floating IPs come from.
 * Mode "lookup" finds the subnet made in the console by name and CIDR, as Kakao's tutorials do;
 * mode "create" makes network, subnet and a router to the external network.
 */
export class ClusterNetwork extends Construct {
  /** Id of the VPC network the subnet belongs to. */
  public readonly networkId: string;
  public readonly subnetId: string;
  /** Name of the external network: the `pool` of floating IPs. */
  public readonly externalNetworkName: string;

  public constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    const { network } = props.config;
    const external = new DataOpenstackNetworkingNetworkV2(this, 'external', {
      external: true,
      ...(network.externalNetwork ? { name: network.externalNetwork } : {}),
    });
    this.externalNetworkName = external.name;

    if (network.mode === 'lookup') {
      const subnet = new DataOpenstackNetworkingSubnetV2(this, 'subnet', {
        name: network.subnet.name,
        cidr: network.subnet.cidr,
        ipVersion: 4,
      });
      this.subnetId = subnet.id;
      this.networkId = subnet.networkId;
      return;
    }

    const net = new NetworkingNetworkV2(this, 'Resource', { name: network.vpc.name, adminStateUp: true });
    const subnet = new NetworkingSubnetV2(this, 'subnet', {
      name: network.subnet.name,
      networkId: net.id,
      cidr: network.subnet.cidr,
      ipVersion: 4,
      enableDhcp: true,
      ...(network.subnet.dnsServers.length > 0 ? { dnsNameservers: [...network.subnet.dnsServers] } : {}),
    });
    const router = new NetworkingRouterV2(this, 'router', {
      name: `${props.config.name}-router`,
      adminStateUp: true,
      externalNetworkId: external.id,
    });
    new NetworkingRouterInterfaceV2(this, 'router-interface', { routerId: router.id, subnetId: subnet.id });
    this.networkId = net.id;
    this.subnetId = subnet.id;
  }
}
