import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterNode, NodeRole, PlatformConfig } from '../config';
import { parseRange, rangeToCidrs } from '../config';
import { KAKAOCLOUD_NAMES, KAKAOCLOUD_PROVIDER } from '../config/kakaocloud-rules';
import { clusterSecurityRules } from '../constructs/infra/cluster-security-rules';
import { idWhere, KakaoClusterNode, KakaoLoadBalancer, KakaoNetwork, KakaoSecurityGroup } from '../constructs/infra/kakaocloud';
import { DataKakaocloudImages } from '../imports/kakaocloud/data-kakaocloud-images';
import { DataKakaocloudInstanceFlavors } from '../imports/kakaocloud/data-kakaocloud-instance-flavors';
import { DataKakaocloudLoadBalancerFlavors } from '../imports/kakaocloud/data-kakaocloud-load-balancer-flavors';
import { DataKakaocloudVolumeTypes } from '../imports/kakaocloud/data-kakaocloud-volume-types';
import { Keypair } from '../imports/kakaocloud/keypair';
import { KakaocloudProvider } from '../imports/kakaocloud/provider';
import { addBackend } from './backend';
import { KpaasStack } from './kpaas-stack';

/** Terraform's null in an output (cdktf cannot serialize a JavaScript null there). */
const NULL = Token.nullValue();

export interface KakaocloudInfraStackProps {
  readonly config: PlatformConfig;
  /** Local state path relative to the stack's directory in dist. @default the config's path */
  readonly localStatePath?: string;
}

/**
 * The cluster's infrastructure through Kakao Cloud's own provider (kakaoenterprise/kakaocloud
 * 0.4.1, Terraform >= 1.14): network lookup or creation, per-role security groups with inline
 * rules, one network interface (fixed IP) and instance per node, public IPs, the master and worker
 * NLBs, and the same outputs as the OpenStack stack, whose LB addresses are known only after apply.
 * Credentials come from KAKAOCLOUD_APPLICATION_CREDENTIAL_ID/_SECRET in the environment.
 */
export class KakaocloudInfraStack extends KpaasStack {
  public readonly nodes: readonly KakaoClusterNode[];
  public readonly masterLb: KakaoLoadBalancer;
  public readonly workerLb: KakaoLoadBalancer;

  public constructor(scope: Construct, id: string, props: KakaocloudInfraStackProps) {
    super(scope, id);
    const { config } = props;
    addBackend(this, config, { localPath: props.localStatePath });
    this.requireTerraform(KAKAOCLOUD_PROVIDER.terraform);
    // credentials stay in the environment (the provider reads KAKAOCLOUD_APPLICATION_CREDENTIAL_*)
    new KakaocloudProvider(this, 'kakaocloud', { region: config.cloud.region });

    const network = new KakaoNetwork(this, 'network', { config });
    const rules = clusterSecurityRules(config);
    const sg = (group: string, description: string, r: KakaoSecurityGroup['rules']) =>
      new KakaoSecurityGroup(this, `sg-${group}`, { name: KAKAOCLOUD_NAMES.securityGroup(config.name, group), description, rules: r });
    const common = sg('common', 'K-PaaS: every cluster node', rules.common);
    const masterSg = sg('master', 'K-PaaS: control-plane nodes', rules.master);
    const workerSg = sg('worker', 'K-PaaS: worker nodes', rules.worker);
    const nfsSg = sg('nfs', 'K-PaaS: NFS server', rules.nfs);

    const keyName = config.access.keyPair.publicKey
      ? new Keypair(this, 'keypair', { name: config.access.keyPair.name, publicKey: config.access.keyPair.publicKey }).name
      : config.access.keyPair.name;

    const lookups = new Construct(this, 'lookup');
    let imageId = config.nodes.image.id;
    if (!imageId) {
      const images = new DataKakaocloudImages(lookups, 'image', { filter: [{ name: 'name', value: config.nodes.image.name }] });
      imageId = idWhere(images.images, { name: config.nodes.image.name });
    }
    const flavorIds = new Map<string, string>();
    const flavorId = (name: string) => {
      if (!flavorIds.has(name)) {
        const d = new DataKakaocloudInstanceFlavors(lookups, `flavor-${name}`, { filter: [{ name: 'name', value: name }] });
        flavorIds.set(name, idWhere(d.instanceFlavors, { name }));
      }
      return flavorIds.get(name)!;
    };
    let volumeTypes: DataKakaocloudVolumeTypes | undefined;
    const volumeTypeId = (name?: string) => {
      if (!name) return undefined;
      volumeTypes ??= new DataKakaocloudVolumeTypes(lookups, 'volume-types', {});
      return idWhere(volumeTypes.volumeTypes, { name });
    };

    // Workers answer ARP for MetalLB's addresses (L2 mode): their interfaces must be allowed to.
    const metallbAddresses = [
      `${config.ingress.ip}/32`,
      ...[config.metallb.pool, ...config.metallb.extraRanges].flatMap((r) => rangeToCidrs(parseRange(r)!)),
    ];

    const nodeScope = new Construct(this, 'node');
    this.nodes = config.nodes.all.map((node: ClusterNode) => new KakaoClusterNode(nodeScope, node.name, {
      node,
      network,
      securityGroups: [common, node.role === 'master' ? masterSg : workerSg, ...(node.nfsServer ? [nfsSg] : [])],
      imageId: imageId!,
      flavorId: flavorId(node.flavor),
      volumeTypeId: volumeTypeId(node.volumeType),
      keyName,
      availabilityZone: config.cloud.availabilityZone,
      allowedAddresses: node.role === 'worker' ? metallbAddresses : undefined,
    }));
    const instancesOf = (members: readonly ClusterNode[]) =>
      members.map((m) => this.nodes.find((n) => n.spec.name === m.name) as KakaoClusterNode);

    let lbFlavorId = config.loadBalancers.flavorId;
    if (!lbFlavorId) {
      const flavors = new DataKakaocloudLoadBalancerFlavors(lookups, 'lb-flavor', {});
      lbFlavorId = idWhere(flavors.flavors, { name: config.loadBalancers.flavorName });
    }
    const lb = (role: NodeRole) => new KakaoLoadBalancer(this, `lb-${role}`, {
      cluster: config.name,
      spec: config.loadBalancers[role],
      members: instancesOf(config.loadBalancers[role].members),
      network,
      availabilityZone: config.cloud.availabilityZone,
      flavorId: lbFlavorId!,
    });
    this.masterLb = lb('master');
    this.workerLb = lb('worker');
    this.addOutputs(config);
  }

  private addOutputs(config: PlatformConfig): void {
    const nodes = Object.fromEntries(this.nodes.map((n) => [n.spec.name, {
      role: n.spec.role,
      private_ip: n.privateIp,
      public_ip: n.publicIp ?? NULL,
    }]));
    const lb = (l: KakaoLoadBalancer) => ({ vip: l.vip, public_ip: l.publicIp ?? NULL });
    const jump = this.nodes.find((n) => n.spec.role === 'master' && n.publicIp !== undefined)
      ?? this.nodes.find((n) => n.publicIp !== undefined);

    new TerraformOutput(this, 'nodes', { value: nodes, description: 'Every node: role, private IP and public IP (null without one)' });
    new TerraformOutput(this, 'master_lb', { value: lb(this.masterLb), description: 'Master LB (Kubernetes API, etcd): private VIP and public IP, known after apply' });
    new TerraformOutput(this, 'worker_lb', { value: lb(this.workerLb), description: 'Worker LB (ingress HTTP/HTTPS): private VIP and public IP, known after apply' });
    new TerraformOutput(this, 'ansible', {
      description: `Connection data for \`kpaas connect\` (dist/ansible); kpaas-cdk for K-PaaS ${config.versions.kpaas}, provider ${KAKAOCLOUD_PROVIDER.source} ${KAKAOCLOUD_PROVIDER.version}`,
      value: {
        ssh_user: config.nodes.sshUser,
        jump_host: jump?.publicIp ?? NULL,
        nodes,
        master_lb: lb(this.masterLb),
        worker_lb: lb(this.workerLb),
        // the health checkers' source addresses, known after apply; kpaas connect checks the groups admit them
        health_check_ips: this.masterLb.healthCheckIps,
      },
    });
  }
}
