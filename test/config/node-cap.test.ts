/**
 * The node counts' caps (config/schema.ts MAX_NODES): 1000 workers, 500 masters. The real limit
 * is the subnet, which must hold every node beside the VIPs, the ingress IP and the MetalLB ranges.
 */
import { parseConfig } from '../../config';
import { intToIp, parseCidr, parseRange } from '../../config/net';
import { configJsonSchema } from '../../config/reference';
import { MAX_CONFIG_ENTRIES, MAX_NODES } from '../../config/schema';
import { configErrorOf } from '../support/config-error';

describe('node count caps', () => {
  it('are 1000 workers and 500 masters', () => {
    expect(MAX_NODES).toEqual({ master: 500, worker: 1000 });
  });

  it('accepts 1000 workers in a subnet that holds them', () => {
    const c = parseConfig({ network: { subnet: { cidr: '172.16.0.0/21' } }, nodes: { workers: { count: 1000, ipRange: '172.16.1.1-172.16.4.250' } } });
    const workers = c.nodes.workers.nodes;
    expect(workers).toHaveLength(1000);
    expect(workers[999]).toMatchObject({ name: 'worker-1000', privateIp: '172.16.4.232' });
  });

  it('rejects 1001 workers in one line naming the field, the value and the cap', () => {
    expect(configErrorOf({ network: { subnet: { cidr: '172.16.0.0/21' } }, nodes: { workers: { count: 1001, ipRange: '172.16.1.1-172.16.4.250' } } }))
      .toBe('kpaas.config.yaml: nodes.workers.count: 1001 is out of range; allowed: at most 1000');
  });

  it('keeps 500 masters', () => {
    expect(configErrorOf({ nodes: { masters: { count: 501 } } })).toBe('kpaas.config.yaml: nodes.masters.count: 501 is out of range; allowed: at most 500');
  });

  it('documents the limit with the numbers the defaults and the checks give', () => {
    const note = JSON.stringify(configJsonSchema());
    const m = /default \/(\d+) leaves room for at most (\d+) workers \((\d+) addresses less (\d+) masters, (\d+) LB VIPs, the ingress IP and the (\d+) of the MetalLB pool; fewer where the cloud keeps addresses of the subnet for itself\) and (\d+) workers need a \/(\d+) or larger; lists \(`ips`, `names`\) hold at most (\d+) entries/.exec(note);
    expect(m).not.toBeNull();
    const [defaultPrefix, room, addresses, masters, vips, pool, many, manyPrefix, listMax] = (m as RegExpExecArray).slice(1).map(Number);
    // on openstack the LB VIPs are fixed in the subnet at synth (on kakaocloud the NLB takes two of it at apply)
    const seed = parseConfig({ cloud: { provider: 'openstack' } });
    const lbVips = [seed.loadBalancers.master.vip, seed.loadBalancers.worker.vip];
    const subnet = parseCidr(seed.network.subnet.cidr)!;
    const metallb = parseRange(seed.metallb.pool)!;
    expect([defaultPrefix, addresses, masters, vips, pool]).toEqual([subnet.prefix, subnet.last - subnet.first - 1, seed.nodes.masters.nodes.length, lbVips.length, metallb.last - metallb.first + 1]);
    // every address of the default subnet that no master, LB VIP, the ingress IP or the pool takes: exactly `room` workers fit
    const taken = new Set([...seed.nodes.masters.nodes.map((n) => n.privateIp), ...lbVips, seed.ingress.ip]);
    const free = Array.from({ length: subnet.last - subnet.first - 1 }, (_, i) => subnet.first + 1 + i)
      .filter((a) => (a < metallb.first || a > metallb.last) && !taken.has(intToIp(a))).map(intToIp);
    expect(free).toHaveLength(room);
    expect(parseConfig({ cloud: { provider: 'openstack' }, nodes: { workers: { ips: free } } }).nodes.workers.nodes).toHaveLength(room);
    // and one more (an LB VIP's address) collides
    expect(configErrorOf({ cloud: { provider: 'openstack' }, nodes: { workers: { ips: [...free, lbVips[0]] } } })).toContain(lbVips[0]);
    // the most workers need the prefix named, and fit no longer one
    const usable = (prefix: number) => 2 ** (32 - prefix) - 2;
    expect(many).toBe(MAX_NODES.worker);
    expect(usable(manyPrefix)).toBeGreaterThanOrEqual(many + addresses - room);
    expect(usable(manyPrefix + 1)).toBeLessThan(many + addresses - room);
    expect(listMax).toBe(MAX_CONFIG_ENTRIES);
  });

  it('names the subnet as the real limit when the workers do not fit it', () => {
    // the default /24 (254 addresses) cannot hold 1000 workers
    expect(configErrorOf({ nodes: { workers: { count: 1000, ipRange: '172.16.1.1-172.16.4.250' } } }))
      .toMatch(/^kpaas\.config\.yaml: nodes\.workers\.ipRange \(node 1, 172\.16\.1\.1\): "172\.16\.1\.1" is outside the subnet "172\.16\.0\.0\/24"/);
  });
});
