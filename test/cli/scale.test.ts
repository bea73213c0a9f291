/**
 * Scale-out from a config change (docs/scaling.md): one more worker changes exactly the expected
 * dist files, and `kpaas synth` names the new node and the commands in order; a removal; a synth
 * that changes no node prints no summary. In-process (test/support/cli.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listFiles } from '../../cli/dist-writer';
import { inventoryNodes, nodeChanges, scaleSummary } from '../../cli/scale-summary';
import { runCli } from '../support/cli';
import { parseConfig } from '../../config';
import { renderAnsibleAsCli } from '../ansible/support';

const WORKERS = '172.16.0.12, 172.16.0.78, 172.16.0.30';
const config = (ips: string) => `nodes:\n  workers:\n    ips: [${ips}]\n`;

function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((rel) => [rel, fs.readFileSync(path.join(dir, rel), 'utf8')]));
}
function changedFiles(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}
/** The numbered steps of the summary, without the numbers. */
const steps = (stdout: string) => stdout.split('\n').filter((l) => /^ {2}\d+\. /.test(l)).map((l) => l.replace(/^ {2}\d+\. /, ''));

let work: string;
let defaults: Map<string, string>;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-scale-'));
  const r = await runCli(work, 'synth');
  expect(r.code).toBe(0);
  // a first synth has no dist to compare with
  expect(r.stdout).not.toContain('nodes changed');
  defaults = snapshot(path.join(work, 'dist'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('kpaas synth after a change of the nodes', () => {
  it('one more worker: exactly these files change, and the summary names worker-4 and the commands in order', async () => {
    fs.writeFileSync(path.join(work, 'kpaas.config.yaml'), config(`${WORKERS}, 172.16.0.31`));
    const r = await runCli(work, 'synth');
    expect(r.code).toBe(0);
    expect(changedFiles(defaults, snapshot(path.join(work, 'dist')))).toEqual([
      'ansible/cp-cluster-vars.sh',
      'ansible/installer/zz-kpaas.yml',
      'ansible/inventory/group_vars/k8s_cluster/k8s-cluster.yml',
      'ansible/inventory/hosts.yaml',
      'architecture.dot',
      'architecture.svg',
      'manifests/10-metallb.yaml',
      'terraform/infra/cdk.tf.json',
    ]);
    expect(r.stdout).toContain('nodes changed since the replaced dist: added worker-4 (kube_node, 172.16.0.31)\n');
    expect(r.stderr).not.toContain('nodes changed');
    const kubespray = 'ANSIBLE_CONFIG="$PWD/kubespray/ansible.cfg" ansible-playbook -i "$PWD/dist/ansible/inventory" --become kubespray/';
    expect(steps(r.stdout)).toEqual([
      'terraform -chdir=dist/terraform/infra apply',
      'terraform -chdir=dist/terraform/infra output -json | ./kpaas connect --from -',
      'ansible-playbook -i dist/ansible/inventory dist/ansible/playbooks/site.yml --limit worker-4',
      "ansible-playbook -i dist/ansible/inventory dist/ansible/playbooks/node-prep.yml   # every node's /etc/hosts lists the nodes",
      `${kubespray}playbooks/facts.yml`,
      `${kubespray}scale.yml --limit worker-4`,
      'kubectl apply -k dist/manifests   # changed: 10-metallb.yaml',
    ]);
    // the playbooks it names exist in dist
    for (const p of ['site.yml', 'node-prep.yml']) expect(fs.existsSync(path.join(work, 'dist/ansible/playbooks', p))).toBe(true);
  });

  it('the same config again: no summary', async () => {
    const r = await runCli(work, 'synth');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^synthesized \d+ files into dist\/ in \d+ ms: 3 masters, 4 workers, domain k-paas\.io\n$/);
  });

  it('a removed worker (the last IP; nodes are named by position): remove-node.yml before terraform apply', async () => {
    fs.writeFileSync(path.join(work, 'kpaas.config.yaml'), config(WORKERS));
    const r = await runCli(work, 'synth');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nodes changed since the replaced dist: removed worker-4 (kube_node, 172.16.0.31)\n');
    const s = steps(r.stdout);
    expect(s[0]).toMatch(/^ANSIBLE_CONFIG="\$PWD\/kubespray\/ansible\.cfg" ansible-playbook -i "\$PWD\/dist\.prev\/ansible\/inventory\/hosts\.yaml" -i "\$PWD\/dist\/ansible\/inventory" --become kubespray\/remove-node\.yml -e node=worker-4 {3}# before terraform apply/);
    expect(s[1]).toBe('terraform -chdir=dist/terraform/infra apply');
    expect(s.some((x) => x.includes('scale.yml'))).toBe(false);
    // back to the defaults: the same files as the first synth
    expect(changedFiles(defaults, snapshot(path.join(work, 'dist')))).toEqual([]);
  });
});

const NGINX = { ingress: { controller: 'ingress-nginx' } } as const;

describe('scaleSummary', () => {
  const hosts = (workers: string[]) => inventoryNodes([
    'all:', '  hosts:', '    master-1: { ip: 10.0.0.1 }',
    ...workers.map((w, i) => `    ${w}: { ip: 10.0.1.${i + 1} }`),
    '  children:', '    kube_control_plane: { hosts: { master-1: {} } }', '    etcd: { hosts: { master-1: {} } }',
    `    kube_node: { hosts: { ${workers.map((w) => `${w}: {}`).join(', ')} } }`, '',
  ].join('\n'));

  it('is empty when no node changed', () => {
    expect(scaleSummary(nodeChanges(hosts(['worker-1']), hosts(['worker-1'])), 'dist', ['10-metallb.yaml'], NGINX)).toBe('');
  });

  it('sends added masters to cluster.yml, not scale.yml', () => {
    const prev = hosts(['worker-1']);
    const next = new Map(prev);
    next.set('master-2', { name: 'master-2', address: '10.0.0.2', groups: ['etcd', 'kube_control_plane'] });
    const out = scaleSummary(nodeChanges(prev, next), 'out/prod', [], NGINX);
    expect(out).toContain('added master-2 (etcd, kube_control_plane, 10.0.0.2)');
    expect(out).toContain('kubespray/cluster.yml -e ignore_assert_errors=yes -e etcd_retries=10   # masters/etcd (master-2): not scale.yml; keep an odd count');
    expect(out).not.toContain('scale.yml --limit');
    expect(out).toContain('terraform -chdir=out/prod/terraform/infra apply');
  });

  it('prints our playbooks as the dist README does (one builder, ansible/readme.ts), for the --out folder given', () => {
    const prev = hosts(['worker-1']);
    const out = scaleSummary(nodeChanges(prev, hosts(['worker-1', 'worker-2'])), 'out/prod/', [], NGINX);
    const readme = renderAnsibleAsCli(parseConfig({})).get('README.md') ?? '';
    // the README's site.yml command, for the dist in out/prod, limited to the new node
    const site = /`(ansible-playbook -i \S+ \S+\/site\.yml)`/.exec(readme)?.[1];
    // written out: the builder's own output would restate scaleSummary's calls
    expect(site).toBe('ansible-playbook -i dist/ansible/inventory dist/ansible/playbooks/site.yml');
    expect(out).toContain(`  3. ${site!.replace(/\bdist\//g, 'out/prod/')} --limit worker-2\n`);
    expect(out).toContain('  4. ansible-playbook -i out/prod/ansible/inventory out/prod/ansible/playbooks/node-prep.yml   #');
  });
});

describe('scaleSummary with Envoy Gateway', () => {
  it('applies changed manifests server-side, as the dist README says (the CRDs are too large for client-side apply)', () => {
    const prev = inventoryNodes('all:\n  hosts:\n    worker-1: { ip: 10.0.1.1 }\n  children:\n    kube_node: { hosts: { worker-1: {} } }\n');
    const next = inventoryNodes('all:\n  hosts:\n    worker-1: { ip: 10.0.1.1 }\n    worker-2: { ip: 10.0.1.2 }\n  children:\n    kube_node: { hosts: { worker-1: {}, worker-2: {} } }\n');
    const out = scaleSummary(nodeChanges(prev, next), 'dist', ['15-envoy-gateway.yaml'], { ingress: { controller: 'envoy-gateway' } });
    expect(out).toContain('kubectl apply --server-side -k dist/manifests   # changed: 15-envoy-gateway.yaml');
    expect(scaleSummary(nodeChanges(prev, next), 'dist', ['50-harbor.yaml'], NGINX)).toContain('kubectl apply -k dist/manifests   # changed: 50-harbor.yaml');
  });
});
