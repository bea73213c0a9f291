/**
 * playbooks/portal-images.yml: its images, tags, project and Secret are those the manifests pull
 * (the synthesized portal Deployments), and the playbook runs end to end on this machine against
 * a fake Harbor API (an HTTP server in a child process, Harbor v2.15.1's endpoints and payloads),
 * a fake skopeo and a fake kubectl that keep their state in files: first run, a second run that
 * changes nothing, rotation, a lost pull Secret, a new image build, and its refusals; each
 * scenario an inventory host, so that three ansible-playbook runs hold them all. The
 * --syntax-check and ansible-lint of the playbook are those of tools.test.ts and files.test.ts
 * (it is in PLAYBOOKS and PLAYBOOK_FILES). Skipped visibly where ansible is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseConfig as parseAnyConfig } from '../../config';
import { PLAYBOOKS } from '../../ansible';
import { PLAYBOOK_FILES } from '../../ansible/playbooks';
import { PORTAL_IMAGES } from '../../ansible/kpaas-vars';
import { PORTAL_COMPONENT_IMAGES, PORTAL_IMAGE_PROJECT, PORTAL_NAMESPACE, PORTAL_SECRETS } from '../../platform/portal/portal-names';
import { renderSecretManifest } from '../../secrets/secret-manifest';
import type { SecretSpec } from '../../secrets/catalog';
import { manifestFiles, objectsOf, type K8sObject } from '../support/manifests';
import { ansibleEnv, controllerPython, itWithTools, removeTree, renderAnsibleAsCli, startModuleZygote, writeTree, yamlOf, type ModuleZygote } from './support';

const PLAYBOOK = 'playbooks/portal-images.yml';
const seed = parseAnyConfig({ cloud: { provider: 'openstack' } });

/** The portal Deployments as synthesized for the seed, with their pod specs. */
function portalDeployments(): K8sObject[] {
  return objectsOf(manifestFiles({ cloud: { provider: 'openstack' } }).get('70-portal.yaml')!).filter((o) => o.kind === 'Deployment');
}

/** Every image a pod of a Deployment runs (containers and init containers). */
const imagesOf = (d: K8sObject): string[] => [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])].map((c) => c.image);

describe('the portal images playbook against the manifests', () => {
  const kpaas = yamlOf(renderAnsibleAsCli(seed), 'inventory/group_vars/all/kpaas.yml');
  /** What the playbook pushes, spelled as the playbook builds it (docker://<registry>/<name>:<tag>). */
  const pushed = (vars: any) => (vars.kpaas_portal_images as string[]).map((n) => `${vars.kpaas_portal_registry}/${n}:${vars.kpaas_portal_image_tag}`);

  it('pushes exactly the images the portal Deployments pull, to the Harbor project they name', () => {
    const pulled = [...new Set(portalDeployments().flatMap(imagesOf))].sort();
    expect(pushed(kpaas).sort()).toEqual(pulled);
    expect(pulled).toHaveLength(PORTAL_COMPONENT_IMAGES.length);
    expect(kpaas).toMatchObject({
      kpaas_harbor_host: 'harbor.k-paas.io',
      kpaas_harbor_url: 'https://harbor.k-paas.io',
      kpaas_portal_registry: `harbor.k-paas.io/${PORTAL_IMAGE_PROJECT}`,
      kpaas_portal_image_project: PORTAL_IMAGE_PROJECT,
      kpaas_portal_namespace: PORTAL_NAMESPACE,
      kpaas_portal_pull_secret: PORTAL_SECRETS.registry,
      kpaas_portal_images_archive_checksum: '',
      kpaas_portal_images_source_registry: '',
      kpaas_harbor_admin_secret_path: '{{ playbook_dir }}/../../../.kpaas-secrets/manifests/harbor.harbor-admin.yaml',
    });
  });

  it('follows another domain and tag, and is one of the playbooks the tools check', () => {
    const other = yamlOf(renderAnsibleAsCli(parseAnyConfig({ cloud: { provider: 'openstack' }, domain: 'paas.example.com' })), 'inventory/group_vars/all/kpaas.yml');
    expect(pushed(other)[0]).toBe('harbor.paas.example.com/cp-portal-repository/cp-portal-ui:v1.6.2');
    expect(PLAYBOOKS).toContain(PLAYBOOK);
    expect(PLAYBOOK_FILES.has(PLAYBOOK)).toBe(true);
  });

  it('runs on the first master alone (the runs below put their scenarios in its place)', () => {
    const plays = parse(renderAnsibleAsCli(seed).get(PLAYBOOK)!);
    expect(plays).toHaveLength(1);
    expect(plays[0].hosts).toBe('kube_control_plane[0]');
  });

  it('every portal Deployment pulls with the Secret the playbook writes', () => {
    const deployments = portalDeployments();
    expect(deployments).toHaveLength(PORTAL_COMPONENT_IMAGES.length);
    for (const d of deployments) expect(d.spec.template.spec.imagePullSecrets).toEqual([{ name: PORTAL_SECRETS.registry }]);
  });
});

// ---------------------------------------------------------------------------------------------
// The fakes. Each keeps a scenario's state in <dir>/state/<scenario> and logs its calls there; none
// prints a secret.

/** Harbor v2.15.1's API as the playbook uses it (goharbor/harbor@v2.15.1:api/v2.0/swagger.yaml). */
const FAKE_HARBOR = String.raw`
const http = require('http'); const fs = require('fs'); const path = require('path'); const crypto = require('crypto');
const [root, adminPassword] = process.argv.slice(2);
const secret = () => 'S' + crypto.randomBytes(12).toString('hex') + 'x1';
http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    // /<scenario>/api/v2.0/...: each scenario (an inventory host) has its own Harbor, its state in <root>/<scenario>
    const whole = new URL(req.url, 'http://x');
    const [, scenario, ...rest] = whole.pathname.split('/');
    const state = path.join(root, scenario);
    const url = new URL('/' + rest.join('/') + whole.search, 'http://x');
    const file = path.join(state, 'harbor.json');
    const load = () => JSON.parse(fs.readFileSync(file, 'utf8'));
    const save = (s) => fs.writeFileSync(file, JSON.stringify(s, null, 1));
    if (!fs.existsSync(file)) save({ projects: [{ project_id: 1, name: 'cp-portal-repository-old', metadata: { public: 'true' } }], robots: [], nextId: 2 });
    const log = (e) => fs.appendFileSync(path.join(state, 'harbor.log'), JSON.stringify(e) + '\n');
    const send = (code, json) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(json === undefined ? '' : JSON.stringify(json)); };
    const parsed = body ? JSON.parse(body) : undefined;
    log({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: parsed && parsed.secret ? '(secret)' : parsed });
    if (url.pathname === '/api/v2.0/ping') { res.writeHead(200, { 'content-type': 'text/plain' }); return res.end('Pong'); }
    if (req.headers.authorization !== 'Basic ' + Buffer.from('admin:' + adminPassword).toString('base64')) return send(401, { errors: [{ code: 'UNAUTHORIZED' }] });
    const s = load();
    let m;
    if (req.method === 'GET' && url.pathname === '/api/v2.0/projects') {
      const name = url.searchParams.get('name') || '';
      return send(200, s.projects.filter((p) => p.name.includes(name)));
    }
    if (req.method === 'POST' && url.pathname === '/api/v2.0/projects') {
      if (s.projects.some((p) => p.name === parsed.project_name)) return send(409, { errors: [{ code: 'CONFLICT' }] });
      s.projects.push({ project_id: s.nextId++, name: parsed.project_name, metadata: { public: (parsed.metadata || {}).public || 'false' } });
      save(s); return send(201);
    }
    if (req.method === 'PUT' && (m = url.pathname.match(/^\/api\/v2\.0\/projects\/(\d+)$/))) {
      const p = s.projects.find((x) => x.project_id === Number(m[1]));
      Object.assign(p.metadata, parsed.metadata); save(s); return send(200);
    }
    if (req.method === 'GET' && url.pathname === '/api/v2.0/robots') {
      const q = Object.fromEntries((url.searchParams.get('q') || '').split(',').map((kv) => kv.split('=')));
      if (q.Level !== 'project' || !q.ProjectID) return send(400, { errors: [{ code: 'BAD_REQUEST' }] });
      const p = s.projects.find((x) => x.project_id === Number(q.ProjectID));
      return send(200, s.robots.filter((r) => r.project === p.name).map(({ secret, project, ...r }) => r));
    }
    if (req.method === 'POST' && url.pathname === '/api/v2.0/robots') {
      const ns = parsed.permissions[0].namespace;
      const name = 'robot$' + ns + '+' + parsed.name;
      if (s.robots.some((r) => r.name === name)) return send(409, { errors: [{ code: 'CONFLICT' }] });
      const r = { id: s.nextId++, name, level: parsed.level, disable: parsed.disable, duration: parsed.duration, permissions: parsed.permissions, project: ns, secret: secret() };
      s.robots.push(r); save(s); return send(201, { id: r.id, name: r.name, secret: r.secret });
    }
    if (req.method === 'PATCH' && (m = url.pathname.match(/^\/api\/v2\.0\/robots\/(\d+)$/))) {
      const r = s.robots.find((x) => x.id === Number(m[1]));
      r.secret = secret(); save(s); return send(200, { secret: r.secret });
    }
    send(404, { errors: [{ code: 'NOT_FOUND' }] });
  });
}).listen(0, '127.0.0.1', function () { fs.writeFileSync(path.join(root, 'harbor.port'), String(this.address().port)); });
`;

/**
 * skopeo login/inspect/copy: an archive's "configuration" is its file's text; the registry is a
 * folder of files; logins are checked against the fake Harbor's users, robots may only pull.
 */
const FAKE_SKOPEO = String.raw`
const fs = require('fs'); const path = require('path');
const state = process.env.FAKE_STATE; const admin = process.env.FAKE_ADMIN_PASSWORD;
const args = process.argv.slice(2);
fs.appendFileSync(path.join(state, 'skopeo.log'), JSON.stringify(args) + '\n');
const opt = (n) => { const i = args.indexOf(n); return i < 0 ? undefined : args[i + 1]; };
const harbor = () => JSON.parse(fs.readFileSync(path.join(state, 'harbor.json'), 'utf8'));
const who = (file) => { if (!file || !fs.existsSync(file)) return undefined; const a = JSON.parse(fs.readFileSync(file, 'utf8')); return Object.values(a.auths)[0].user; };
const registry = path.join(state, 'registry');
const where = (ref) => path.join(registry, ref.replace(/^docker:\/\//, '').replace(/\//g, '~'));
const fail = (m) => { process.stderr.write(m + '\n'); process.exit(1); };
if (args[0] === 'login') {
  const user = opt('--username'); const pw = fs.readFileSync(0, 'utf8');
  const ok = user === 'admin' ? pw === admin : harbor().robots.some((r) => r.name === user && r.secret === pw && !r.disable);
  if (!ok) fail('Error: logging into "' + args[args.length - 1] + '": invalid username/password');
  fs.writeFileSync(opt('--authfile'), JSON.stringify({ auths: { [args[args.length - 1]]: { user } } }), { mode: 0o600 });
  process.stdout.write('Login Succeeded!\n');
} else if (args[0] === 'inspect') {
  const ref = args[args.length - 1];
  if (ref.startsWith('docker-archive:')) process.stdout.write(fs.readFileSync(ref.slice('docker-archive:'.length), 'utf8'));
  else {
    // the source registry lets anyone pull; Harbor's private project only those logged in
    if (ref.startsWith('docker://harbor.') && !who(opt('--authfile'))) fail('Error: reading manifest: unauthorized: authentication required');
    if (!fs.existsSync(where(ref))) fail('Error: reading manifest ' + ref + ': manifest unknown');
    process.stdout.write(fs.readFileSync(where(ref), 'utf8'));
  }
} else if (args[0] === 'copy') {
  const [src, dst] = args.slice(-2);
  if (who(opt('--dest-authfile')) !== 'admin') fail('Error: writing blob: unauthorized to push');
  fs.mkdirSync(registry, { recursive: true });
  fs.writeFileSync(where(dst), fs.readFileSync(src.startsWith('docker://') ? where(src) : src.slice('docker-archive:'.length), 'utf8'));
} else fail('fake skopeo: unexpected ' + args.join(' '));
`;

/** kubectl get secret -o json / apply --server-side -f - of one Secret, kept as a file. */
const FAKE_KUBECTL = String.raw`
const fs = require('fs'); const path = require('path');
const state = process.env.FAKE_STATE; const args = process.argv.slice(2);
fs.appendFileSync(path.join(state, 'kubectl.log'), JSON.stringify(args) + '\n');
const file = path.join(state, 'secret.json');
if (args.includes('get')) {
  if (!fs.existsSync(file)) { process.stderr.write('Error from server (NotFound): secrets "' + args[args.indexOf('secret') + 1] + '" not found\n'); process.exit(1); }
  process.stdout.write(fs.readFileSync(file, 'utf8'));
} else if (args.includes('apply')) {
  const o = JSON.parse(fs.readFileSync(0, 'utf8'));
  fs.writeFileSync(file, JSON.stringify(o));
  process.stdout.write('secret/' + o.metadata.name + ' serverside-applied\n');
} else { process.stderr.write('fake kubectl: unexpected ' + args.join(' ') + '\n'); process.exit(1); }
`;

/** Debian's and Ubuntu's CA bundle (package ca-certificates). */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Sleeps without a busy loop (the test process has nothing else to do meanwhile). */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A K-PaaS-like deployment tarball: cp-portal-deployment/images/<name>.tar.gz plus a decoy. */
function makeTarball(dir: string, build: string): string {
  const src = path.join(dir, `tarball-${build}`);
  fs.mkdirSync(path.join(src, 'cp-portal-deployment', 'images'), { recursive: true });
  fs.mkdirSync(path.join(src, 'cp-portal-deployment', 'script'), { recursive: true });
  fs.writeFileSync(path.join(src, 'cp-portal-deployment', 'script', 'deploy-cp-portal.sh'), '# not extracted\n');
  for (const name of PORTAL_COMPONENT_IMAGES) {
    // the "configuration" fake skopeo reads; cp-portal-api changes in build 2
    const b = name === 'cp-portal-api' ? build : '1';
    const file = path.join(src, 'cp-portal-deployment', 'images', `${name}.tar.gz`);
    fs.writeFileSync(file, `{"config":"${name} build ${b}"}`);
    // each build from its own day, as real ones: unarchive tells a changed member by its time and size
    const day = new Date(Date.UTC(2026, 0, Number(b)));
    fs.utimesSync(file, day, day);
  }
  const tarball = path.join(dir, `cp-portal-deployment-${build}.tar.gz`);
  const r = spawnSync('tar', ['-czf', tarball, '-C', src, 'cp-portal-deployment']);
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return tarball;
}

/** A scenario: an inventory host of one playbook run, with its own fakes' state and extra vars. */
interface Scenario {
  readonly name: string;
  readonly extra?: Record<string, unknown>;
}

/** The output and recap of one ansible-playbook run over several scenarios. */
interface Played {
  readonly status: number | null;
  readonly out: string;
}

describe('playbooks/portal-images.yml at work, against fake Harbor, skopeo and kubectl', () => {
  const it = fs.existsSync(SYSTEM_CA_BUNDLE) ? itWithTools('ansible-playbook', 'tar') : (console.warn(`SKIPPED: no ${SYSTEM_CA_BUNDLE}`), test.skip);
  const ADMIN_PASSWORD = 'Adm1n-not-a-real-password';
  /** A test waits for its run, which holds several scenarios. */
  const RUNS_MS = 300_000;
  let dir = '';
  let harbor: ChildProcess | undefined;
  let port = '';
  let base: Record<string, unknown> = {};
  /** The runs' modules fork from one warm interpreter of the controller's ansible (support.ts). */
  let zygote: Promise<ModuleZygote>;

  // Every scenario is an inventory host of the same run (ansible runs them side by side, each in
  // its own worker), with its own fake Harbor (a path of the one server), skopeo and kubectl state.
  // Three runs in all: the first run and the refusals; then, each from a copy of the first run's
  // state, the runs that build on it; the copy from a source registry beside them (it takes the
  // password from the environment, which the controller reads for every host).
  const stateOf = (name: string) => path.join(dir, 'state', name);
  const harborState = (name: string) => JSON.parse(fs.readFileSync(path.join(stateOf(name), 'harbor.json'), 'utf8'));
  const lines = (name: string, log: string): any[] => {
    const f = path.join(stateOf(name), log);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  };
  const secretOf = (name: string) => JSON.parse(fs.readFileSync(path.join(stateOf(name), 'secret.json'), 'utf8'));
  const dockerConfigOf = (name: string) => JSON.parse(Buffer.from(secretOf(name).data['.dockerconfigjson'], 'base64').toString('utf8'));
  const copies = (name: string) => lines(name, 'skopeo.log').filter((a) => a[0] === 'copy').map((a) => a[a.length - 1]);
  const writes = (name: string) => lines(name, 'harbor.log').filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`);
  const imagesDirOf = (name: string) => path.join(dir, 'portal-images', name);

  /** ok, changed, unreachable, failed of one scenario in a run's recap. */
  const recap = (out: string, name: string) => out.match(new RegExp(`^${name}\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)`, 'm'))?.slice(1).map(Number);
  /** The lines ansible printed about one scenario's failures. */
  const failures = (out: string, name: string) => out.split('\n').filter((l) => l.includes(`[${name}]`) && /FAILED!|fatal:/.test(l)).join('\n');
  const succeeded = (out: string, name: string) => {
    expect(failures(out, name)).toBe('');
    expect(out).not.toContain('ERROR!');
    const [ok, , unreachable, failed] = recap(out, name) ?? [];
    expect({ ok: ok > 0, unreachable, failed }).toEqual({ ok: true, unreachable: 0, failed: 0 });
  };
  const refused = (out: string, name: string, message: string) => {
    expect(recap(out, name)?.[3]).toBe(1);
    expect(failures(out, name)).toContain(message);
  };

  /**
   * One ansible-playbook run of the playbook over the scenarios: their extra vars are each host's
   * include_vars (above the play's vars, as -e is), before the playbook's one play, whose hosts
   * line (kube_control_plane[0], checked above) is the scenarios' group here.
   */
  async function play(scenarios: readonly Scenario[], env: Record<string, string> = {}): Promise<Played> {
    const modules = await zygote;
    const run = path.join(dir, 'runs', scenarios[0].name);
    fs.mkdirSync(run, { recursive: true });
    const hosts: Record<string, unknown> = {};
    for (const s of scenarios) {
      fs.mkdirSync(stateOf(s.name), { recursive: true });
      for (const [fake, text] of [['skopeo', FAKE_SKOPEO], ['kubectl', FAKE_KUBECTL]]) {
        fs.writeFileSync(path.join(run, `fake-${fake}-${s.name}`), `#!${process.execPath}\nprocess.env.FAKE_STATE = ${JSON.stringify(stateOf(s.name))};\n${text}`, { mode: 0o755 });
      }
      const vars = {
        ...base,
        ansible_python_interpreter: modules.interpreter,
        kpaas_skopeo: path.join(run, `fake-skopeo-${s.name}`),
        kpaas_kubectl: path.join(run, `fake-kubectl-${s.name}`),
        kpaas_harbor_url: `http://127.0.0.1:${port}/${s.name}`,
        kpaas_portal_images_dir: imagesDirOf(s.name),
        ...s.extra,
      };
      fs.writeFileSync(path.join(run, `${s.name}.json`), JSON.stringify(vars));
      hosts[s.name] = { kpaas_test_scenario_vars: path.join(run, `${s.name}.json`) };
    }
    // the scenarios are masters, as kube_control_plane[0] is
    fs.writeFileSync(path.join(run, 'scenarios.yml'), JSON.stringify({ all: { children: { scenarios: { hosts }, kube_control_plane: { children: { scenarios: {} } } } } }));
    const playbook = fs.readFileSync(path.join(dir, PLAYBOOK), 'utf8');
    const hostsLine = '\n  hosts: kube_control_plane[0]\n';
    expect(playbook.split(hostsLine)).toHaveLength(2);
    const onScenarios = `---
- name: The scenario's variables
  hosts: scenarios
  gather_facts: false
  tasks:
    - name: Read them
      ansible.builtin.include_vars:
        file: "{{ kpaas_test_scenario_vars }}"
${playbook.replace(/^---\n/, '').replace(hostsLine, '\n  hosts: scenarios\n')}`;
    // beside the playbook: the same playbook_dir
    const file = path.join(dir, 'playbooks', `portal-images-${scenarios[0].name}.yml`);
    fs.writeFileSync(file, onScenarios);
    return new Promise((resolve) => {
      const child = spawn('ansible-playbook', ['-i', 'inventory', '-i', path.join(run, 'scenarios.yml'), file, '-c', 'local', '--limit', 'scenarios', '--forks', String(scenarios.length)], {
        cwd: dir,
        env: ansibleEnv({ FAKE_ADMIN_PASSWORD: ADMIN_PASSWORD, KPAAS_HARBOR_ADMIN_PASSWORD: '', ANSIBLE_PIPELINING: '1', ...modules.env, ...env }),
      });
      let out = '';
      child.stdout?.on('data', (d) => { out += d; });
      child.stderr?.on('data', (d) => { out += d; });
      child.on('error', (e) => resolve({ status: null, out: `${out}${e.message}` }));
      child.on('close', (status) => resolve({ status, out }));
    });
  }

  let tarball2 = '';
  let tarball3 = '';
  let first: Promise<Played>;
  let later: Promise<[Played, Played]> | undefined;
  /** The runs from the first run's state: started once, by the first test that needs them. */
  const afterFirst = () => (later ??= first.then(() => {
    for (const name of ['second', 'rotate', 'lost-secret', 'renewed-elsewhere', 'bad-checksum', 'source-registry']) {
      fs.cpSync(stateOf('first'), stateOf(name), { recursive: true, preserveTimestamps: true });
      for (const log of ['harbor.log', 'skopeo.log', 'kubectl.log']) fs.rmSync(path.join(stateOf(name), log), { force: true });
      // the tarball as the first run left it (get_url skips a file with the checksum asked for), except
      // where a tarball with another checksum must be downloaded
      if (name !== 'bad-checksum') fs.cpSync(imagesDirOf('first'), imagesDirOf(name), { recursive: true, preserveTimestamps: true });
    }
    // the pull Secret is lost
    fs.rmSync(path.join(stateOf('lost-secret'), 'secret.json'));
    // someone renewed the secret in Harbor's UI: the pull Secret's login fails
    const s = harborState('renewed-elsewhere');
    s.robots[0].secret = 'Changed-elsewhere-1';
    fs.writeFileSync(path.join(stateOf('renewed-elsewhere'), 'harbor.json'), JSON.stringify(s));
    // the fake registry serves the source images from its folder
    for (const name of PORTAL_COMPONENT_IMAGES) {
      fs.writeFileSync(path.join(stateOf('source-registry'), 'registry', `registry.k-paas.org~kpaas~${name}:v1.7.0`), `{"config":"${name} from the registry"}`);
    }
    return Promise.all([
      play([
        { name: 'second' },
        { name: 'rotate', extra: { kpaas_portal_robot_rotate: true } },
        { name: 'lost-secret' },
        { name: 'renewed-elsewhere', extra: { kpaas_portal_images_archive_url: `file://${tarball2}`, kpaas_portal_images_archive_checksum: `sha256:${sha256(tarball2)}` } },
        { name: 'bad-checksum', extra: { kpaas_portal_images_archive_url: `file://${tarball3}` } },
      ]),
      play(
        [{ name: 'source-registry', extra: { kpaas_portal_images_source_registry: 'registry.k-paas.org/kpaas', kpaas_portal_images_source_tag: 'v1.7.0', kpaas_portal_images_archive_checksum: '', kpaas_harbor_admin_secret_path: path.join(dir, 'absent.yaml') } }],
        { KPAAS_HARBOR_ADMIN_PASSWORD: ADMIN_PASSWORD },
      ),
    ]);
  }));

  beforeAll(() => {
    dir = writeTree(renderAnsibleAsCli(seed));
    fs.mkdirSync(path.join(dir, 'state'));
    zygote = startModuleZygote(dir, controllerPython());
    fs.writeFileSync(path.join(dir, 'fake-harbor.js'), `#!${process.execPath}\n${FAKE_HARBOR}`, { mode: 0o755 });
    harbor = spawn(process.execPath, [path.join(dir, 'fake-harbor.js'), path.join(dir, 'state'), ADMIN_PASSWORD], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !fs.existsSync(path.join(dir, 'state', 'harbor.port')); i++) sleep(50);
    port = fs.readFileSync(path.join(dir, 'state', 'harbor.port'), 'utf8');
    // the secrets command's Secret manifest, as it writes it
    const spec = { name: 'harbor-admin', namespace: 'harbor', type: 'Opaque', description: 'Harbor administrator' } as SecretSpec;
    fs.writeFileSync(path.join(dir, 'harbor.harbor-admin.yaml'), renderSecretManifest(spec, new Map([['password', ADMIN_PASSWORD]])));
    const tarball = makeTarball(dir, '1');
    tarball2 = makeTarball(dir, '2');
    tarball3 = makeTarball(dir, '3');
    base = {
      ansible_become: false,
      kpaas_portal_install_skopeo: false,
      kpaas_harbor_admin_secret_path: path.join(dir, 'harbor.harbor-admin.yaml'),
      // any real CA bundle: the uri module loads it even for plain HTTP
      kpaas_portal_ca_path: SYSTEM_CA_BUNDLE,
      kpaas_portal_images_archive_url: `file://${tarball}`,
      kpaas_portal_images_archive_checksum: `sha256:${sha256(tarball)}`,
      kpaas_portal_harbor_wait_retries: 1,
    };
    // the first run, and the refusals (they change nothing) beside it
    first = play([
      { name: 'first' },
      { name: 'no-checksum', extra: { kpaas_portal_images_archive_checksum: '' } },
      { name: 'foreign-registry', extra: { kpaas_portal_registry: 'registry.example.com/portal' } },
      { name: 'no-password', extra: { kpaas_harbor_admin_secret_path: path.join(dir, 'absent.yaml') } },
    ]);
  });
  afterAll(async () => {
    // a test that failed early may leave runs going: they end before the fakes go
    await Promise.all([first, later]);
    harbor?.kill();
    // unset when beforeAll failed before starting it: the tree must still go
    if (zygote) (await zygote.catch(() => undefined))?.stop();
    if (dir) removeTree(dir);
  });

  it('first run: a private project, a pull-only robot, every portal image under our tag, the pull Secret', async () => {
    const r = await first;
    succeeded(r.out, 'first');
    const s = harborState('first');
    // the fuzzy name search also returns the decoy project, which is left alone
    expect(s.projects).toEqual([
      { project_id: 1, name: 'cp-portal-repository-old', metadata: { public: 'true' } },
      { project_id: 2, name: PORTAL_IMAGE_PROJECT, metadata: { public: 'false' } },
    ]);
    expect(s.robots).toHaveLength(1);
    const robot = s.robots[0];
    expect(robot).toMatchObject({
      name: `robot$${PORTAL_IMAGE_PROJECT}+${PORTAL_IMAGES.robot}`,
      level: 'project',
      disable: false,
      duration: -1,
      permissions: [{ kind: 'project', namespace: PORTAL_IMAGE_PROJECT, access: [{ resource: 'repository', action: 'pull' }] }],
    });
    expect(writes('first')).toEqual(['POST /api/v2.0/projects', 'POST /api/v2.0/robots']);
    // what was pushed is what the Deployments pull
    const pulled = [...new Set(portalDeployments().flatMap(imagesOf))].sort();
    expect(copies('first').map((d) => d.replace(/^docker:\/\//, '')).sort()).toEqual(pulled);
    for (const a of lines('first', 'skopeo.log').filter((x) => x[0] === 'copy')) {
      expect(a[a.length - 2]).toMatch(new RegExp(`^docker-archive:${imagesDirOf('first')}/cp-portal-deployment/images/cp-portal-[a-z-]+\\.tar\\.gz$`));
    }
    // only the image archives were extracted
    expect(fs.readdirSync(path.join(imagesDirOf('first'), 'cp-portal-deployment'))).toEqual(['images']);
    // the pull Secret: the robot's login for this Harbor, nothing else
    const secret = secretOf('first');
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/dockerconfigjson', metadata: { name: PORTAL_SECRETS.registry, namespace: PORTAL_NAMESPACE } });
    const auth = Buffer.from(`${robot.name}:${robot.secret}`).toString('base64');
    expect(dockerConfigOf('first')).toEqual({ auths: { 'harbor.k-paas.io': { username: robot.name, password: robot.secret, auth } } });
    expect(lines('first', 'kubectl.log').find((a) => a.includes('apply'))).toEqual([
      '--kubeconfig', '/etc/kubernetes/admin.conf', 'apply', '--server-side', '--force-conflicts', '--field-manager', 'kpaas-portal-images', '-f', '-',
    ]);
    // the robot's login was checked against every image
    expect(lines('first', 'skopeo.log').filter((a) => a[0] === 'inspect' && a.includes(`${path.dirname(a[a.indexOf('--authfile') + 1])}/pull.json`))).toHaveLength(PORTAL_COMPONENT_IMAGES.length);
    // no secret in the output or in the tree (dist) or left behind as a login file
    for (const secretText of [ADMIN_PASSWORD, robot.secret, auth]) expect(r.out).not.toContain(secretText);
    const tree = spawnSync('grep', ['-rlF', robot.secret, dir, '--exclude-dir=state'], { encoding: 'utf8' });
    expect(tree.stdout).toBe('');
    const authfiles = lines('first', 'skopeo.log').filter((a) => a[0] === 'login').map((a) => a[a.indexOf('--authfile') + 1]);
    expect(authfiles.length).toBeGreaterThan(0);
    for (const f of authfiles) expect(fs.existsSync(path.dirname(f))).toBe(false);
  }, RUNS_MS);

  it('second run: changes nothing (no Harbor write, no push, no Secret write)', async () => {
    const [r] = await afterFirst();
    succeeded(r.out, 'second');
    expect(recap(r.out, 'second')?.[1]).toBe(0);
    expect(writes('second')).toEqual([]);
    expect(copies('second')).toEqual([]);
    expect(lines('second', 'kubectl.log').filter((a) => a.includes('apply'))).toEqual([]);
    expect(secretOf('second')).toEqual(secretOf('first'));
  }, RUNS_MS);

  it('rotates the robot secret on request, and renews it when the pull Secret is lost', async () => {
    const [r] = await afterFirst();
    const old = dockerConfigOf('first').auths['harbor.k-paas.io'].password;
    succeeded(r.out, 'rotate');
    expect(writes('rotate')).toEqual([`PATCH /api/v2.0/robots/${harborState('rotate').robots[0].id}`]);
    const renewed = dockerConfigOf('rotate').auths['harbor.k-paas.io'].password;
    expect(renewed).not.toBe(old);
    expect(renewed).toBe(harborState('rotate').robots[0].secret);
    expect(copies('rotate')).toEqual([]);

    succeeded(r.out, 'lost-secret');
    expect(writes('lost-secret')).toEqual([`PATCH /api/v2.0/robots/${harborState('lost-secret').robots[0].id}`]);
    expect(dockerConfigOf('lost-secret').auths['harbor.k-paas.io'].password).toBe(harborState('lost-secret').robots[0].secret);
    expect(harborState('lost-secret').robots).toHaveLength(1);
  }, RUNS_MS);

  it('renews a robot secret that Harbor no longer accepts, and pushes only an image that changed', async () => {
    const [r] = await afterFirst();
    succeeded(r.out, 'renewed-elsewhere');
    const s = harborState('renewed-elsewhere');
    expect(writes('renewed-elsewhere')).toEqual([`PATCH /api/v2.0/robots/${s.robots[0].id}`]);
    expect(s.robots[0].secret).not.toBe('Changed-elsewhere-1');
    expect(dockerConfigOf('renewed-elsewhere').auths['harbor.k-paas.io'].password).toBe(s.robots[0].secret);
    expect(copies('renewed-elsewhere')).toEqual(['docker://harbor.k-paas.io/cp-portal-repository/cp-portal-api:v1.6.2']);
  }, RUNS_MS);

  it('refuses a tarball whose checksum differs, without touching Harbor', async () => {
    const [r] = await afterFirst();
    expect(recap(r.out, 'bad-checksum')?.[3]).toBe(1);
    expect(failures(r.out, 'bad-checksum')).toMatch(/checksum/i);
    expect(copies('bad-checksum')).toEqual([]);
    expect(writes('bad-checksum')).toEqual([]);
  }, RUNS_MS);

  it('refuses without a checksum, with a registry not its Harbor, or without the admin password', async () => {
    const r = await first;
    refused(r.out, 'no-checksum', 'kpaas_portal_images_archive_checksum is empty: pass -e kpaas_portal_images_archive_checksum=sha256:<hex>');
    refused(r.out, 'foreign-registry', 'the manifests pull the portal images from registry.example.com/portal (portal.registry), not from harbor.k-paas.io/cp-portal-repository');
    refused(r.out, 'no-password', `cannot log in to Harbor as its administrator: neither $KPAAS_HARBOR_ADMIN_PASSWORD nor ${dir}/absent.yaml`);
    // they changed nothing
    for (const name of ['no-checksum', 'foreign-registry', 'no-password']) expect(lines(name, 'harbor.log')).toEqual([]);
  }, RUNS_MS);

  it('copies from a source registry instead of the tarball, with the password from the environment', async () => {
    const [, r] = await afterFirst();
    succeeded(r.out, 'source-registry');
    const copied = lines('source-registry', 'skopeo.log').filter((a) => a[0] === 'copy').map((a) => a.slice(-2));
    expect(copied).toEqual(PORTAL_COMPONENT_IMAGES.map((n) => [`docker://registry.k-paas.org/kpaas/${n}:v1.7.0`, `docker://harbor.k-paas.io/cp-portal-repository/${n}:v1.6.2`]));
  }, RUNS_MS);

  it('fails to start a module zygote whose ansible is not the one ansible-playbook runs', async () => {
    // the modules would run from the zygote's installation, not the controller's AnsiballZ zip
    const other = fs.mkdtempSync(path.join(dir, 'other-'));
    const started = startModuleZygote(other, controllerPython(), [], { version: (await zygote).version, location: '/elsewhere/ansible' });
    await expect(started.then((z) => { z.stop(); return z; })).rejects.toThrow(/module-zygote\.py preloaded ansible \S+ from \S+; ansible-playbook runs \S+ from \/elsewhere\/ansible/);
  });
});
