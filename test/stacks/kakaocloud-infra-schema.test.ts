/**
 * Stands in for `terraform validate` on the default target: every synthesized KakaoCloud stack is
 * checked strictly against kakaoenterprise/kakaocloud 0.4.1's schema (framework nested attributes
 * at every depth, references to any resource type), and the check is shown catching each kind of
 * defect seeded into our own output.
 */
import * as path from 'path';
import { loadProviderSchema, validateTerraformJson } from '../support/terraform-schema';
import { synthInfra } from '../support/synth';
import type { KpaasConfigInput } from '../../config';

const SCHEMA_FILE = path.resolve(__dirname, '../../../shared/schemas/kakaocloud-provider-0.4.1.json');
const schema = loadProviderSchema(SCHEMA_FILE);
if (!schema) {
  console.warn('SKIPPED: KakaoCloud provider schema validation; ../shared/schemas/kakaocloud-provider-0.4.1.json is absent');
}
const maybe = schema ? it : it.skip;

const CONFIGS: Record<string, KpaasConfigInput> = {
  'the default (seed) config': {},
  'create mode, S3 backend, created key pair, pinned image and LB flavor, volume types': {
    network: { mode: 'create' },
    terraform: { backend: { type: 's3', bucket: 'state' } },
    access: { keyPair: { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGf0b2tleQ admin@example' } },
    nodes: { image: { id: 'f0000000-0000-4000-8000-000000000000' }, masters: { volumeType: 'SSD' }, workers: { flavor: 'm2a.large' } },
    loadBalancers: { flavorId: 'f0000000-0000-4000-8000-000000000001' },
  },
  'private nodes and LBs': {
    nodes: { masters: { publicIp: false }, workers: { publicIp: false } },
    loadBalancers: { master: { publicIp: false }, worker: { publicIp: false } },
  },
  '5 masters and 7 workers': {
    nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } },
  },
};

type Doc = { resource: Record<string, Record<string, Record<string, any>>>; output: Record<string, any> };

describe('cdk.tf.json against the KakaoCloud provider 0.4.1 schema', () => {
  for (const [name, input] of Object.entries(CONFIGS)) {
    maybe(`is valid for ${name}`, () => {
      expect(validateTerraformJson(synthInfra(input), schema!)).toEqual([]);
    });
  }

  maybe('fails on defects seeded into our own output: unknown, missing-required, computed-only, wrong-typed at every depth, unresolved references', () => {
    const doc = JSON.parse(JSON.stringify(synthInfra())) as Doc;
    const r = doc.resource;
    const vm = r.kakaocloud_instance['node_master-1'];
    const nic = r.kakaocloud_network_interface['node_worker-1_nic'];
    const sg = r.kakaocloud_security_group['sg-common'];
    const ip = r.kakaocloud_public_ip['lb-master_public-ip'];
    // top level: unknown, missing required, computed-only, wrong type
    vm.flavor_name = 't1i.xlarge';
    delete r.kakaocloud_load_balancer['lb-master'].flavor_id;
    r.kakaocloud_load_balancer['lb-worker'].private_vip = '172.16.0.53';
    r.kakaocloud_load_balancer_listener['lb-master_api_listener'].protocol_port = 'https';
    // depth 1 (list, set, single nested attributes)
    vm.subnets[0].fixed_ip = '172.16.0.192';
    delete sg.rules[0].direction;
    ip.related_resource.status = 'ACTIVE';
    nic.allowed_address_pairs[0].ip_address = ['172.16.0.201/32'];
    vm.volumes = { size: 200 };
    // depth 2: nested inside nested (the provider's own timeouts attribute inside a rule does not exist)
    sg.rules[1].timeouts = { create: '5m' };
    // references
    r.kakaocloud_load_balancer_target_group_member['lb-master_api_member-master-1'].target_group_id = '${kakaocloud_load_balancer_target_group.nope.id}';
    nic.subnet_id = '${kakaocloud_subnet.main.id}';
    doc.output.master_lb.value.vip = '${kakaocloud_load_balancer.lb-master.vip_address}';
    doc.output.nodes.value['master-1'].public_ip = '${kakaocloud_instance.node_master-1.addresses[0].public_address}';
    expect(validateTerraformJson(doc, schema!).sort()).toEqual([
      'kakaocloud_instance.node_master-1: subnets[0]: unknown attribute "fixed_ip"',
      'kakaocloud_instance.node_master-1: unknown attribute "flavor_name"',
      'kakaocloud_instance.node_master-1: volumes: expected a list of objects (nesting_mode list), got object',
      'kakaocloud_load_balancer.lb-master: missing required attribute "flavor_id"',
      'kakaocloud_load_balancer.lb-worker: attribute "private_vip" is computed-only and cannot be set',
      'kakaocloud_load_balancer_listener.lb-master_api_listener: protocol_port: expected number, got string "https"',
      'kakaocloud_load_balancer_target_group_member.lb-master_api_member-master-1: target_group_id: reference to undeclared resource "kakaocloud_load_balancer_target_group.nope"',
      'kakaocloud_network_interface.node_worker-1_nic: allowed_address_pairs[0].ip_address: expected string, got array',
      'kakaocloud_network_interface.node_worker-1_nic: subnet_id: reference to undeclared resource "kakaocloud_subnet.main"',
      'kakaocloud_public_ip.lb-master_public-ip: related_resource: attribute "status" is computed-only and cannot be set',
      expect.stringMatching(/^kakaocloud_security_group\.sg-common: rules\[\d+\]: missing required attribute "direction"$/),
      expect.stringMatching(/^kakaocloud_security_group\.sg-common: rules\[\d+\]: unknown attribute "timeouts"$/),
      expect.stringMatching(/^output\.master_lb: value\.vip: reference to unknown attribute "vip_address" of kakaocloud_load_balancer\.lb-master/),
      'output.nodes: value.master-1.public_ip: reference to unknown attribute "public_address" of kakaocloud_instance.node_master-1.addresses',
    ]);
  });
});
