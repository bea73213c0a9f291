import { Construct } from 'constructs';
import type { PlatformConfig } from '../../../config';
import { DataKakaocloudSubnets } from '../../../imports/kakaocloud/data-kakaocloud-subnets';
import { DataKakaocloudVpcs } from '../../../imports/kakaocloud/data-kakaocloud-vpcs';
import { Subnet } from '../../../imports/kakaocloud/subnet';
import { Vpc } from '../../../imports/kakaocloud/vpc';
import { idWhere } from './lookup';

export interface KakaoNetworkProps {
  readonly config: PlatformConfig;
}

/**
 * The VPC subnet of the cluster on Kakao's provider. Mode "lookup" finds the VPC by name and CIDR
 * and the subnet by name and CIDR inside it (filters on the server, exact matches in a
 * for-expression); mode "create" makes the VPC and a subnet bound to the availability zone.
 */
export class KakaoNetwork extends Construct {
  public readonly subnetId: string;
  public readonly vpcId: string;

  public constructor(scope: Construct, id: string, props: KakaoNetworkProps) {
    super(scope, id);
    const { network, cloud } = props.config;
    if (network.mode === 'lookup') {
      const vpcs = new DataKakaocloudVpcs(this, 'vpc', {
        filter: [{ name: 'name', value: network.vpc.name }, { name: 'cidr_block', value: network.vpc.cidr }],
      });
      this.vpcId = idWhere(vpcs.vpcs, { name: network.vpc.name, cidr_block: network.vpc.cidr });
      const subnets = new DataKakaocloudSubnets(this, 'subnet', {
        filter: [
          { name: 'vpc_id', value: this.vpcId },
          { name: 'name', value: network.subnet.name },
          { name: 'cidr_block', value: network.subnet.cidr },
        ],
      });
      this.subnetId = idWhere(subnets.subnets, { name: network.subnet.name, cidr_block: network.subnet.cidr });
      return;
    }
    const vpc = new Vpc(this, 'Resource', { name: network.vpc.name, cidrBlock: network.vpc.cidr });
    const subnet = new Subnet(this, 'subnet', {
      name: network.subnet.name,
      cidrBlock: network.subnet.cidr,
      availabilityZone: cloud.availabilityZone,
      vpcId: vpc.id,
    });
    this.vpcId = vpc.id;
    this.subnetId = subnet.id;
  }
}
