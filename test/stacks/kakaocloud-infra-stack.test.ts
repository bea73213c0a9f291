/**
 * The default target: the infra stack through Kakao Cloud's own provider (kakaoenterprise/kakaocloud
 * 0.4.1). Snapshot plus exact assertions on the seed's cluster; infra-stack.test.ts holds the
 * OpenStack stack (cloud.provider: openstack) to its own snapshot.
 */
import { addresses, resources, synthInfra, synthInfraText, TfDoc } from '../support/synth';

const ref = (type: string, name: string, attr = 'id') => `\${${type}.${name}.${attr}}`;
const SG = 'kakaocloud_security_group';
const SUBNET_ID = '${element([ for key, val in toset(data.kakaocloud_subnets.network_subnet.subnets): val.id if val.name == "main_subnet" && val.cidr_block == "172.16.0.0/24"], 0)}';

/** Inline rules as table rows: "group direction protocol ports cidr". */
function ruleRows(doc: TfDoc): string[] {
  return Object.entries(resources(doc, SG)).flatMap(([group, g]) => (g.rules as any[]).map((r) => {
    const ports = r.port_range_min === undefined ? '-' : r.port_range_min === r.port_range_max ? `${r.port_range_min}` : `${r.port_range_min}-${r.port_range_max}`;
    expect(r.remote_group_id).toBeUndefined();
    expect(r.description.length).toBeLessThanOrEqual(50);
    return `${group} ${r.direction} ${r.protocol} ${ports} ${r.remote_ip_prefix}`;
  })).sort();
}

describe('KakaoCloud infra stack, default (seed) config', () => {
  const text = synthInfraText();
  const doc = JSON.parse(text) as TfDoc;

  it('matches the snapshot', () => {
    expect(text).toMatchSnapshot();
  });

  it('pins the provider to 0.4.1, requires Terraform >= 1.14 and keeps credentials out', () => {
    expect(doc.terraform.required_providers).toEqual({ kakaocloud: { source: 'kakaoenterprise/kakaocloud', version: '0.4.1' } });
    expect(doc.terraform.required_version).toBe('>= 1.14.0');
    expect(doc.terraform.backend).toEqual({ local: { path: '../../../terraform-state/infra.tfstate' } });
    expect(doc.provider).toEqual({ kakaocloud: [{ region: 'kr-central-2' }] });
    expect(text).not.toMatch(/application_credential|password|secret|token|PRIVATE KEY/i);
    expect(text).not.toMatch(/"\/(home|root|tmp|work|Users)\//);
  });

  it('has exactly the resource types of the Kakao model, and none of OpenStack\'s', () => {
    expect(Object.fromEntries(Object.entries(doc.resource).map(([t, r]) => [t, Object.keys(r).length]))).toEqual({
      kakaocloud_instance: 6,
      kakaocloud_load_balancer: 2,
      kakaocloud_load_balancer_health_monitor: 4,
      kakaocloud_load_balancer_listener: 4,
      kakaocloud_load_balancer_target_group: 4,
      kakaocloud_load_balancer_target_group_member: 12,
      kakaocloud_network_interface: 6,
      kakaocloud_public_ip: 8,
      kakaocloud_security_group: 4,
    });
    expect(Object.keys(doc.data!).sort()).toEqual([
      'kakaocloud_images', 'kakaocloud_instance_flavors', 'kakaocloud_load_balancer_flavors', 'kakaocloud_subnets', 'kakaocloud_vpcs',
    ]);
  });

  it('gives the six nodes interfaces with the seed\'s fixed IPs, groups by role, NFS only on master-1', () => {
    const nics = resources(doc, 'kakaocloud_network_interface');
    expect(Object.fromEntries(Object.entries(nics).map(([k, n]) => [k, [n.name, n.private_ip, n.security_groups.map((g: { id: string }) => /group\.([^.]+)\.id/.exec(g.id)![1])]]))).toEqual({
      'node_master-1_nic': ['master-1-nic', '172.16.0.192', ['sg-common', 'sg-master', 'sg-nfs']],
      'node_master-2_nic': ['master-2-nic', '172.16.0.157', ['sg-common', 'sg-master']],
      'node_master-3_nic': ['master-3-nic', '172.16.0.254', ['sg-common', 'sg-master']],
      'node_worker-1_nic': ['worker-1-nic', '172.16.0.12', ['sg-common', 'sg-worker']],
      'node_worker-2_nic': ['worker-2-nic', '172.16.0.78', ['sg-common', 'sg-worker']],
      'node_worker-3_nic': ['worker-3-nic', '172.16.0.30', ['sg-common', 'sg-worker']],
    });
    for (const n of Object.values(nics)) expect(n.subnet_id).toBe(SUBNET_ID);
  });

  it('lets workers (only) send from the MetalLB pool and the ingress IP', () => {
    const nics = resources(doc, 'kakaocloud_network_interface');
    const pairs = ['172.16.0.201/32', '172.16.0.210/31', '172.16.0.212/30', '172.16.0.216/29', '172.16.0.224/28', '172.16.0.240/29', '172.16.0.248/31', '172.16.0.250/32'];
    for (const w of ['worker-1', 'worker-2', 'worker-3']) expect(nics[`node_${w}_nic`].allowed_address_pairs).toEqual(pairs.map((ip_address) => ({ ip_address })));
    for (const m of ['master-1', 'master-2', 'master-3']) expect(nics[`node_${m}_nic`].allowed_address_pairs).toBeUndefined();
  });

  it('boots each instance on its interface from a volume, with looked-up image and flavor and Base64 user data', () => {
    const instances = resources(doc, 'kakaocloud_instance');
    expect(Object.keys(instances)).toEqual(['node_master-1', 'node_master-2', 'node_master-3', 'node_worker-1', 'node_worker-2', 'node_worker-3']);
    for (const [id, i] of Object.entries(instances)) {
      const name = id.replace('node_', '');
      const { user_data: userData, ...rest } = i;
      expect(rest).toEqual({
        name,
        description: `K-PaaS ${name.split('-')[0]} ${name}`,
        flavor_id: '${element([ for key, val in toset(data.kakaocloud_instance_flavors.lookup_flavor-t1i-xlarge.instance_flavors): val.id if val.name == "t1i.xlarge"], 0)}',
        image_id: '${element([ for key, val in toset(data.kakaocloud_images.lookup_image.images): val.id if val.name == "Ubuntu 24.04"], 0)}',
        key_name: 'kpaas-key',
        availability_zone: 'kr-central-2-a',
        subnets: [{ id: SUBNET_ID, network_interface_id: ref('kakaocloud_network_interface', `${id}_nic`) }],
        volumes: [{ size: 200, is_delete_on_termination: true }],
        lifecycle: { ignore_changes: ['image_id', 'volumes'] },
      });
      const cloudInit = Buffer.from(userData, 'base64').toString('utf8');
      expect(Buffer.from(cloudInit, 'utf8').toString('base64')).toBe(userData);
      expect(cloudInit).toContain(`hostname: ${name}\n`);
      expect(cloudInit.startsWith('#cloud-config\n')).toBe(true);
      expect(Buffer.byteLength(cloudInit)).toBeLessThanOrEqual(16 * 1024);
    }
    // user_data is write-only (never in plan or state): not in ignore_changes, and changes never replace a node
    expect(instances['node_master-1'].lifecycle.ignore_changes).not.toContain('user_data');
  });

  it('has every security-group row, inline, egress written explicitly, intra-cluster from the VPC', () => {
    const vpc = '172.16.0.0/16';
    const any = '0.0.0.0/0';
    expect(Object.values(resources(doc, SG)).map((g) => [g.name, g.description])).toEqual([
      ['kpaas-common', 'K-PaaS: every cluster node'], ['kpaas-master', 'K-PaaS: control-plane nodes'], ['kpaas-nfs', 'K-PaaS: NFS server'], ['kpaas-worker', 'K-PaaS: worker nodes'],
    ]);
    expect(ruleRows(doc)).toEqual([
      `sg-common egress ALL - ${any}`,
      `sg-common ingress ICMP - ${vpc}`,
      `sg-common ingress TCP 10250 ${vpc}`,
      `sg-common ingress TCP 179 ${vpc}`,
      `sg-common ingress TCP 22 ${any}`,
      `sg-common ingress TCP 5473 ${vpc}`,
      `sg-common ingress TCP 7946 ${vpc}`,
      `sg-common ingress TCP 9099 ${vpc}`,
      `sg-common ingress UDP 4789 ${vpc}`,
      `sg-common ingress UDP 7946 ${vpc}`,
      `sg-master ingress TCP 10257 ${vpc}`,
      `sg-master ingress TCP 10259 ${vpc}`,
      `sg-master ingress TCP 2379-2380 ${vpc}`,
      `sg-master ingress TCP 6443 ${any}`,
      `sg-nfs ingress TCP 2049 ${vpc}`,
      `sg-worker ingress TCP 30000-32767 ${any}`,
      `sg-worker ingress TCP 443 ${any}`,
      `sg-worker ingress TCP 80 ${any}`,
    ]);
    // descriptions over the provider's 50 characters fall back to the row's name
    const common = resources(doc, SG)['sg-common'].rules as Array<{ description: string; port_range_min?: number }>;
    expect(common.find((r) => r.port_range_min === 4789)!.description).toBe('calico-vxlan');
    expect(common.find((r) => r.port_range_min === 22)!.description).toBe('SSH');
  });

  it('builds both NLBs: flavor looked up by name, no VIP and no security groups, TCP listeners', () => {
    const flavor = '${element([ for key, val in toset(data.kakaocloud_load_balancer_flavors.lookup_lb-flavor.flavors): val.id if val.name == "NLB"], 0)}';
    expect(resources(doc, 'kakaocloud_load_balancer')).toEqual({
      'lb-master': { name: 'kpaas-master-lb', description: 'K-PaaS master load balancer', subnet_id: SUBNET_ID, availability_zone: 'kr-central-2-a', flavor_id: flavor },
      'lb-worker': { name: 'kpaas-worker-lb', description: 'K-PaaS worker load balancer', subnet_id: SUBNET_ID, availability_zone: 'kr-central-2-a', flavor_id: flavor },
    });
    expect(resources(doc, 'kakaocloud_load_balancer_listener')).toEqual({
      'lb-master_api_listener': { load_balancer_id: ref('kakaocloud_load_balancer', 'lb-master'), protocol: 'TCP', protocol_port: 6443 },
      'lb-master_etcd_listener': { load_balancer_id: ref('kakaocloud_load_balancer', 'lb-master'), protocol: 'TCP', protocol_port: 2379 },
      'lb-worker_http_listener': { load_balancer_id: ref('kakaocloud_load_balancer', 'lb-worker'), protocol: 'TCP', protocol_port: 80 },
      'lb-worker_https_listener': { load_balancer_id: ref('kakaocloud_load_balancer', 'lb-worker'), protocol: 'TCP', protocol_port: 443 },
    });
  });

  it('has one target group per listener, every member, and monitors per the provider\'s rules', () => {
    const groups = resources(doc, 'kakaocloud_load_balancer_target_group');
    expect(Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, [g.name, g.listener_id, g.protocol, g.load_balancer_algorithm]]))).toEqual({
      'lb-master_api_target-group': ['kpaas-master-api', ref('kakaocloud_load_balancer_listener', 'lb-master_api_listener'), 'TCP', 'ROUND_ROBIN'],
      'lb-master_etcd_target-group': ['kpaas-master-etcd', ref('kakaocloud_load_balancer_listener', 'lb-master_etcd_listener'), 'TCP', 'ROUND_ROBIN'],
      'lb-worker_http_target-group': ['kpaas-worker-http', ref('kakaocloud_load_balancer_listener', 'lb-worker_http_listener'), 'TCP', 'ROUND_ROBIN'],
      'lb-worker_https_target-group': ['kpaas-worker-https', ref('kakaocloud_load_balancer_listener', 'lb-worker_https_listener'), 'TCP', 'ROUND_ROBIN'],
    });
    const byGroup: Record<string, string[]> = {};
    for (const m of Object.values(resources(doc, 'kakaocloud_load_balancer_target_group_member'))) {
      const g = /group\.([^.]+)\.id/.exec(m.target_group_id)![1];
      (byGroup[g] ??= []).push(`${m.name} ${m.address}:${m.protocol_port}`);
      expect(m.subnet_id).toBe(SUBNET_ID);
    }
    expect(byGroup).toEqual({
      'lb-master_api_target-group': ['master-1 172.16.0.192:6443', 'master-2 172.16.0.157:6443', 'master-3 172.16.0.254:6443'],
      'lb-master_etcd_target-group': ['master-1 172.16.0.192:2379', 'master-2 172.16.0.157:2379', 'master-3 172.16.0.254:2379'],
      'lb-worker_http_target-group': ['worker-1 172.16.0.12:31080', 'worker-2 172.16.0.78:31080', 'worker-3 172.16.0.30:31080'],
      'lb-worker_https_target-group': ['worker-1 172.16.0.12:31443', 'worker-2 172.16.0.78:31443', 'worker-3 172.16.0.30:31443'],
    });
    const tcp = (g: string) => ({ target_group_id: ref('kakaocloud_load_balancer_target_group', g), type: 'TCP', delay: 5, timeout: 3, max_retries: 3, max_retries_down: 3 });
    expect(resources(doc, 'kakaocloud_load_balancer_health_monitor')).toEqual({
      'lb-master_api_monitor': { ...tcp('lb-master_api_target-group'), type: 'HTTPS', http_method: 'GET', http_version: '1.1', url_path: '/healthz', expected_codes: '200' },
      'lb-master_etcd_monitor': tcp('lb-master_etcd_target-group'),
      'lb-worker_http_monitor': tcp('lb-worker_http_target-group'),
      'lb-worker_https_monitor': tcp('lb-worker_https_target-group'),
    });
  });

  it('gives every node a public IP on its interface and each LB one on the load balancer', () => {
    const ips = resources(doc, 'kakaocloud_public_ip');
    expect(Object.keys(ips)).toEqual([
      'lb-master_public-ip', 'lb-worker_public-ip',
      'node_master-1_public-ip', 'node_master-2_public-ip', 'node_master-3_public-ip', 'node_worker-1_public-ip', 'node_worker-2_public-ip', 'node_worker-3_public-ip',
    ]);
    expect(ips['lb-master_public-ip'].related_resource).toEqual({ device_type: 'load-balancer', device_id: ref('kakaocloud_load_balancer', 'lb-master') });
    expect(ips['node_worker-2_public-ip'].related_resource).toEqual({
      device_type: 'instance', device_id: ref('kakaocloud_instance', 'node_worker-2'), id: ref('kakaocloud_network_interface', 'node_worker-2_nic'),
    });
  });

  it('looks the network up by VPC and subnet name and CIDR', () => {
    expect(resources({ resource: doc.data } as unknown as TfDoc, 'kakaocloud_vpcs')).toEqual({
      network_vpc: { filter: [{ name: 'name', value: 'test-kpaas' }, { name: 'cidr_block', value: '172.16.0.0/16' }] },
    });
    expect(resources({ resource: doc.data } as unknown as TfDoc, 'kakaocloud_subnets').network_subnet.filter.slice(1)).toEqual([
      { name: 'name', value: 'main_subnet' }, { name: 'cidr_block', value: '172.16.0.0/24' },
    ]);
  });

  it('outputs what kpaas connect needs, with the LBs\' computed addresses', () => {
    const value = doc.output.ansible.value;
    expect(value.ssh_user).toBe('ubuntu');
    expect(value.jump_host).toBe(ref('kakaocloud_public_ip', 'node_master-1_public-ip', 'public_ip'));
    expect(Object.keys(value.nodes)).toEqual(['master-1', 'master-2', 'master-3', 'worker-1', 'worker-2', 'worker-3']);
    expect(value.nodes['worker-3']).toEqual({ role: 'worker', private_ip: '172.16.0.30', public_ip: ref('kakaocloud_public_ip', 'node_worker-3_public-ip', 'public_ip') });
    expect(value.master_lb).toEqual({ vip: ref('kakaocloud_load_balancer', 'lb-master', 'private_vip'), public_ip: ref('kakaocloud_public_ip', 'lb-master_public-ip', 'public_ip') });
    expect(doc.output.worker_lb.value).toEqual({ vip: ref('kakaocloud_load_balancer', 'lb-worker', 'private_vip'), public_ip: ref('kakaocloud_public_ip', 'lb-worker_public-ip', 'public_ip') });
    expect(value.health_check_ips).toBe(ref('kakaocloud_load_balancer_target_group_member', 'lb-master_api_member-master-1', 'subnet.health_check_ips'));
    expect(Object.keys(value).sort()).toEqual(['health_check_ips', 'jump_host', 'master_lb', 'nodes', 'ssh_user', 'worker_lb']);
    expect(Object.keys(doc.output).sort()).toEqual(['ansible', 'master_lb', 'nodes', 'worker_lb']);
  });
});

describe('KakaoCloud infra stack scaling', () => {
  it('adds exactly one interface, one instance, one public IP and one member per worker target group for a fourth worker', () => {
    const three = addresses(synthInfra());
    const four = addresses(synthInfra({ nodes: { workers: { ips: ['172.16.0.12', '172.16.0.78', '172.16.0.30', '172.16.0.31'] } } }));
    expect(three.filter((a) => !four.includes(a))).toEqual([]);
    expect(four.filter((a) => !three.includes(a))).toEqual([
      'kakaocloud_instance.node_worker-4',
      'kakaocloud_load_balancer_target_group_member.lb-worker_http_member-worker-4',
      'kakaocloud_load_balancer_target_group_member.lb-worker_https_member-worker-4',
      'kakaocloud_network_interface.node_worker-4_nic',
      'kakaocloud_public_ip.node_worker-4_public-ip',
    ]);
  });

  it('renders 5 masters and 7 workers', () => {
    const doc = synthInfra({ nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } } });
    expect(Object.keys(resources(doc, 'kakaocloud_instance'))).toHaveLength(12);
    expect(Object.values(resources(doc, 'kakaocloud_load_balancer_target_group_member')).filter((m) => m.protocol_port === 6443).map((m) => m.address))
      .toEqual(['172.16.0.100', '172.16.0.101', '172.16.0.102', '172.16.0.103', '172.16.0.104']);
  });
});

describe('KakaoCloud infra stack options', () => {
  it('creates VPC and zone-bound subnet in create mode', () => {
    const doc = synthInfra({ network: { mode: 'create' } });
    expect(resources(doc, 'kakaocloud_vpc')).toEqual({ network: { name: 'test-kpaas', cidr_block: '172.16.0.0/16' } });
    expect(resources(doc, 'kakaocloud_subnet')).toEqual({
      network_subnet: { name: 'main_subnet', cidr_block: '172.16.0.0/24', availability_zone: 'kr-central-2-a', vpc_id: ref('kakaocloud_vpc', 'network') },
    });
    expect(doc.data!.kakaocloud_subnets).toBeUndefined();
    expect(resources(doc, 'kakaocloud_network_interface')['node_master-1_nic'].subnet_id).toBe(ref('kakaocloud_subnet', 'network_subnet'));
  });

  it('gives no public IPs without publicIp and outputs Terraform null addresses', () => {
    const doc = synthInfra({ nodes: { masters: { publicIp: false }, workers: { publicIp: false } }, loadBalancers: { worker: { publicIp: false } } });
    expect(Object.keys(resources(doc, 'kakaocloud_public_ip'))).toEqual(['lb-master_public-ip']);
    expect(doc.output.ansible.value.jump_host).toBeNull();
    expect(doc.output.worker_lb.value).toEqual({ vip: ref('kakaocloud_load_balancer', 'lb-worker', 'private_vip'), public_ip: null });
  });

  it('creates the key pair, pins image and LB flavor ids, looks up another LB flavor name and the volume type', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGf0b2tleQ admin@example';
    const doc = synthInfra({
      access: { keyPair: { name: 'ops-key', publicKey: key } },
      nodes: { image: { id: '11111111-2222-3333-4444-555555555555' }, masters: { volumeType: 'SSD', flavor: 'm2a.large' } },
      loadBalancers: { flavorId: '99999999-2222-3333-4444-555555555555' },
    });
    expect(resources(doc, 'kakaocloud_keypair')).toEqual({ keypair: { name: 'ops-key', public_key: key } });
    const instances = resources(doc, 'kakaocloud_instance');
    expect(instances['node_master-1'].key_name).toBe(ref('kakaocloud_keypair', 'keypair', 'name'));
    expect(instances['node_master-1'].image_id).toBe('11111111-2222-3333-4444-555555555555');
    expect(instances['node_master-1'].flavor_id).toBe('${element([ for key, val in toset(data.kakaocloud_instance_flavors.lookup_flavor-m2a-large.instance_flavors): val.id if val.name == "m2a.large"], 0)}');
    expect(instances['node_master-1'].volumes).toEqual([{ size: 200, type_id: '${element([ for key, val in toset(data.kakaocloud_volume_types.lookup_volume-types.volume_types): val.id if val.name == "SSD"], 0)}', is_delete_on_termination: true }]);
    expect(instances['node_worker-1'].volumes).toEqual([{ size: 200, is_delete_on_termination: true }]);
    expect(doc.data!.kakaocloud_images).toBeUndefined();
    expect(doc.data!.kakaocloud_load_balancer_flavors).toBeUndefined();
    expect(resources(doc, 'kakaocloud_load_balancer')['lb-worker'].flavor_id).toBe('99999999-2222-3333-4444-555555555555');
    const other = synthInfra({ loadBalancers: { flavorName: 'NLB-large' } });
    expect(resources(other, 'kakaocloud_load_balancer')['lb-master'].flavor_id).toBe('${element([ for key, val in toset(data.kakaocloud_load_balancer_flavors.lookup_lb-flavor.flavors): val.id if val.name == "NLB-large"], 0)}');
  });

  it('restricts SSH, API and HTTP sources and keeps the VPC for cluster traffic', () => {
    const rows = ruleRows(synthInfra({ access: { sshSourceCidrs: ['203.0.113.0/24'], apiSourceCidrs: ['198.51.100.7/32'], httpSourceCidrs: ['198.51.100.0/24'] } }));
    expect(rows.filter((r) => r.includes(' 22 '))).toEqual(['sg-common ingress TCP 22 203.0.113.0/24']);
    expect(rows.filter((r) => r.startsWith('sg-master ingress TCP 6443'))).toEqual(['sg-master ingress TCP 6443 172.16.0.0/16', 'sg-master ingress TCP 6443 198.51.100.7/32']);
    expect(rows.filter((r) => r.startsWith('sg-worker ingress TCP 30000'))).toEqual(['sg-worker ingress TCP 30000-32767 172.16.0.0/16', 'sg-worker ingress TCP 30000-32767 198.51.100.0/24']);
    expect(rows.some((r) => r.includes('0.0.0.0/0') && r.includes('ingress'))).toBe(false);
  });
});
