import { invalidIpBlocks, NetworkPolicyEvaluator, refText, unusedAllowances } from './network-policy';
import type { Flow, HostEndpoint, NetworkPolicy, PodEndpoint } from './network-policy';

const pod = (namespace: string, name: string, ip: string, labels: Record<string, string>, ports: PodEndpoint['ports'] = []): PodEndpoint =>
  ({ kind: 'pod', name: `${namespace}/${name}`, namespace, labels, ip, ports });
const host = (name: string, ip: string): HostEndpoint => ({ kind: 'host', name, ip });
const flow = (from: Flow['from'], to: Flow['to'], port: number, protocol = 'TCP'): Flow => ({ from, to, port, protocol });
const policy = (namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { namespace, name }, spec });

const web = pod('shop', 'web', '10.0.0.1', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]);
const db = pod('shop', 'db', '10.0.0.2', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]);
const job = pod('shop', 'job', '10.0.0.3', { app: 'job' });
const ingress = pod('ingress-nginx', 'controller', '10.0.1.1', { 'app.kubernetes.io/name': 'ingress-nginx' });
const other = pod('apps', 'client', '10.0.2.1', { app: 'client' });
const internet = host('internet', '203.0.113.10');
const master = host('master-1', '172.16.0.10');

const defaultDeny = policy('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const dbPolicy = policy('shop', 'db', {
  podSelector: { matchLabels: { app: 'db' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 'pg' }] }],
});
const webPolicy = policy('shop', 'web', {
  podSelector: { matchLabels: { app: 'web' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080 }] }],
  egress: [
    { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12'] } }], ports: [{ protocol: 'TCP', port: 443 }] },
  ],
});

describe('NetworkPolicy evaluator', () => {
  const ev = new NetworkPolicyEvaluator([defaultDeny, dbPolicy, webPolicy]);

  it('allows a flow only when the source\'s egress and the destination\'s ingress both allow it', () => {
    expect(ev.evaluate(flow(web, db, 5432)).allowed).toBe(true);
    // job's egress is only default-deny: blocked on the source side although db would not admit it either
    const v = ev.evaluate(flow(job, db, 5432));
    expect([v.allowed, v.egress.isolated, v.egress.allowed, v.ingress.allowed]).toEqual([false, true, false, false]);
  });

  it('blocks on the destination side alone: egress allowed, ingress not (the seeded blocked flow)', () => {
    const seeded = new NetworkPolicyEvaluator([defaultDeny, webPolicy, policy('shop', 'db', { ...dbPolicy.spec, ingress: [] })]);
    const v = seeded.evaluate(flow(web, db, 5432));
    expect([v.allowed, v.egress.allowed, v.ingress.allowed]).toEqual([false, true, false]);
  });

  it('treats endpoints no policy selects as unrestricted on their side (other namespaces, hosts)', () => {
    expect(ev.evaluate(flow(ingress, web, 8080)).allowed).toBe(true);
    expect(ev.evaluate(flow(other, web, 8080)).allowed).toBe(false); // namespaceSelector names ingress-nginx only
    expect(ev.evaluate(flow(master, other, 22)).allowed).toBe(true);
  });

  it('scopes a bare podSelector peer to the policy\'s own namespace', () => {
    const lookalike = pod('apps', 'web', '10.0.2.2', { app: 'web' });
    expect(ev.evaluate(flow(lookalike, db, 5432)).allowed).toBe(false);
  });

  it('requires both selectors when a peer has namespaceSelector and podSelector', () => {
    const both = new NetworkPolicyEvaluator([policy('shop', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'client' } } }] }],
    })], new Map([['apps', { team: 'a' }]]));
    expect(both.evaluate(flow(other, db, 5432)).allowed).toBe(true);
    expect(both.evaluate(flow(ingress, db, 5432)).allowed).toBe(false);
  });

  it('applies ipBlock with except, to hosts and pod addresses alike', () => {
    expect(ev.evaluate(flow(web, internet, 443)).allowed).toBe(true);
    expect(ev.evaluate(flow(web, master, 443)).allowed).toBe(false); // in an except range
    expect(ev.evaluate(flow(web, internet, 80)).allowed).toBe(false);
  });

  it('resolves named ports on the destination pod, and matches protocols (TCP by default)', () => {
    expect(ev.evaluate(flow(web, db, 5433)).allowed).toBe(false);
    const named = new NetworkPolicyEvaluator([policy('shop', 'db', { podSelector: {}, ingress: [{ ports: [{ port: 'pg' }] }] })]);
    expect(named.evaluate(flow(other, db, 5432)).allowed).toBe(true);
    expect(named.evaluate(flow(other, web, 5432)).allowed).toBe(false); // web has no port named pg
    expect(named.evaluate(flow(other, db, 5432, 'UDP')).allowed).toBe(false);
  });

  it('reads port ranges (endPort)', () => {
    const range = new NetworkPolicyEvaluator([policy('shop', 'r', { podSelector: {}, ingress: [{ ports: [{ port: 5000, endPort: 5500 }] }] })]);
    expect([5000, 5432, 5500, 5501].map((p) => range.evaluate(flow(other, db, p)).allowed)).toEqual([true, true, true, false]);
  });

  it('defaults policyTypes to Ingress (plus Egress only when egress rules exist)', () => {
    const ingressOnly = new NetworkPolicyEvaluator([policy('shop', 'i', { podSelector: {} })]);
    expect(ingressOnly.evaluate(flow(web, internet, 443)).allowed).toBe(true); // egress not isolated
    expect(ingressOnly.evaluate(flow(other, web, 8080)).allowed).toBe(false);
    const withEgress = new NetworkPolicyEvaluator([policy('shop', 'e', { podSelector: {}, egress: [] })]);
    expect(withEgress.evaluate(flow(web, internet, 443)).allowed).toBe(false);
  });

  it('finds allow rules no flow needs (the seeded unneeded rule: web\'s egress to the internet)', () => {
    const needed = [flow(web, db, 5432), flow(ingress, web, 8080)];
    expect(unusedAllowances(ev, needed).map(refText)).toEqual(['NetworkPolicy shop/web egress[1] to[0] ports[0]']);
    expect(unusedAllowances(ev, [...needed, flow(web, internet, 443)])).toEqual([]);
  });

  it('counts an allowance of a rule without peers or ports as one allowance (every peer, every port)', () => {
    const all = new NetworkPolicyEvaluator([policy('shop', 'all', { podSelector: {}, ingress: [{}] })]);
    expect(all.allowances().map(refText)).toEqual(['NetworkPolicy shop/all ingress[0] (any peer) (any port)']);
    expect(unusedAllowances(all, [flow(other, db, 1)])).toEqual([]);
  });

  it('reports an ipBlock that is not a CIDR (e.g. an address left undefined) and lets it match nothing', () => {
    const bad = policy('shop', 'bad', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: 'undefined/32' } }] }] });
    expect(invalidIpBlocks([bad, webPolicy])).toEqual(['NetworkPolicy shop/bad egress[0] peer[0]: ipBlock "undefined/32" is not a CIDR']);
    expect(new NetworkPolicyEvaluator([bad]).evaluate(flow(web, internet, 443)).allowed).toBe(false);
  });
});
