/** The KakaoCloud constructs hold what they write to the provider's validators (config/kakaocloud-rules.ts). */
import { Testing, TerraformStack } from 'cdktf';
import { parseConfig } from '../../../config';
import { checkEnum, ENUMS, kakaoDescriptionOk, kakaoNameProblem } from '../../../config/kakaocloud-rules';
import { Direction, Protocol } from '../../../constructs/infra';
import { kakaoMonitor, kakaoRule, kakaoUserData, KakaoSecurityGroup } from '../../../constructs/infra/kakaocloud';

describe('kakaoRule', () => {
  it('writes the provider\'s protocol names, ports only for TCP and UDP, always a CIDR remote', () => {
    expect(kakaoRule({ name: 'ssh', description: 'SSH', protocol: Protocol.TCP, ports: 22, cidrs: [] }, '10.0.0.0/8')).toEqual({
      direction: 'ingress', protocol: 'TCP', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '10.0.0.0/8', description: 'SSH',
    });
    expect(kakaoRule({ name: 'np', description: 'NodePorts', protocol: Protocol.UDP, ports: [30000, 32767], cidrs: [] }, '0.0.0.0/0'))
      .toMatchObject({ protocol: 'UDP', portRangeMin: 30000, portRangeMax: 32767 });
    expect(kakaoRule({ name: 'out', description: 'all out', direction: Direction.EGRESS, protocol: Protocol.ANY, cidrs: [] }, '0.0.0.0/0')).toEqual({
      direction: 'egress', protocol: 'ALL', remoteIpPrefix: '0.0.0.0/0', description: 'all out',
    });
    expect(kakaoRule({ name: 'icmp', description: 'Ping', protocol: Protocol.ICMP, cidrs: [] }, '10.0.0.0/8')).toEqual({
      direction: 'ingress', protocol: 'ICMP', remoteIpPrefix: '10.0.0.0/8', description: 'Ping',
    });
  });

  it('replaces a description the provider would refuse (over 50 characters, or other characters) by the row name', () => {
    const long = 'x'.repeat(51);
    expect(kakaoRule({ name: 'long-one', description: long, protocol: Protocol.TCP, ports: 1, cidrs: [] }, '10.0.0.0/8').description).toBe('long-one');
    expect(kakaoRule({ name: 'odd', description: 'tab\there', protocol: Protocol.TCP, ports: 1, cidrs: [] }, '10.0.0.0/8').description).toBe('odd');
    expect(kakaoRule({ name: 'ok', description: 'x'.repeat(50), protocol: Protocol.TCP, ports: 1, cidrs: [] }, '10.0.0.0/8').description).toBe('x'.repeat(50));
  });

  it('fails on ports for ICMP and on TCP without ports', () => {
    expect(() => kakaoRule({ name: 'icmp', description: 'Ping', protocol: Protocol.ICMP, ports: 8, cidrs: [] }, '10.0.0.0/8')).toThrow('security group rule icmp: ICMP takes no ports on Kakao\'s provider');
    expect(() => kakaoRule({ name: 'tcp', description: 'x', protocol: Protocol.TCP, cidrs: [] }, '10.0.0.0/8')).toThrow('security group rule tcp: TCP needs a port range on Kakao\'s provider');
  });
});

describe('KakaoSecurityGroup', () => {
  const synth = (name: string, rules: ConstructorParameters<typeof KakaoSecurityGroup>[2]['rules']) => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new KakaoSecurityGroup(stack, 'sg', { name, description: 'K-PaaS: test', rules });
    return JSON.parse(Testing.synth(stack)).resource.kakaocloud_security_group;
  };

  it('writes one inline rule per row and CIDR', () => {
    const groups = synth('test-sg', [{ name: 'ssh', description: 'SSH', protocol: Protocol.TCP, ports: 22, cidrs: ['10.0.0.0/8', '192.168.0.0/16'] }]);
    expect(Object.values(groups)).toEqual([{
      name: 'test-sg',
      description: 'K-PaaS: test',
      rules: [
        { direction: 'ingress', protocol: 'TCP', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '10.0.0.0/8', description: 'SSH' },
        { direction: 'ingress', protocol: 'TCP', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '192.168.0.0/16', description: 'SSH' },
      ],
    }]);
  });

  it('fails on a name the provider refuses and on a rule name used twice', () => {
    expect(() => synth('sg', [])).toThrow('security group "sg": the name must be 4-250 characters (it has 2)');
    const row = { name: 'ssh', description: 'SSH', protocol: Protocol.TCP, ports: 22, cidrs: ['10.0.0.0/8'] };
    expect(() => synth('test-sg', [row, row])).toThrow('security group test-sg: rule name "ssh" is used twice');
  });
});

describe('kakaoMonitor', () => {
  it('gives HTTPS monitors all four HTTP fields and TCP monitors none, delay above timeout', () => {
    expect(kakaoMonitor({ type: 'HTTPS', urlPath: '/healthz', expectedCodes: '200' })).toEqual({
      type: 'HTTPS', delay: 5, timeout: 3, maxRetries: 3, maxRetriesDown: 3, httpMethod: 'GET', httpVersion: '1.1', urlPath: '/healthz', expectedCodes: '200',
    });
    expect(kakaoMonitor({ type: 'TCP' })).toEqual({ type: 'TCP', delay: 5, timeout: 3, maxRetries: 3, maxRetriesDown: 3 });
  });

  it('fails on a path or codes the provider refuses', () => {
    expect(() => kakaoMonitor({ type: 'HTTPS', urlPath: 'healthz', expectedCodes: '200' })).toThrow(/url_path "healthz" or expected_codes "200" breaks the provider's rules/);
    expect(() => kakaoMonitor({ type: 'HTTPS', urlPath: '/healthz', expectedCodes: '2xx' })).toThrow(/expected_codes "2xx"/);
  });
});

describe('kakaoUserData', () => {
  it('is the node\'s cloud-init in Base64', () => {
    const node = parseConfig({}).nodes.all[0];
    const b64 = kakaoUserData(node);
    expect(Buffer.from(b64, 'base64').toString('utf8')).toMatch(/^#cloud-config\nhostname: master-1\n/);
  });
});

describe('the provider\'s rules as data', () => {
  it('accepts only the OneOf values, naming the upstream file', () => {
    expect(checkEnum('securityGroupRuleProtocol', 'ALL')).toBe('ALL');
    expect(() => checkEnum('securityGroupRuleProtocol', 'IPIP')).toThrow(
      'kakaocloud securityGroupRuleProtocol: "IPIP" is not allowed; allowed: TCP, UDP, ICMP, ALL (kakaoenterprise/terraform-provider-kakaocloud@v0.4.1:internal/service/network/security_group_schema.go)',
    );
    expect(() => checkEnum('publicIpDeviceType', 'load_balancer')).toThrow(/allowed: instance, load-balancer/);
    for (const e of Object.values(ENUMS)) expect(e.ref).toMatchObject({ repo: 'kakaoenterprise/terraform-provider-kakaocloud', tag: 'v0.4.1' });
  });

  it('applies the name rule: length, characters, ends, doubled symbols', () => {
    expect(kakaoNameProblem('worker-1', 'instance')).toBeUndefined();
    expect(kakaoNameProblem('w-1', 'instance')).toBe('must be 4-63 characters (it has 3)');
    expect(kakaoNameProblem('a'.repeat(64), 'network_interface')).toBe('must be 4-63 characters (it has 64)');
    expect(kakaoNameProblem('a'.repeat(64), 'security_group')).toBeUndefined();
    expect(kakaoNameProblem('-abc', 'instance')).toMatch(/start and end with a letter or digit/);
    expect(kakaoNameProblem('ab.cd', 'instance')).toMatch(/only letters, digits/);
    expect(kakaoNameProblem('ab_-cd', 'instance')).toBe('must not contain "_-" (nor any of "--", "__", "-_", "_-")');
  });

  it('applies the description rule', () => {
    expect(kakaoDescriptionOk('K-PaaS: every cluster node')).toBe(true);
    expect(kakaoDescriptionOk('x'.repeat(101))).toBe(false);
    expect(kakaoDescriptionOk('쿠버네티스 마스터')).toBe(true);
    expect(kakaoDescriptionOk('line\nbreak')).toBe(false);
  });
});
