import { Construct } from 'constructs';
import { ComputeInstanceV2 } from '../../imports/openstack/compute-instance-v2';
import { NetworkingFloatingipAssociateV2 } from '../../imports/openstack/networking-floatingip-associate-v2';
import { NetworkingFloatingipV2 } from '../../imports/openstack/networking-floatingip-v2';
import { NetworkingPortV2 } from '../../imports/openstack/networking-port-v2';
import type { ClusterNode } from '../../config';
import { cloudInitUserData } from './cloud-init';
import type { ClusterNetwork } from './cluster-network';
import type { SecurityGroup } from './security-group';

export interface ClusterNodeInstanceProps {
  /** The node from the resolved config: name, role, fixed IP, flavor, volume. */
  readonly node: ClusterNode;
  readonly network: ClusterNetwork;
  readonly securityGroups: readonly SecurityGroup[];
  /** Id of the boot image. */
  readonly imageId: string;
  /** Name of the key pair that may log in. */
  readonly keyPairName: string;
  readonly availabilityZone: string;
  /** Id of the server group that spreads the role over hypervisors. @default no server group */
  readonly serverGroupId?: string;
  /**
   * Extra addresses the port may send from (CIDRs). Workers answer ARP for the MetalLB pool and
   * the ingress IP, which OpenStack's port security drops unless they are allowed here.
   * @default none
   */
  readonly allowedAddresses?: readonly string[];
  /** Metadata on the instance. @default none */
  readonly metadata?: Record<string, string>;
}

/**
 * One cluster machine: a port with its fixed IP and security groups, an instance booting from a
 * volume made from the image, and optionally a floating IP on the port.
 */
export class ClusterNodeInstance extends Construct {
  /** The node this machine is, from the resolved config. */
  public readonly spec: ClusterNode;
  public readonly port: NetworkingPortV2;
  public readonly resource: ComputeInstanceV2;
  /** The floating IP's address, when the node has one. */
  public readonly publicIp?: string;

  public constructor(scope: Construct, id: string, props: ClusterNodeInstanceProps) {
    super(scope, id);
    const { node } = props;
    this.spec = node;
    this.port = new NetworkingPortV2(this, 'port', {
      name: `${node.name}-port`,
      networkId: props.network.networkId,
      adminStateUp: true,
      securityGroupIds: props.securityGroups.map((sg) => sg.id),
      fixedIp: [{ subnetId: props.network.subnetId, ipAddress: node.privateIp }],
      ...(props.allowedAddresses && props.allowedAddresses.length > 0
        ? { allowedAddressPairs: props.allowedAddresses.map((ipAddress) => ({ ipAddress })) }
        : {}),
    });
    this.resource = new ComputeInstanceV2(this, 'Resource', {
      name: node.name,
      flavorName: node.flavor,
      keyPair: props.keyPairName,
      availabilityZone: props.availabilityZone,
      userData: cloudInitUserData(node),
      network: [{ port: this.port.id }],
      blockDevice: [{
        uuid: props.imageId,
        sourceType: 'image',
        destinationType: 'volume',
        volumeSize: node.volumeSize,
        ...(node.volumeType ? { volumeType: node.volumeType } : {}),
        bootIndex: 0,
        deleteOnTermination: true,
      }],
      ...(props.serverGroupId ? { schedulerHints: [{ group: props.serverGroupId }] } : {}),
      ...(props.metadata ? { metadata: props.metadata } : {}),
      // user data only runs at first boot, and a newer image or another volume size would
      // replace a running node: neither may destroy a cluster member on a routine apply
      lifecycle: { ignoreChanges: ['user_data', 'block_device'] },
    });
    if (node.publicIp) {
      const fip = new NetworkingFloatingipV2(this, 'floating-ip', {
        pool: props.network.externalNetworkName,
        description: `${node.name}`,
      });
      new NetworkingFloatingipAssociateV2(this, 'floating-ip-association', { floatingIp: fip.address, portId: this.port.id });
      this.publicIp = fip.address;
    }
  }

  /** The node's fixed private IP. */
  public get privateIp(): string {
    return this.spec.privateIp;
  }
}
