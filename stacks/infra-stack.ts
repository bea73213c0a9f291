import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterNode, NodeRole, PlatformConfig } from '../config';
import { parseRange, rangeToCidrs, VERSIONS } from '../config';
import {
  ClusterNetwork,
  ClusterNodeInstance,
  clusterSecurityRules,
  NetworkLoadBalancer,
  SecurityGroup,
} from '../constructs/infra';
import { ComputeKeypairV2 } from '../imports/openstack/compute-keypair-v2';
import { ComputeServergroupV2 } from '../imports/openstack/compute-servergroup-v2';
import { DataOpenstackImagesImageV2 } from '../imports/openstack/data-openstack-images-image-v2';
import { OpenstackProvider } from '../imports/openstack/provider';
import { addBackend } from './backend';
import { KpaasStack } from './kpaas-stack';

/** Terraform's null in an output (cdktf cannot serialize a JavaScript null there). */
const NULL = Token.nullValue();

export interface InfraStackProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /**
   * Path of the local state file relative to the stack's directory in dist, when the backend is
   * local (the CLI computes it from the config's project-relative path).
   * @default the config's path as written
   */
  readonly localStatePath?: string;
}

/**
 * The Kakao Cloud infrastructure of one cluster: network, security groups, key pair, one
 * port and instance per node, server groups, floating IPs, the master and worker load
 * balancers, and the outputs later steps read. Credentials come from the OS_* environment.
 */
export class InfraStack extends KpaasStack {
  public readonly nodes: readonly ClusterNodeInstance[];
  public readonly masterLb: NetworkLoadBalancer;
  public readonly workerLb: NetworkLoadBalancer;

  public constructor(scope: Construct, id: string, props: InfraStackProps) {
    super(scope, id);
    const { config } = props;
    addBackend(this, config, { localPath: props.localStatePath });
    // Authentication (OS_AUTH_URL, OS_APPLICATION_CREDENTIAL_ID/_SECRET) stays in the environment.
    new OpenstackProvider(this, 'openstack', { region: config.cloud.region });

    const network = new ClusterNetwork(this, 'network', { config });
    const rules = clusterSecurityRules(config);
    const sg = (id: string, description: string, r: SecurityGroup['rules']) =>
      new SecurityGroup(this, `sg-${id}`, { name: `${config.name}-${id}`, description, rules: r });
    const common = sg('common', 'K-PaaS: every cluster node', rules.common);
    const masterSg = sg('master', 'K-PaaS: control-plane nodes', rules.master);
    const workerSg = sg('worker', 'K-PaaS: worker nodes', rules.worker);
    const nfsSg = sg('nfs', 'K-PaaS: NFS server', rules.nfs);

    const keyPairName = config.access.keyPair.publicKey
      ? new ComputeKeypairV2(this, 'keypair', { name: config.access.keyPair.name, publicKey: config.access.keyPair.publicKey }).name
      : config.access.keyPair.name;
    const imageId = config.nodes.image.id
      ?? new DataOpenstackImagesImageV2(this, 'image', { name: config.nodes.image.name, mostRecent: true }).id;

    const serverGroupId = (role: NodeRole): string | undefined => {
      const group = role === 'master' ? config.nodes.masters : config.nodes.workers;
      if (group.serverGroupPolicy === 'none') return undefined;
      return new ComputeServergroupV2(this, `servergroup-${role}`, {
        name: `${config.name}-${role}s`,
        policies: [group.serverGroupPolicy],
      }).id;
    };
    const groupIds: Record<NodeRole, string | undefined> = { master: serverGroupId('master'), worker: serverGroupId('worker') };

    // Workers answer ARP for MetalLB's addresses (L2 mode): their ports must be allowed to.
    const metallbAddresses = [
      `${config.ingress.ip}/32`,
      ...[config.metallb.pool, ...config.metallb.extraRanges].flatMap((r) => rangeToCidrs(parseRange(r)!)),
    ];

    const nodeScope = new Construct(this, 'node');
    this.nodes = config.nodes.all.map((node: ClusterNode) => new ClusterNodeInstance(nodeScope, node.name, {
      node,
      network,
      securityGroups: [common, node.role === 'master' ? masterSg : workerSg, ...(node.nfsServer ? [nfsSg] : [])],
      imageId,
      keyPairName,
      availabilityZone: config.cloud.availabilityZone,
      serverGroupId: groupIds[node.role],
      allowedAddresses: node.role === 'worker' ? metallbAddresses : undefined,
      metadata: { 'kpaas-cluster': config.name, 'kpaas-role': node.role },
    }));
    const instancesOf = (members: readonly ClusterNode[]) =>
      members.map((m) => this.nodes.find((n) => n.spec.name === m.name) as ClusterNodeInstance);

    const lbSg = (role: NodeRole) => (config.loadBalancers.securityGroups
      ? sg(`${role}-lb`, `K-PaaS: ${role} load balancer VIP`, role === 'master' ? rules.masterLb : rules.workerLb)
      : undefined);
    const lb = (role: NodeRole) => {
      const spec = config.loadBalancers[role];
      return new NetworkLoadBalancer(this, `lb-${role}`, {
        name: `${config.name}-${role}-lb`,
        spec,
        members: instancesOf(spec.members),
        network,
        availabilityZone: config.cloud.availabilityZone,
        flavorId: config.loadBalancers.flavorId,
        securityGroup: lbSg(role),
      });
    };
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
    const lb = (l: NetworkLoadBalancer) => ({ vip: l.vip, public_ip: l.publicIp ?? NULL });
    const jump = this.nodes.find((n) => n.spec.role === 'master' && n.publicIp !== undefined)
      ?? this.nodes.find((n) => n.publicIp !== undefined);

    new TerraformOutput(this, 'nodes', { value: nodes, description: 'Every node: role, private IP and public IP (null without one)' });
    new TerraformOutput(this, 'master_lb', { value: lb(this.masterLb), description: 'Master LB (Kubernetes API, etcd): VIP and public IP' });
    new TerraformOutput(this, 'worker_lb', { value: lb(this.workerLb), description: 'Worker LB (ingress HTTP/HTTPS): VIP and public IP' });
    new TerraformOutput(this, 'ansible', {
      description: `Connection data for \`kpaas connect\` (dist/ansible); kpaas-cdk for K-PaaS ${config.versions.kpaas}, provider ${VERSIONS.openstackProvider}`,
      value: {
        ssh_user: config.nodes.sshUser,
        jump_host: jump?.publicIp ?? NULL,
        nodes,
        master_lb: lb(this.masterLb),
        worker_lb: lb(this.workerLb),
      },
    });
  }
}
