/**
 * The three outputs come from one resolved config and must agree, on both Terraform targets: the
 * inventory's IPs are the interfaces' (ports') fixed IPs, the MetalLB pools are the workers'
 * allowed address pairs, the LB members are the inventory's masters and workers, and `kpaas
 * connect` carries the stack's LB addresses into the inventory and the API certificate.
 */
import { parse, parseAllDocuments } from 'yaml';
import { parseConfig, parseRange, rangeToCidrs, type KpaasConfigInput } from '../../config';
import { renderAll } from '../../cli/render';
import { connectFromTerraformOutputs } from '../../ansible';
import { KAKAO_APPLIED } from '../support/kakaocloud-outputs';
import { resources, withoutMetadata, type TfDoc } from '../support/synth';

interface Target {
  readonly port: string;
  readonly ip: (p: any) => string;
  readonly pairs: (p: any) => string[] | undefined;
  readonly member: string;
  readonly memberGroup: (m: any) => string;
  readonly vip: Record<'master' | 'worker', string>;
}

const TARGETS: Record<'kakaocloud' | 'openstack', Target> = {
  kakaocloud: {
    port: 'kakaocloud_network_interface',
    ip: (p) => p.private_ip,
    pairs: (p) => p.allowed_address_pairs?.map((a: { ip_address: string }) => a.ip_address),
    member: 'kakaocloud_load_balancer_target_group_member',
    memberGroup: (m) => /group\.(lb-[a-z]+)_([a-z]+)_/.exec(m.target_group_id)!.slice(1).join(' '),
    vip: { master: '${kakaocloud_load_balancer.lb-master.private_vip}', worker: '${kakaocloud_load_balancer.lb-worker.private_vip}' },
  },
  openstack: {
    port: 'openstack_networking_port_v2',
    ip: (p) => p.fixed_ip[0].ip_address,
    pairs: (p) => p.allowed_address_pairs?.map((a: { ip_address: string }) => a.ip_address),
    member: 'openstack_lb_member_v2',
    memberGroup: (m) => /pool_v2\.(lb-[a-z]+)_([a-z]+)_/.exec(m.pool_id)!.slice(1).join(' '),
    vip: { master: '172.16.0.176', worker: '172.16.0.53' },
  },
};

const CONFIGS: Record<string, KpaasConfigInput> = {
  'the seed': {},
  'a scaled cluster with another pool': {
    nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 4, ipRange: '172.16.0.20-172.16.0.40' } },
    metallb: { pool: '172.16.0.150-172.16.0.170', extraRanges: ['172.16.0.180-172.16.0.189'] },
    ingress: { ip: '172.16.0.200' },
  },
};

/** What `terraform apply` would make of the outputs: every `${...}` replaced by a made-up address. */
function applied(doc: TfDoc, known: Record<string, unknown>): Record<string, unknown> {
  let n = 0;
  const fake = new Map<string, unknown>(Object.entries(known));
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith('${')) {
      if (!fake.has(v)) fake.set(v, `203.0.113.${++n}`);
      return fake.get(v);
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return Object.fromEntries(Object.entries(withoutMetadata(doc.output)).map(([k, o]) => [k, { sensitive: false, value: fill((o as { value: unknown }).value) }]));
}

for (const [targetName, t] of Object.entries(TARGETS)) {
  for (const [configName, input] of Object.entries(CONFIGS)) {
    describe(`outputs agree on ${targetName}, ${configName}`, () => {
      const config = parseConfig({ ...input, cloud: { provider: targetName as 'kakaocloud' | 'openstack' } });
      const files = renderAll(config, { outDir: 'dist', projectDir: '.' });
      const doc = JSON.parse(files.get('terraform/infra/cdk.tf.json')!.content) as TfDoc;
      const hosts = parse(files.get('ansible/inventory/hosts.yaml')!.content).all;
      const ports = resources(doc, t.port);
      const portOf = (name: string) => Object.entries(ports).find(([k]) => k.startsWith(`node_${name}_`))![1];

      it('inventory IPs are the fixed IPs of the interfaces', () => {
        expect(Object.keys(ports)).toHaveLength(config.nodes.all.length);
        for (const [name, h] of Object.entries<any>(hosts.hosts)) {
          expect([h.ip, h.access_ip, h.ansible_host]).toEqual([t.ip(portOf(name)), t.ip(portOf(name)), t.ip(portOf(name))]);
        }
      });

      it('the MetalLB pools are exactly the workers\' allowed address pairs', () => {
        const pools = [...parseAllDocuments(files.get('manifests/' + [...files.keys()].map((k) => k.replace('manifests/', '')).find((k) => files.get(`manifests/${k}`)?.content.includes('kind: IPAddressPool'))!)!.content)]
          .map((d) => d.toJS()).filter((o) => o?.kind === 'IPAddressPool');
        const cidrs = pools.flatMap((p) => p.spec.addresses as string[]).flatMap((a) => (a.includes('/') ? [a] : rangeToCidrs(parseRange(a)!))).sort();
        for (const w of Object.keys(hosts.children.kube_node.hosts)) expect([...t.pairs(portOf(w))!].sort()).toEqual(cidrs);
        for (const m of Object.keys(hosts.children.kube_control_plane.hosts)) expect(t.pairs(portOf(m))).toBeUndefined();
      });

      it('LB members are the inventory\'s masters and workers, on every listener', () => {
        const byGroup: Record<string, string[]> = {};
        for (const m of Object.values(resources(doc, t.member))) (byGroup[t.memberGroup(m)] ??= []).push(m.address);
        const ipsOf = (group: string) => Object.keys(hosts.children[group].hosts).map((n) => hosts.hosts[n].ip);
        expect(byGroup).toEqual({
          'lb-master api': ipsOf('kube_control_plane'),
          'lb-master etcd': ipsOf('kube_control_plane'),
          'lb-worker http': ipsOf('kube_node'),
          'lb-worker https': ipsOf('kube_node'),
        });
      });

      it('kpaas connect carries the LB private and public addresses into the inventory and the API certificate', () => {
        expect(doc.output.master_lb.value.vip).toBe(t.vip.master);
        expect(doc.output.worker_lb.value.vip).toBe(t.vip.worker);
        // openstack's VIPs are the config's (literal in the stack); kakaocloud's are known after the apply
        const vip = targetName === 'kakaocloud' ? KAKAO_APPLIED.masterLb.vip : t.vip.master;
        const checks = '${kakaocloud_load_balancer_target_group_member.lb-master_api_member-master-1.subnet.health_check_ips}';
        const outputs = applied(doc, { [t.vip.master]: vip, [t.vip.worker]: KAKAO_APPLIED.workerLb.vip, [checks]: [...KAKAO_APPLIED.healthCheckIps] });
        const inv = parse(connectFromTerraformOutputs(outputs, config).get('inventory/zz-connection.yaml')!).all;
        const lbPublic = (outputs.master_lb as { value: { public_ip: string } }).value.public_ip;
        const masters = config.nodes.masters.nodes.map((n) => n.privateIp);
        for (const node of config.nodes.all) {
          const h = inv.hosts[node.name];
          expect(h.supplementary_addresses_in_ssl_keys).toEqual([vip, ...masters, lbPublic]);
          if (targetName === 'kakaocloud') expect(h.loadbalancer_apiserver).toEqual({ address: vip, port: 6443 });
          else expect(h.loadbalancer_apiserver).toBeUndefined();
        }
      });
    });
  }
}
