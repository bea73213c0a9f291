/**
 * The node counts' caps (config/schema.ts MAX_NODES): 1000 workers, 500 masters. The real limit
 * is the subnet, which must hold every node beside the VIPs, the ingress IP and the MetalLB ranges.
 */
import { parseConfig } from '../../config';
import { MAX_NODES } from '../../config/schema';
import { configErrorOf } from '../support/config-error';

const errorOf = configErrorOf;

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
    expect(errorOf({ network: { subnet: { cidr: '172.16.0.0/21' } }, nodes: { workers: { count: 1001, ipRange: '172.16.1.1-172.16.4.250' } } }))
      .toBe('kpaas.config.yaml: nodes.workers.count: 1001 is out of range; allowed: at most 1000');
  });

  it('keeps 500 masters', () => {
    expect(errorOf({ nodes: { masters: { count: 501 } } })).toBe('kpaas.config.yaml: nodes.masters.count: 501 is out of range; allowed: at most 500');
  });

  it('names the subnet as the real limit when the workers do not fit it', () => {
    // the default /24 (254 addresses) cannot hold 1000 workers
    expect(errorOf({ nodes: { workers: { count: 1000, ipRange: '172.16.1.1-172.16.4.250' } } }))
      .toMatch(/^kpaas\.config\.yaml: nodes\.workers\.ipRange \(node 1, 172\.16\.1\.1\): "172\.16\.1\.1" is outside the subnet "172\.16\.0\.0\/24"/);
  });
});
