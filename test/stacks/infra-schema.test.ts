/**
 * Stands in for `terraform validate` (no OpenStack provider can be downloaded here): every
 * synthesized document is checked against the provider's own schema for v3.4.0.
 */
import { loadProviderSchema, validateTerraformJson } from '../support/terraform-schema';
import { synthInfra } from '../support/synth';
import type { KpaasConfigInput } from '../../config';

const schema = loadProviderSchema();
if (!schema) {
  console.warn('SKIPPED: provider schema validation; ../shared/schemas/openstack-provider-3.4.0.json is absent');
}
const maybe = schema ? it : it.skip;

const CONFIGS: Record<string, KpaasConfigInput> = {
  'the default (seed) config': {},
  'create mode, S3 backend, created key pair, pinned image': {
    network: { mode: 'create', subnet: { dnsServers: ['8.8.8.8'] }, externalNetwork: 'public' },
    terraform: { backend: { type: 's3', bucket: 'state' } },
    access: { keyPair: { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGf0b2tleQ admin@example' } },
    nodes: { image: { id: 'f0000000-0000-0000-0000-000000000000' }, masters: { volumeType: 'SSD' } },
    loadBalancers: { flavorId: 'nlb-flavor', securityGroups: false },
  },
  'private nodes and no server groups': {
    nodes: { masters: { publicIp: false, serverGroupPolicy: 'none' }, workers: { publicIp: false, serverGroupPolicy: 'soft-anti-affinity' } },
    loadBalancers: { master: { publicIp: false }, worker: { publicIp: false } },
  },
  '5 masters and 7 workers': {
    nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } },
  },
};

describe('cdk.tf.json against the OpenStack provider 3.4.0 schema', () => {
  for (const [name, input] of Object.entries(CONFIGS)) {
    maybe(`is valid for ${name}`, () => {
      expect(validateTerraformJson(synthInfra({ ...input, cloud: { provider: 'openstack' } }), schema!)).toEqual([]);
    });
  }

  maybe('catches a broken document (the check itself works on our output)', () => {
    const doc = JSON.parse(JSON.stringify(synthInfra({ cloud: { provider: 'openstack' } }))) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const port = doc.resource.openstack_networking_port_v2['node_master-1_port'];
    port.fixed_ips = port.fixed_ip;
    delete port.fixed_ip;
    delete port.network_id;
    doc.resource.openstack_lb_member_v2['lb-master_api_member-master-1'].pool_id = '${openstack_lb_pool_v2.nope.id}';
    expect(validateTerraformJson(doc, schema!).sort()).toEqual([
      'openstack_lb_member_v2.lb-master_api_member-master-1: pool_id: reference to undeclared resource "openstack_lb_pool_v2.nope"',
      'openstack_networking_port_v2.node_master-1_port: missing required attribute "network_id"',
      expect.stringMatching(/^openstack_networking_port_v2\.node_master-1_port: unknown attribute "fixed_ips"/),
    ]);
  });
});
