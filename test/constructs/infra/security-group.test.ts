import { Testing, TerraformStack } from 'cdktf';
import { Direction, Protocol, SecurityGroup } from '../../../constructs/infra';

function synth(rules: ConstructorParameters<typeof SecurityGroup>[2]['rules']) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new SecurityGroup(stack, 'sg', { name: 'test-sg', description: 'test', rules });
  return JSON.parse(Testing.synth(stack)).resource;
}

describe('SecurityGroup', () => {
  it('drops the default rules and writes one rule per source CIDR', () => {
    const res = synth([{ name: 'ssh', description: 'SSH', protocol: Protocol.TCP, ports: 22, cidrs: ['10.0.0.0/8', '192.168.0.0/16'] }]);
    expect(Object.values(res.openstack_networking_secgroup_v2)).toEqual([expect.objectContaining({ name: 'test-sg', delete_default_rules: true })]);
    const rules = Object.values(res.openstack_networking_secgroup_rule_v2) as Array<Record<string, unknown>>;
    expect(rules.map((r) => [r.direction, r.protocol, r.port_range_min, r.port_range_max, r.remote_ip_prefix])).toEqual([
      ['ingress', 'tcp', 22, 22, '10.0.0.0/8'],
      ['ingress', 'tcp', 22, 22, '192.168.0.0/16'],
    ]);
  });

  it('writes ranges, and no protocol or ports for ANY', () => {
    const res = synth([
      { name: 'node-ports', description: 'NodePorts', protocol: Protocol.TCP, ports: [30000, 32767], cidrs: ['0.0.0.0/0'] },
      { name: 'egress', description: 'all out', direction: Direction.EGRESS, protocol: Protocol.ANY, cidrs: ['0.0.0.0/0'] },
    ]);
    const rules = Object.values(res.openstack_networking_secgroup_rule_v2) as Array<Record<string, unknown>>;
    const byDescription = (d: string) => rules.find((r) => r.description === d)!;
    expect(byDescription('NodePorts')).toMatchObject({ protocol: 'tcp', port_range_min: 30000, port_range_max: 32767 });
    expect(byDescription('all out').direction).toBe('egress');
    expect(byDescription('all out').protocol).toBeUndefined();
    expect(byDescription('all out').port_range_min).toBeUndefined();
  });

  it('fails on a rule name used twice', () => {
    expect(() => synth([
      { name: 'ssh', description: 'a', protocol: Protocol.TCP, ports: 22, cidrs: ['10.0.0.0/8'] },
      { name: 'ssh', description: 'b', protocol: Protocol.TCP, ports: 2222, cidrs: ['10.0.0.0/8'] },
    ])).toThrow(/security group test-sg: rule name "ssh" is used twice/);
  });
});
