/** Loader rules of the default target (cloud.provider: kakaocloud): one clear line per problem. */
import { parseConfig } from '../../config';
import { configErrorOf } from '../support/config-error';

describe('cloud.provider', () => {
  it('defaults to kakaocloud: no VIPs, no server groups, the NLB flavor by name', () => {
    const c = parseConfig({});
    expect(c.cloud).toEqual({ provider: 'kakaocloud', region: 'kr-central-2', availabilityZone: 'kr-central-2-a' });
    expect([c.loadBalancers.master.vip, c.loadBalancers.worker.vip]).toEqual([undefined, undefined]);
    expect([c.nodes.masters.serverGroupPolicy, c.nodes.workers.serverGroupPolicy]).toEqual(['none', 'none']);
    expect(c.loadBalancers.flavorName).toBe('NLB');
  });

  it('keeps the seed\'s VIPs and anti-affinity on openstack', () => {
    const c = parseConfig({ cloud: { provider: 'openstack' } });
    expect([c.loadBalancers.master.vip, c.loadBalancers.worker.vip]).toEqual(['172.16.0.176', '172.16.0.53']);
    expect([c.nodes.masters.serverGroupPolicy, c.nodes.workers.serverGroupPolicy]).toEqual(['anti-affinity', 'anti-affinity']);
  });

  it('fails on an unknown provider', () => {
    expect(configErrorOf({ cloud: { provider: 'aws' } })).toBe('kpaas.config.yaml: cloud.provider: "aws" is not allowed; allowed: "kakaocloud", "openstack"');
  });

  it('fails on an explicit serverGroupPolicy on kakaocloud, one line naming field and value', () => {
    expect(configErrorOf({ nodes: { workers: { serverGroupPolicy: 'none' } } })).toBe(
      'kpaas.config.yaml: nodes.workers.serverGroupPolicy: "none" is not allowed with cloud.provider "kakaocloud": Kakao\'s provider has no server groups or anti-affinity; remove the setting (allowed only with cloud.provider "openstack")',
    );
  });

  it('fails on an explicit vip on kakaocloud, one line naming field and value', () => {
    expect(configErrorOf({ loadBalancers: { master: { vip: '172.16.0.176' } } })).toBe(
      'kpaas.config.yaml: loadBalancers.master.vip: "172.16.0.176" is not allowed with cloud.provider "kakaocloud": Kakao\'s NLB takes no VIP and reports it after terraform apply (kpaas connect reads it); remove the setting (allowed only with cloud.provider "openstack")',
    );
  });

  it('fails on OpenStack-only network settings on kakaocloud', () => {
    expect(configErrorOf({ network: { externalNetwork: 'public' } })).toMatch(/^kpaas\.config\.yaml: network\.externalNetwork: "public" is not allowed with cloud\.provider "kakaocloud"/);
    expect(configErrorOf({ network: { mode: 'create', subnet: { dnsServers: ['8.8.8.8'] } } })).toMatch(/^kpaas\.config\.yaml: network\.subnet\.dnsServers: \["8\.8\.8\.8"\] is not allowed with cloud\.provider "kakaocloud"/);
  });

  it('fails on a region the provider does not know', () => {
    expect(configErrorOf({ cloud: { region: 'kr-central-9' } })).toBe('kpaas.config.yaml: cloud.region: "kr-central-9" is not a region of Kakao\'s provider; allowed: "kr-central-1", "kr-central-2", "kr-central-3"');
  });
});

describe('names the KakaoCloud stack produces', () => {
  it('fails on node names shorter than 4 characters, naming the field', () => {
    expect(configErrorOf({ nodes: { workers: { namePrefix: 'w' } } })).toBe(
      'kpaas.config.yaml: nodes.workers.namePrefix: gives the instance name "w-1", which Kakao\'s provider refuses: it must be 4-63 characters (it has 3)',
    );
    expect(configErrorOf({ nodes: { masters: { names: ['cp-a', 'cp1', 'cp-c'] } } })).toMatch(/^kpaas\.config\.yaml: nodes\.masters\.names\[1\]: gives the instance name "cp1"/);
  });

  it('fails on node names whose interface name exceeds 63 characters', () => {
    const long = `n${'a'.repeat(59)}`; // 60 characters: the instance fits, "<name>-nic" does not
    // long values are shortened in messages (config/errors.ts show); the count says what was given
    expect(configErrorOf({ nodes: { workers: { names: [long, 'worker-2', 'worker-3'] } } })).toMatch(
      /^kpaas\.config\.yaml: nodes\.workers\.names\[0\]: gives the network interface name "na+.*, which Kakao's provider refuses: it must be 4-63 characters \(it has 64\)$/,
    );
  });

  it('fails on doubled symbols the provider forbids', () => {
    expect(configErrorOf({ nodes: { workers: { namePrefix: 'work--er' } } })).toMatch(/nodes\.workers\.namePrefix: gives the instance name "work--er-1", which Kakao's provider refuses: it must not contain "--"/);
    expect(configErrorOf({ network: { mode: 'create', subnet: { name: 'main__subnet' } } })).toMatch(/^kpaas\.config\.yaml: network\.subnet\.name: gives the subnet name "main__subnet".*must not contain "__"/);
    expect(configErrorOf({ access: { keyPair: { name: 'my key' } } })).toMatch(/^kpaas\.config\.yaml: access\.keyPair\.name: gives the key pair name "my key".*only letters, digits, "-" and "_"/);
  });

  it('accepts the same names on openstack', () => {
    expect(parseConfig({ cloud: { provider: 'openstack' }, nodes: { workers: { namePrefix: 'w' } } }).nodes.workers.nodes[0].name).toBe('w-1');
  });
});
