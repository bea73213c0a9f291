/**
 * dist/architecture.dot: the default cluster's as synth renders it (test/support/rendered.ts) and
 * its snapshot; for other configurations the same function renderAll calls, without rendering
 * the rest of dist: a scaled cluster's added nodes, the ranges of a large one, and what only
 * `terraform apply` knows, labelled as such.
 */
import type { KpaasConfigInput } from '../../config';
import { ARCHITECTURE_DOT } from '../../diagram';
import { renderedDist } from '../support/rendered';
import { dotOf, FIVE_WORKERS } from './diagram-inputs';

/** The DOT's lines that start with a statement about `id` (its node line and its edges). */
const statements = (dot: string, id: string) => dot.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(`"${id}"`));

/** 50 workers, one of them the NFS server. */
const LARGE: KpaasConfigInput = { nodes: { workers: { count: 50, ipRange: '172.16.0.60-172.16.0.150' } }, storage: { nfsServer: 'worker-20' } };

const isEdge = (statement: string) => /^"[^"]+" -> "/.test(statement);

/** The rows of a table node, as their cells' texts. */
function tableRows(dot: string, id: string): string[][] {
  const line = statements(dot, id).find((l) => l.includes('label=<'));
  if (!line) throw new Error(`no table node ${id}`);
  return [...line.matchAll(/<TR>(.*?)<\/TR>/g)].map((m) => [...m[1].matchAll(/<TD[^>]*>(.*?)<\/TD>/g)].map((c) => c[1]));
}

describe('architecture.dot', () => {
  it('draws the default (seed) cluster as the snapshot holds it', () => {
    const dot = renderedDist({}).get(ARCHITECTURE_DOT)?.content;
    expect(dot).toBe(dotOf({}));
    expect(dot).toMatchSnapshot();
  });

  it('is ASCII: Graphviz has widths for ASCII characters only', () => {
    for (const input of [{}, LARGE, { cloud: { provider: 'openstack' }, loadBalancers: { worker: { publicIp: false } } }] as const) {
      expect(dotOf(input)).toMatch(/^[\x20-\x7e\n]*$/);
    }
  });

  it('draws every added worker: its row, address and the worker LB forwarding to it', () => {
    const dot = dotOf(FIVE_WORKERS);
    expect(tableRows(dot, 'workers')).toEqual([
      ['workers (5): worker node'],
      ...[['worker-1', '172.16.0.12'], ['worker-2', '172.16.0.78'], ['worker-3', '172.16.0.30'], ['worker-4', '172.16.0.31'], ['worker-5', '172.16.0.40']]
        .map(([name, ip]) => [name, ip, 'worker node', 't1i.xlarge, 200 GB', 'public IP (after apply)']),
    ]);
    expect(statements(dot, 'lb:worker').filter(isEdge)).toEqual(
      [1, 2, 3, 4, 5].map((i) => `"lb:worker" -> "workers" [headport="worker-${i}", label="31080, 31443"];`),
    );
    // the masters are as before
    expect(tableRows(dot, 'masters')).toEqual(tableRows(dotOf({}), 'masters'));
  });

  it('folds a large role into a range: the first three, the last and the NFS server keep their rows', () => {
    const dot = dotOf(LARGE);
    expect(tableRows(dot, 'workers').map((r) => r.slice(0, 3))).toEqual([
      ['workers (50): worker node'],
      ['worker-1', '172.16.0.60', 'worker node'],
      ['worker-2', '172.16.0.61', 'worker node'],
      ['worker-3', '172.16.0.62', 'worker node'],
      ['worker-4 to worker-19 (16 workers)', '172.16.0.63-172.16.0.78', 'worker node'],
      ['worker-20', '172.16.0.79', 'worker node, NFS server /data'],
      ['worker-21 to worker-49 (29 workers)', '172.16.0.80-172.16.0.108', 'worker node'],
      ['worker-50', '172.16.0.109', 'worker node'],
    ]);
    expect(statements(dot, 'lb:worker').filter(isEdge).map((l) => l.match(/headport="([^"]+)"/)?.[1])).toEqual([
      'worker-1', 'worker-2', 'worker-3', 'worker-4..worker-19', 'worker-20', 'worker-21..worker-49', 'worker-50',
    ]);
  });

  it('labels what only terraform apply knows, and writes what the config fixes', () => {
    const kakao = dotOf({});
    expect(tableRows(kakao, 'masters')[1]).toEqual(['master-1', '172.16.0.192', 'control plane, etcd, NFS server /data', 't1i.xlarge, 200 GB', 'public IP (after apply)']);
    expect(statements(kakao, 'lb:master')[0]).toBe('"lb:master" [label="master LB (NLB, L4)\\nVIP assigned by the NLB (after apply)\\npublic IP (after apply)\\napi 6443 -> 6443 (check HTTPS /healthz 200)\\netcd 2379 -> 2379 (check TCP)"];');
    expect(statements(kakao, 'internet')).toContain('"internet" -> "lb:worker" [label="80, 443"];');

    const openstack = dotOf({ cloud: { provider: 'openstack' }, loadBalancers: { worker: { publicIp: false } }, nodes: { workers: { publicIp: false } } });
    expect(statements(openstack, 'lb:master')[0]).toContain('\\nVIP 172.16.0.176\\npublic IP (after apply)\\n');
    expect(statements(openstack, 'lb:worker')[0]).toContain('\\nVIP 172.16.0.53\\nno public IP\\n');
    // no public IP: nothing from the internet reaches it
    expect(statements(openstack, 'internet').filter(isEdge)).toEqual(['"internet" -> "lb:master" [label="6443, 2379"];']);
    expect(tableRows(openstack, 'workers')[1][4]).toBe('no public IP');
    expect(statements(openstack, 'dns')[0]).toContain('\\nportal.k-paas.io -> worker LB VIP\\ncluster-endpoint -> master LB public IP"');
  });

  it('draws the subnet, the MetalLB pools, the ingress IP and every service with its hosts', () => {
    const dot = dotOf({ domain: 'example.org', metallb: { pool: '172.16.0.220-172.16.0.240', extraRanges: ['172.16.0.241-172.16.0.245'] }, ingress: { ip: '172.16.0.202' } });
    expect(dot).toContain('graph [label="subnet main_subnet 172.16.0.0/24"');
    expect(statements(dot, 'metallb')[0]).toBe('"metallb" [label="MetalLB, layer 2\\nkpaas-pool: 172.16.0.220-172.16.0.240, 172.16.0.241-172.16.0.245\\ningress-nginx: 172.16.0.202"];');
    expect(statements(dot, 'ingress')[0]).toContain('[label="ingress-nginx controller\\n172.16.0.202 (MetalLB)\\nNodePorts 31080 http, 31443 https"]');
    expect(tableRows(dot, 'services')).toEqual([
      ['platform services: behind ingress-nginx, volumes on NFS master-1:/data'],
      ['MetalLB', 'no public host'],
      ['NFS storage', 'no public host'],
      ['Keycloak', 'keycloak.example.org'],
      ['OpenBao', 'openbao.example.org'],
      ['Harbor', 'harbor.example.org'],
      ['ChartMuseum', 'chartmuseum.example.org'],
      ['CP-Portal', 'portal.example.org'],
    ]);
    expect(statements(dot, 'ingress').filter(isEdge).map((l) => l.match(/headport="([^"]+)"/)?.[1]))
      .toEqual(['keycloak', 'openbao', 'harbor', 'chartmuseum', 'portal']);
    expect(statements(dot, 'dns')[0]).toContain('\\nexample.org -> worker LB public IP\\nkeycloak.example.org -> worker LB public IP\\n');
  });

  it('draws the configured ingress controller: Envoy Gateway\'s proxies, its pool, and the service it installs', () => {
    const dot = dotOf({ versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } });
    expect(statements(dot, 'metallb')[0]).toContain('\\nenvoy-gateway: 172.16.0.201"];');
    expect(statements(dot, 'ingress')[0]).toContain('[label="Envoy Gateway proxies\\n172.16.0.201 (MetalLB)\\nNodePorts 31080 http, 31443 https"]');
    expect(tableRows(dot, 'services')[0]).toEqual(['platform services: behind envoy-gateway, volumes on NFS master-1:/data']);
    expect(tableRows(dot, 'services').map((r) => r[0])).toContain('Envoy Gateway');
    expect(tableRows(dotOf({}), 'services').map((r) => r[0])).not.toContain('Envoy Gateway');
  });
});
