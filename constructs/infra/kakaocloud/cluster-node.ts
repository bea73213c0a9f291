import { Construct } from 'constructs';
import type { ClusterNode } from '../../../config';
import { kakaoNameProblem, KAKAOCLOUD_NAMES, kakaoDescriptionOk, USER_DATA_RULE, VOLUME_RULE } from '../../../config/kakaocloud-rules';
import { Instance } from '../../../imports/kakaocloud/instance';
import { NetworkInterface } from '../../../imports/kakaocloud/network-interface';
import { PublicIp } from '../../../imports/kakaocloud/public-ip';
import { cloudInitUserData } from '../cloud-init';
import type { KakaoNetwork } from './network';
import type { KakaoSecurityGroup } from './security-group';

export interface KakaoClusterNodeProps {
  readonly node: ClusterNode;
  readonly network: KakaoNetwork;
  readonly securityGroups: readonly KakaoSecurityGroup[];
  readonly imageId: string;
  readonly flavorId: string;
  /** Id of the boot volume's type. @default the cloud's default type */
  readonly volumeTypeId?: string;
  readonly keyName: string;
  readonly availabilityZone: string;
  /** Addresses (CIDRs) the interface may also send from: the MetalLB pool and the ingress IP on workers. */
  readonly allowedAddresses?: readonly string[];
}

/** cloud-init user data as the instance takes it: Base64, at most 16 KB decoded. */
export function kakaoUserData(node: ClusterNode): string {
  const text = cloudInitUserData(node);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > USER_DATA_RULE.maxDecodedBytes) {
    throw new Error(`user data of ${node.name} is ${bytes} bytes; Kakao Cloud takes at most ${USER_DATA_RULE.maxDecodedBytes}`);
  }
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * One cluster machine on Kakao's provider: a network interface with the fixed IP, the security
 * groups (changeable in place) and the allowed address pairs; an instance on that interface that
 * boots from a volume made from the image; optionally a public IP on the interface.
 */
export class KakaoClusterNode extends Construct {
  public readonly spec: ClusterNode;
  public readonly networkInterface: NetworkInterface;
  public readonly resource: Instance;
  public readonly publicIp?: string;

  public constructor(scope: Construct, id: string, props: KakaoClusterNodeProps) {
    super(scope, id);
    const { node } = props;
    this.spec = node;
    const nicName = KAKAOCLOUD_NAMES.networkInterface(node.name);
    const name = KAKAOCLOUD_NAMES.instance(node.name);
    for (const [n, type] of [[nicName, 'network_interface'], [name, 'instance']] as const) {
      const problem = kakaoNameProblem(n, type);
      if (problem) throw new Error(`${type} name ${JSON.stringify(n)} ${problem}`);
    }
    if (node.volumeSize < VOLUME_RULE.size[0] || node.volumeSize > VOLUME_RULE.size[1]) throw new Error(`${node.name}: volume size ${node.volumeSize} is outside ${VOLUME_RULE.size.join('-')} GB`);
    this.networkInterface = new NetworkInterface(this, 'nic', {
      name: nicName,
      subnetId: props.network.subnetId,
      privateIp: node.privateIp,
      securityGroups: props.securityGroups.map((sg) => ({ id: sg.id })),
      ...(props.allowedAddresses && props.allowedAddresses.length > 0
        ? { allowedAddressPairs: props.allowedAddresses.map((ipAddress) => ({ ipAddress })) }
        : {}),
    });
    const description = `K-PaaS ${node.role} ${node.name}`;
    this.resource = new Instance(this, 'Resource', {
      name,
      ...(kakaoDescriptionOk(description) ? { description } : {}),
      flavorId: props.flavorId,
      imageId: props.imageId,
      keyName: props.keyName,
      availabilityZone: props.availabilityZone,
      subnets: [{ id: props.network.subnetId, networkInterfaceId: this.networkInterface.id }],
      // the boot volume is the first (and only) entry
      volumes: [{
        size: node.volumeSize,
        ...(props.volumeTypeId ? { typeId: props.volumeTypeId } : {}),
        isDeleteOnTermination: true,
      }],
      // write-only: never in plan or state, so a changed cloud-init never updates or replaces a node
      userData: kakaoUserData(node),
      // image_id forces replacement and the root volume's type cannot change: a newer image behind
      // the same name or another volume setting must not destroy a running cluster member
      lifecycle: { ignoreChanges: ['image_id', 'volumes'] },
    });
    if (node.publicIp) {
      const ip = new PublicIp(this, 'public-ip', {
        description: `K-PaaS node ${node.name}`,
        relatedResource: { deviceType: 'instance', deviceId: this.resource.id, id: this.networkInterface.id },
      });
      this.publicIp = ip.publicIp;
    }
  }

  public get privateIp(): string {
    return this.spec.privateIp;
  }
}
