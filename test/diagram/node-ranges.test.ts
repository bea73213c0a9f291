import { parseConfig } from '../../config';
import { addressSpan, drawnNodes } from '../../diagram';
import { HOSTS_FILE } from '../../cli/render';

const workers = (input: Parameters<typeof parseConfig>[0]) => parseConfig(input).nodes.workers.nodes;
/** The boxes as names: `worker-1`, or `worker-4..worker-9` for a range. */
const names = (boxes: ReturnType<typeof drawnNodes>) => boxes.map((b) => (b.kind === 'node' ? b.node.name : `${b.nodes[0].name}..${b.nodes[b.nodes.length - 1].name}`));

describe('drawnNodes', () => {
  it('draws every node up to the limit, in order', () => {
    expect(names(drawnNodes(workers({ nodes: { workers: { count: 9, ipRange: '172.16.0.60-172.16.0.80' } } })))).toEqual(
      ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6', 'worker-7', 'worker-8', 'worker-9'],
    );
  });

  it('above it: the first three, a range, the last; the NFS server keeps its own box', () => {
    const ten = workers({ nodes: { workers: { count: 10, ipRange: '172.16.0.60-172.16.0.80' } } });
    expect(names(drawnNodes(ten))).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4..worker-9', 'worker-10']);
    const nfs = parseConfig({ nodes: { workers: { count: 10, ipRange: '172.16.0.60-172.16.0.80' } }, storage: { nfsServer: 'worker-5' } }).nodes.workers.nodes;
    expect(names(drawnNodes(nfs))).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6..worker-9', 'worker-10']);
    expect(names(drawnNodes(nfs, 3))).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6..worker-9', 'worker-10']);
  });
});

describe('addressSpan', () => {
  it('is first-last for consecutive addresses, else a count that says where they are listed', () => {
    expect(addressSpan(workers({ nodes: { workers: { count: 4, ipRange: '172.16.0.60-172.16.0.80' } } }), HOSTS_FILE)).toBe('172.16.0.60-172.16.0.63');
    expect(addressSpan(workers({}), HOSTS_FILE)).toBe('3 addresses, not consecutive (ansible/inventory/hosts.yaml lists them)');
  });
});
