import type { KpaasConfigInput } from '../../config';
import { addresses, resources, synthInfra as synthAny, synthInfraText as synthAnyText, TfDoc } from '../support/synth';

/** This file is about the OpenStack target (`cloud.provider: openstack`); kakaocloud-infra-stack.test.ts is the default's. */
const openstack = (input: KpaasConfigInput = {}): KpaasConfigInput => ({ ...input, cloud: { ...input.cloud, provider: 'openstack' } });
const synthInfra = (input?: KpaasConfigInput) => synthAny(openstack(input));
const synthInfraText = (input?: KpaasConfigInput) => synthAnyText(openstack(input));

const ref = (type: string, name: string, attr = 'id') => `\${${type}.${name}.${attr}}`;
const SG = 'openstack_networking_secgroup_v2';

/** Security-group rules as table rows: "group direction protocol ports cidr". */
function ruleRows(doc: TfDoc): string[] {
  return Object.values(resources(doc, 'openstack_networking_secgroup_rule_v2')).map((r) => {
    const group = /secgroup_v2\.([^.]+)\.id/.exec(r.security_group_id)![1];
    const ports = r.port_range_min === undefined ? '-' : r.port_range_min === r.port_range_max ? `${r.port_range_min}` : `${r.port_range_min}-${r.port_range_max}`;
    expect(r.ethertype).toBe('IPv4');
    return `${group} ${r.direction} ${r.protocol ?? 'any'} ${ports} ${r.remote_ip_prefix}`;
  }).sort();
}

describe('infra stack, default (seed) config', () => {
  const text = synthInfraText();
  const doc = JSON.parse(text) as TfDoc;

  it('matches the snapshot', () => {
    expect(text).toMatchSnapshot();
  });

  it('pins the provider and keeps state outside dist with a relative path', () => {
    expect(doc.terraform.required_providers).toEqual({ openstack: { source: 'terraform-provider-openstack/openstack', version: '3.4.0' } });
    expect(doc.terraform.backend).toEqual({ local: { path: '../../../terraform-state/infra.tfstate' } });
    expect(doc.provider).toEqual({ openstack: [{ region: 'kr-central-2' }] });
  });

  it('creates the seed\'s six nodes with their IPs and sizes', () => {
    const instances = resources(doc, 'openstack_compute_instance_v2');
    expect(Object.keys(instances)).toEqual(['node_master-1', 'node_master-2', 'node_master-3', 'node_worker-1', 'node_worker-2', 'node_worker-3']);
    for (const [id, i] of Object.entries(instances)) {
      const name = id.replace('node_', '');
      expect(i).toMatchObject({
        name,
        flavor_name: 't1i.xlarge',
        availability_zone: 'kr-central-2-a',
        key_pair: 'kpaas-key',
        network: [{ port: ref('openstack_networking_port_v2', `${id}_port`) }],
        block_device: [{ uuid: ref('data.openstack_images_image_v2', 'image'), source_type: 'image', destination_type: 'volume', volume_size: 200, boot_index: 0, delete_on_termination: true }],
        scheduler_hints: [{ group: ref('openstack_compute_servergroup_v2', `servergroup-${name.split('-')[0]}`) }],
      });
      expect(i.user_data).toContain(`hostname: ${name}\n`);
      expect(i.user_data).toContain('ssh_pwauth: false\n');
      expect(i.user_data).not.toMatch(/passw/i);
    }
    const ports = resources(doc, 'openstack_networking_port_v2');
    expect(Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, p.fixed_ip[0].ip_address]))).toEqual({
      'node_master-1_port': '172.16.0.192',
      'node_master-2_port': '172.16.0.157',
      'node_master-3_port': '172.16.0.254',
      'node_worker-1_port': '172.16.0.12',
      'node_worker-2_port': '172.16.0.78',
      'node_worker-3_port': '172.16.0.30',
    });
    for (const p of Object.values(ports)) {
      expect(p.fixed_ip[0].subnet_id).toBe(ref('data.openstack_networking_subnet_v2', 'network_subnet'));
      expect(p.network_id).toBe(ref('data.openstack_networking_subnet_v2', 'network_subnet', 'network_id'));
    }
  });

  it('attaches security groups by role, NFS only on master-1', () => {
    const ports = resources(doc, 'openstack_networking_port_v2');
    const groups = (n: string) => ports[`node_${n}_port`].security_group_ids.map((s: string) => /v2\.([^.]+)\.id/.exec(s)![1]);
    expect(groups('master-1')).toEqual(['sg-common', 'sg-master', 'sg-nfs']);
    expect(groups('master-2')).toEqual(['sg-common', 'sg-master']);
    expect(groups('worker-3')).toEqual(['sg-common', 'sg-worker']);
  });

  it('lets workers (only) answer for the MetalLB pool and the ingress IP', () => {
    const ports = resources(doc, 'openstack_networking_port_v2');
    expect(ports['node_worker-1_port'].allowed_address_pairs.map((p: { ip_address: string }) => p.ip_address)).toEqual([
      '172.16.0.201/32', '172.16.0.210/31', '172.16.0.212/30', '172.16.0.216/29', '172.16.0.224/28', '172.16.0.240/29', '172.16.0.248/31', '172.16.0.250/32',
    ]);
    expect(ports['node_master-1_port'].allowed_address_pairs).toBeUndefined();
  });

  it('has every security-group row', () => {
    const vpc = '172.16.0.0/16';
    const any = '0.0.0.0/0';
    expect(Object.values(resources(doc, SG)).map((g) => [g.name, g.delete_default_rules])).toEqual([
      ['kpaas-common', true], ['kpaas-master', true], ['kpaas-master-lb', true], ['kpaas-nfs', true], ['kpaas-worker', true], ['kpaas-worker-lb', true],
    ]);
    expect(ruleRows(doc)).toEqual([
      `sg-common egress any - ${any}`,
      `sg-common ingress icmp - ${vpc}`,
      `sg-common ingress tcp 10250 ${vpc}`,
      `sg-common ingress tcp 179 ${vpc}`,
      `sg-common ingress tcp 22 ${any}`,
      `sg-common ingress tcp 5473 ${vpc}`,
      `sg-common ingress tcp 7946 ${vpc}`,
      `sg-common ingress tcp 9099 ${vpc}`,
      `sg-common ingress udp 4789 ${vpc}`,
      `sg-common ingress udp 7946 ${vpc}`,
      `sg-master ingress tcp 10257 ${vpc}`,
      `sg-master ingress tcp 10259 ${vpc}`,
      `sg-master ingress tcp 2379-2380 ${vpc}`,
      `sg-master ingress tcp 6443 ${any}`,
      `sg-master-lb egress any - ${any}`,
      `sg-master-lb ingress tcp 2379 ${vpc}`,
      `sg-master-lb ingress tcp 6443 ${any}`,
      `sg-nfs ingress tcp 2049 ${vpc}`,
      `sg-worker ingress tcp 30000-32767 ${any}`,
      `sg-worker ingress tcp 443 ${any}`,
      `sg-worker ingress tcp 80 ${any}`,
      `sg-worker-lb egress any - ${any}`,
      `sg-worker-lb ingress tcp 443 ${any}`,
      `sg-worker-lb ingress tcp 80 ${any}`,
    ]);
  });

  it('builds the master LB: VIP, listeners 6443 and 2379, all masters, HTTPS /healthz on the API', () => {
    const lbs = resources(doc, 'openstack_lb_loadbalancer_v2');
    expect(lbs['lb-master']).toEqual({
      name: 'kpaas-master-lb',
      vip_address: '172.16.0.176',
      vip_subnet_id: ref('data.openstack_networking_subnet_v2', 'network_subnet'),
      availability_zone: 'kr-central-2-a',
      security_group_ids: [ref(SG, 'sg-master-lb')],
    });
    const listeners = resources(doc, 'openstack_lb_listener_v2');
    expect(Object.entries(listeners).map(([k, l]) => [k, l.loadbalancer_id, l.protocol, l.protocol_port])).toEqual([
      ['lb-master_api_listener', ref('openstack_lb_loadbalancer_v2', 'lb-master'), 'TCP', 6443],
      ['lb-master_etcd_listener', ref('openstack_lb_loadbalancer_v2', 'lb-master'), 'TCP', 2379],
      ['lb-worker_http_listener', ref('openstack_lb_loadbalancer_v2', 'lb-worker'), 'TCP', 80],
      ['lb-worker_https_listener', ref('openstack_lb_loadbalancer_v2', 'lb-worker'), 'TCP', 443],
    ]);
    const pools = resources(doc, 'openstack_lb_pool_v2');
    for (const [k, p] of Object.entries(pools)) {
      expect(p).toMatchObject({ protocol: 'TCP', lb_method: 'ROUND_ROBIN', listener_id: ref('openstack_lb_listener_v2', k.replace('_pool', '_listener')) });
    }
    const monitors = resources(doc, 'openstack_lb_monitor_v2');
    expect(monitors['lb-master_api_monitor']).toMatchObject({ type: 'HTTPS', url_path: '/healthz', expected_codes: '200', http_method: 'GET', delay: 5, timeout: 3, max_retries: 3 });
    expect(Object.values(monitors).map((m) => m.type)).toEqual(['HTTPS', 'TCP', 'TCP', 'TCP']);
  });

  it('puts every master behind both master listeners and every worker behind 80->31080 and 443->31443', () => {
    const members = resources(doc, 'openstack_lb_member_v2');
    const byPool: Record<string, string[]> = {};
    for (const m of Object.values(members)) {
      const pool = /pool_v2\.([^.]+)\.id/.exec(m.pool_id)![1];
      (byPool[pool] ??= []).push(`${m.address}:${m.protocol_port}`);
      expect(m.subnet_id).toBe(ref('data.openstack_networking_subnet_v2', 'network_subnet'));
    }
    expect(byPool).toEqual({
      'lb-master_api_pool': ['172.16.0.192:6443', '172.16.0.157:6443', '172.16.0.254:6443'],
      'lb-master_etcd_pool': ['172.16.0.192:2379', '172.16.0.157:2379', '172.16.0.254:2379'],
      'lb-worker_http_pool': ['172.16.0.12:31080', '172.16.0.78:31080', '172.16.0.30:31080'],
      'lb-worker_https_pool': ['172.16.0.12:31443', '172.16.0.78:31443', '172.16.0.30:31443'],
    });
  });

  it('gives every node and both LBs a floating IP from the external network', () => {
    const fips = resources(doc, 'openstack_networking_floatingip_v2');
    expect(Object.keys(fips)).toHaveLength(8);
    for (const f of Object.values(fips)) expect(f.pool).toBe(ref('data.openstack_networking_network_v2', 'network_external', 'name'));
    const assoc = resources(doc, 'openstack_networking_floatingip_associate_v2');
    expect(assoc['lb-master_floating-ip-association']).toEqual({
      floating_ip: ref('openstack_networking_floatingip_v2', 'lb-master_floating-ip', 'address'),
      port_id: ref('openstack_lb_loadbalancer_v2', 'lb-master', 'vip_port_id'),
    });
    expect(assoc['node_worker-2_floating-ip-association'].port_id).toBe(ref('openstack_networking_port_v2', 'node_worker-2_port'));
    expect(withoutMeta(doc.data!.openstack_networking_network_v2.network_external)).toEqual({ external: true });
  });

  it('outputs what the ansible step needs', () => {
    const value = doc.output.ansible.value;
    expect(value.ssh_user).toBe('ubuntu');
    expect(value.jump_host).toBe(ref('openstack_networking_floatingip_v2', 'node_master-1_floating-ip', 'address'));
    expect(Object.keys(value.nodes)).toEqual(['master-1', 'master-2', 'master-3', 'worker-1', 'worker-2', 'worker-3']);
    expect(value.nodes['worker-3']).toEqual({ role: 'worker', private_ip: '172.16.0.30', public_ip: ref('openstack_networking_floatingip_v2', 'node_worker-3_floating-ip', 'address') });
    expect(value.master_lb).toEqual({ vip: '172.16.0.176', public_ip: ref('openstack_networking_floatingip_v2', 'lb-master_floating-ip', 'address') });
    expect(value.worker_lb.vip).toBe('172.16.0.53');
    expect(Object.keys(doc.output).sort()).toEqual(['ansible', 'master_lb', 'nodes', 'worker_lb']);
  });

  it('carries no credentials, secrets or absolute paths', () => {
    expect(text).not.toMatch(/password|secret|token|credential|PRIVATE KEY|admin_pass/i);
    expect(text).not.toMatch(/"\/(home|root|tmp|work|Users)\//);
    expect(doc.provider.openstack[0]).toEqual({ region: 'kr-central-2' });
  });
});

function withoutMeta<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === '//' ? undefined : x))) as T;
}

describe('infra stack scaling', () => {
  it('adds exactly one port, instance, floating IP and member per worker pool for a fourth worker', () => {
    const three = addresses(synthInfra());
    const four = addresses(synthInfra({ nodes: { workers: { ips: ['172.16.0.12', '172.16.0.78', '172.16.0.30', '172.16.0.31'] } } }));
    expect(three.filter((a) => !four.includes(a))).toEqual([]);
    expect(four.filter((a) => !three.includes(a))).toEqual([
      'openstack_compute_instance_v2.node_worker-4',
      'openstack_lb_member_v2.lb-worker_http_member-worker-4',
      'openstack_lb_member_v2.lb-worker_https_member-worker-4',
      'openstack_networking_floatingip_associate_v2.node_worker-4_floating-ip-association',
      'openstack_networking_floatingip_v2.node_worker-4_floating-ip',
      'openstack_networking_port_v2.node_worker-4_port',
    ]);
  });

  it('renders 5 masters and 7 workers', () => {
    const doc = synthInfra({ nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } } });
    expect(Object.keys(resources(doc, 'openstack_compute_instance_v2'))).toHaveLength(12);
    expect(Object.values(resources(doc, 'openstack_lb_member_v2')).filter((m) => m.protocol_port === 6443).map((m) => m.address))
      .toEqual(['172.16.0.100', '172.16.0.101', '172.16.0.102', '172.16.0.103', '172.16.0.104']);
  });
});

describe('infra stack options', () => {
  it('gives no floating IPs without publicIp, and outputs Terraform null public addresses', () => {
    const doc = synthInfra({ nodes: { masters: { publicIp: false }, workers: { publicIp: false } }, loadBalancers: { worker: { publicIp: false } } });
    expect(Object.keys(resources(doc, 'openstack_networking_floatingip_v2'))).toEqual(['lb-master_floating-ip']);
    expect(doc.output.ansible.value.jump_host).toBeNull();
    expect(doc.output.ansible.value.nodes['master-1'].public_ip).toBeNull();
    expect(doc.output.worker_lb.value).toEqual({ vip: '172.16.0.53', public_ip: null });
  });

  it('uses a master with a public IP as the jump host when workers have none', () => {
    const doc = synthInfra({ nodes: { workers: { publicIp: false } } });
    expect(doc.output.ansible.value.jump_host).toBe(ref('openstack_networking_floatingip_v2', 'node_master-1_floating-ip', 'address'));
    expect(doc.output.ansible.value.nodes['worker-1'].public_ip).toBeNull();
  });

  it('creates network, subnet and router in create mode', () => {
    const doc = synthInfra({ network: { mode: 'create', subnet: { dnsServers: ['8.8.8.8'] } } });
    expect(resources(doc, 'openstack_networking_network_v2')).toEqual({ network: { name: 'test-kpaas', admin_state_up: true } });
    expect(resources(doc, 'openstack_networking_subnet_v2').network_subnet).toEqual({
      name: 'main_subnet', network_id: ref('openstack_networking_network_v2', 'network'), cidr: '172.16.0.0/24', ip_version: 4, enable_dhcp: true, dns_nameservers: ['8.8.8.8'],
    });
    expect(resources(doc, 'openstack_networking_router_v2').network_router.external_network_id).toBe(ref('data.openstack_networking_network_v2', 'network_external'));
    expect(resources(doc, 'openstack_networking_router_interface_v2')['network_router-interface']).toEqual({
      router_id: ref('openstack_networking_router_v2', 'network_router'), subnet_id: ref('openstack_networking_subnet_v2', 'network_subnet'),
    });
    expect(doc.data!.openstack_networking_subnet_v2).toBeUndefined();
    expect(resources(doc, 'openstack_networking_port_v2')['node_master-1_port'].network_id).toBe(ref('openstack_networking_network_v2', 'network'));
  });

  it('uses the S3 backend of Kakao Object Storage', () => {
    const doc = synthInfra({ terraform: { backend: { type: 's3', bucket: 'tfstate' } } });
    expect(doc.terraform.backend).toEqual({
      s3: {
        bucket: 'tfstate', key: 'kpaas/infra.tfstate', region: 'kr-central-2', endpoints: { s3: 'https://objectstorage.kr-central-2.kakaocloud.com' },
        use_path_style: true, skip_credentials_validation: true, skip_region_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_s3_checksum: true,
      },
    });
  });

  it('creates the key pair from a public key, pins an image id, drops server groups and LB groups on request', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGf0b2tleQ admin@example';
    const doc = synthInfra({
      access: { keyPair: { name: 'ops', publicKey: key } },
      nodes: { image: { id: '11111111-2222-3333-4444-555555555555' }, workers: { serverGroupPolicy: 'none' }, masters: { serverGroupPolicy: 'soft-anti-affinity' } },
      loadBalancers: { securityGroups: false, flavorId: 'nlb-flavor-uuid' },
    });
    expect(resources(doc, 'openstack_compute_keypair_v2')).toEqual({ keypair: { name: 'ops', public_key: key } });
    const instances = resources(doc, 'openstack_compute_instance_v2');
    expect(instances['node_master-1'].key_pair).toBe(ref('openstack_compute_keypair_v2', 'keypair', 'name'));
    expect(instances['node_master-1'].block_device[0].uuid).toBe('11111111-2222-3333-4444-555555555555');
    expect(doc.data!.openstack_images_image_v2).toBeUndefined();
    expect(instances['node_worker-1'].scheduler_hints).toBeUndefined();
    expect(resources(doc, 'openstack_compute_servergroup_v2')).toEqual({ 'servergroup-master': { name: 'kpaas-masters', policies: ['soft-anti-affinity'] } });
    expect(Object.keys(resources(doc, SG))).toEqual(['sg-common', 'sg-master', 'sg-nfs', 'sg-worker']);
    expect(resources(doc, 'openstack_lb_loadbalancer_v2')['lb-worker']).toMatchObject({ flavor_id: 'nlb-flavor-uuid' });
    expect(resources(doc, 'openstack_lb_loadbalancer_v2')['lb-worker'].security_group_ids).toBeUndefined();
  });

  it('restricts SSH, API and HTTP sources and keeps the VPC for cluster traffic', () => {
    const doc = synthInfra({ access: { sshSourceCidrs: ['203.0.113.0/24'], apiSourceCidrs: ['203.0.113.0/24', '198.51.100.7/32'], httpSourceCidrs: ['198.51.100.0/24'] } });
    const rows = ruleRows(doc);
    expect(rows.filter((r) => r.includes(' 22 '))).toEqual(['sg-common ingress tcp 22 203.0.113.0/24']);
    expect(rows.filter((r) => r.startsWith('sg-master ingress tcp 6443'))).toEqual([
      'sg-master ingress tcp 6443 172.16.0.0/16', 'sg-master ingress tcp 6443 198.51.100.7/32', 'sg-master ingress tcp 6443 203.0.113.0/24',
    ]);
    expect(rows.filter((r) => r.startsWith('sg-worker-lb ingress'))).toEqual([
      'sg-worker-lb ingress tcp 443 172.16.0.0/16', 'sg-worker-lb ingress tcp 443 198.51.100.0/24',
      'sg-worker-lb ingress tcp 80 172.16.0.0/16', 'sg-worker-lb ingress tcp 80 198.51.100.0/24',
    ]);
    expect(rows.some((r) => r.includes('0.0.0.0/0') && r.includes('ingress'))).toBe(false);
  });

  it('installs the NFS server package only on the NFS server', () => {
    const instances = resources(synthInfra({ storage: { nfsServer: 'master-2' } }), 'openstack_compute_instance_v2');
    expect(instances['node_master-2'].user_data).toContain('- nfs-kernel-server');
    expect(instances['node_master-1'].user_data).not.toContain('nfs-kernel-server');
  });
});
