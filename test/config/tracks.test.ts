/**
 * The release-track catalog (config/tracks.ts) against the sources it names: every version is
 * compared with the kubespray release of its track in ../shared/upstream (checksums.yml, the
 * kubespray_defaults defaults, playbooks/ansible_version.yml), and the loader's rules and the
 * end-of-life warning are checked on the catalog's own data. Skipped with a visible SKIPPED line
 * where ../shared/upstream is absent.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ConfigError, configWarnings, parseConfig, PLATFORM } from '../../config';
import { endOfLifeWarning } from '../../config/warnings';
import { DEFAULT_TRACK, KPAAS_SETTINGS, TRACK_IDS, TRACKS, type ReleaseTrack } from '../../config/tracks';
import { METALLB_MANIFEST_SHA256 } from '../../ansible/kpaas-vars';
import { ENVOY_GATEWAY } from '../../config/versions';
import { varNotes } from '../../ansible/kubespray-vars';
import { hasMirror, mirrorGit } from '../support/mirror';
import { CP_CLUSTER_VARS_CONNECTION } from '../../ansible/cp-cluster-vars';
import { INSTALLER_COMMAND } from '../../ansible/readme';
import { UPSTREAM } from '../ansible/kubespray-probe';

const present = TRACK_IDS.every((id) => fs.existsSync(path.join(UPSTREAM, TRACKS[id].kubespray.tree)));
if (!present) console.warn(`SKIPPED: kubespray trees not found in ${UPSTREAM}; track versions not compared with kubespray`);
const itUpstream = present ? it : it.skip;

/**
 * What a kubespray release says about the versions it installs, from its own files as `read`
 * returns them (a path relative to the release's root).
 */
function releaseFacts(read: (file: string) => string) {
  const checksums = parse(read('roles/kubespray_defaults/vars/main/checksums.yml'));
  const download = read('roles/kubespray_defaults/defaults/main/download.yml');
  const gate = read('playbooks/ansible_version.yml');
  const keys = (name: string) => Object.keys(checksums[name].amd64).map(String);
  const scalar = (name: string) => download.match(new RegExp(`^${name}: "?([^"\\n]+)"?$`, 'm'))?.[1];
  return {
    kubelet: keys('kubelet_checksums'),
    crio: keys('crio_archive_checksums'),
    calico: keys('calicoctl_binary_checksums')[0],
    crioSupported: parse(download).crio_supported_versions as Record<string, string> | undefined,
    crioExpression: scalar('crio_version'),
    ingressNginx: scalar('ingress_nginx_version'),
    metallbAddon: scalar('metallb_version'),
    ansibleMin: gate.match(/minimal_ansible_version: ([\d.]+)/)?.[1],
    ansibleBelow: gate.match(/maximal_ansible_version: ([\d.]+)/)?.[1],
  };
}

/** What a track's kubespray release says, read from its tree in ../shared/upstream. */
function kubesprayFacts(track: ReleaseTrack) {
  const root = path.join(UPSTREAM, track.kubespray.tree);
  return {
    ...releaseFacts((file) => fs.readFileSync(path.join(root, file), 'utf8')),
    ingressNginxRole: fs.existsSync(path.join(root, 'roles/kubernetes-apps/ingress_controller/ingress_nginx')),
    /** Whether any uncommented line of its roles/ or playbooks/ names an ingress_nginx_ variable. */
    ingressNginxRead: ['roles', 'playbooks'].some((sub) => readsName(path.join(root, sub), 'ingress_nginx_')),
  };
}

/** Whether an uncommented line of a YAML or Jinja file below `dir` holds `text`. */
function readsName(dir: string, text: string): boolean {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() ? readsName(p, text) : /\.(ya?ml|j2)$/.test(e.name) && fs.readFileSync(p, 'utf8').split('\n').some((l) => !/^\s*#/.test(l) && l.includes(text))) return true;
  }
  return false;
}

/** Semantic version order of `a.b.c` strings. */
const below = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i];
  return false;
};

describe.each(TRACK_IDS.map((id) => [id]))('release track %s', (id) => {
  const track = TRACKS[id];

  itUpstream("lists exactly the Kubernetes patches of its minor that its kubespray has checksums for, its default among them", () => {
    const facts = kubesprayFacts(track);
    expect(track.kubernetes.patches).toEqual(facts.kubelet.filter((v) => v.startsWith(`${track.kubernetes.minor}.`)));
    expect(track.kubernetes.patches).toContain(track.kubernetes.default.replace(/^v/, ''));
  });

  itUpstream('names the CRI-O, Calico and ingress-nginx versions kubespray installs with that Kubernetes', () => {
    const facts = kubesprayFacts(track);
    const kube = track.kubernetes.default.replace(/^v/, '');
    // kubespray v2.28: a table by minor; later: the newest CRI-O below the next Kubernetes minor
    const [major, minor] = kube.split('.').map(Number);
    const crio = facts.crioSupported?.[`${major}.${minor}`] ?? facts.crio.find((v) => below(v, `${major}.${minor + 1}.0`));
    expect(facts.crioExpression).toBeDefined();
    expect(track.crio).toBe(String(crio));
    expect(track.calico).toBe(facts.calico);
    expect(track.ingressNginx).toBe(facts.ingressNginx);
  });

  itUpstream("declares the ingress-nginx addon and its variable names exactly where its kubespray has the role and reads them", () => {
    const facts = kubesprayFacts(track);
    expect([track.ingressNginx !== undefined, track.kubesprayNames.ingressNginxPrefix !== undefined]).toEqual([facts.ingressNginxRole, facts.ingressNginxRole]);
    expect(facts.ingressNginxRead).toBe(facts.ingressNginxRole);
  });

  itUpstream("states the ansible-core range its kubespray's version gate accepts", () => {
    const facts = kubesprayFacts(track);
    expect([track.ansibleCore.min, track.ansibleCore.below]).toEqual([facts.ansibleMin, facts.ansibleBelow]);
    if (track.ansibleCore.tested) {
      const tested = track.ansibleCore.tested.replace(/^v/, '');
      expect(below(tested, track.ansibleCore.min)).toBe(false);
      expect(below(tested, track.ansibleCore.below)).toBe(true);
      expect(fs.existsSync(path.join(UPSTREAM, `ansible-core-${track.ansibleCore.tested}`))).toBe(true);
    }
    // `outside` only where no ansible-core of ../shared/upstream is in the range, and then one that is there, below it
    const inRange = fs.readdirSync(UPSTREAM).map((d) => d.match(/^ansible-core-v([\d.]+)$/)?.[1]).filter((v): v is string => v !== undefined)
      .filter((v) => !below(v, track.ansibleCore.min) && below(v, track.ansibleCore.below));
    expect(track.ansibleCore.tested === undefined).toBe(inRange.length === 0);
    expect(track.ansibleCore.outside === undefined).toBe(inRange.length > 0);
    if (track.ansibleCore.outside) {
      expect(below(track.ansibleCore.outside.replace(/^v/, ''), track.ansibleCore.min)).toBe(true);
      expect(fs.existsSync(path.join(UPSTREAM, `ansible-core-${track.ansibleCore.outside}`))).toBe(true);
    }
  });

  itUpstream("says which MetalLB its kubespray's own addon would install (why it stays off)", () => {
    const addon = kubesprayFacts(track).metallbAddon;
    expect(addon).toBeDefined();
    expect(varNotes(track).metallb_enabled).toContain(`addon installs MetalLB v${addon} only`);
    expect(`v${addon}`).not.toBe(track.metallb);
  });

  it('has a MetalLB release whose manifest checksum the playbook knows', () => {
    expect(METALLB_MANIFEST_SHA256[track.metallb]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says where each fact was read, as repo@ref:path', () => {
    for (const key of ['checksums', 'defaults', 'download', 'ansible', 'endOfLife']) {
      expect(track.sources[key]?.at).toMatch(/^[\w.-]+\/[\w.-]+@[\w./-]+:[\w./-]+/);
    }
    expect(track.sources.checksums.at).toContain(`@${track.kubespray.version}:`);
    if (track.installer) expect(track.installer.source.at).toMatch(/^K-PaaS\/cp-deployment@/);
  });

  if (track.installer) it("says where its K-PaaS release runs kubespray and sets each setting the notes attribute to it: at the release's tag, or at a commit whose tag is said to be unverified", () => {
    const installer = track.installer!;
    const sources = [installer.kubespray.source, ...KPAAS_SETTINGS.map((n) => installer.settings[n])];
    for (const s of sources) {
      const ref = s.at.match(/^K-PaaS\/cp-deployment@([^:]+):(standalone|single)\/[\w./-]+$/)?.[1];
      expect([s.at, ref === installer.kpaas || (/^[0-9a-f]{40}$/.test(ref ?? '') && (s.what ?? '').includes(`the ${installer.kpaas} tag not verified`))]).toEqual([s.at, true]);
    }
    expect(installer.kubespray.source.at).toContain(`:${installer.folder}/deploy-cp-cluster.sh`);
  });

  it('allows ingress-nginx only where its kubespray has the addon, envoy-gateway only where Envoy Gateway supports its Kubernetes, and defaults to one it allows', () => {
    const track: ReleaseTrack = TRACKS[id];
    expect(track.ingress.controllers.length).toBeGreaterThan(0);
    expect(track.ingress.controllers).toContain(track.ingress.default);
    expect(track.ingress.controllers.includes('ingress-nginx')).toBe(track.kubesprayNames.ingressNginxPrefix !== undefined);
    expect(track.ingress.controllers.includes('envoy-gateway')).toBe((ENVOY_GATEWAY.kubernetesMinors as readonly string[]).includes(track.kubernetes.minor));
  });

  it('has an end-of-life date and, but for the last, a later track to move to', () => {
    expect(track.kubernetes.endOfLife).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    if (track.moveTo) {
      expect(TRACK_IDS.indexOf(track.moveTo)).toBe(TRACK_IDS.indexOf(id) + 1);
      expect(TRACKS[track.moveTo].kubernetes.endOfLife > track.kubernetes.endOfLife).toBe(true);
    } else {
      expect(id).toBe(TRACK_IDS[TRACK_IDS.length - 1]);
    }
  });
});

describe('the way from one track to the next', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/upgrades.md'), 'utf8');
  const minorOf = (v: string) => Number(v.replace(/^v/, '').split('.')[1]);

  it.each(TRACK_IDS.filter((id) => TRACKS[id].moveTo).map((id) => [id]))('from %s passes one Kubernetes minor per kubespray release', (id) => {
    const track = TRACKS[id];
    const next = TRACKS[track.moveTo!];
    const steps = [track.kubernetes.default, ...(track.moveVia ?? []).map((r) => r.kubernetes), next.kubernetes.default].map(minorOf);
    expect(steps.slice(1).map((m, i) => m - steps[i])).toEqual(steps.slice(1).map(() => 1));
    for (const r of track.moveVia ?? []) expect(r.source.at).toContain(`@${r.kubespray}:`);
  });

  // the releases of the way are in no ../shared/upstream tree: read them from a fetched kubespray mirror
  const KUBESPRAY_GIT = process.env.KPAAS_KUBESPRAY_GIT ?? path.resolve(__dirname, '../../../.mirror/kubernetes-sigs+kubespray/repo');
  const via = TRACK_IDS.flatMap((id) => (TRACKS[id].moveVia ?? []).map((r) => [id, r] as const));
  const atTag = (tag: string) => fs.existsSync(KUBESPRAY_GIT) && spawnSync('git', [`--git-dir=${KUBESPRAY_GIT}`, 'cat-file', '-e', `${tag}^{commit}`]).status === 0;
  const missing = via.filter(([, r]) => !atTag(r.kubespray)).map(([, r]) => r.kubespray);
  if (missing.length) console.warn(`SKIPPED: kubespray ${missing.join(', ')} not in ${KUBESPRAY_GIT}; the releases of the way are not compared with kubespray`);
  // one test per release of the way, skipped (not dropped) when the mirror lacks its tag: CI has no ../.mirror
  for (const [id, r] of via) (atTag(r.kubespray) ? it : it.skip)(`from ${id} passes kubespray ${r.kubespray} with the Kubernetes, ansible-core and ingress-nginx of that tag`, () => {
    const facts = releaseFacts((file) => {
      const out = spawnSync('git', [`--git-dir=${KUBESPRAY_GIT}`, 'show', `${r.kubespray}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (out.status !== 0) throw new Error(`kubespray@${r.kubespray}:${file}: ${out.stderr.trim()}`);
      return out.stdout;
    });
    // kube_version defaults to the first (newest) kubelet_checksums.amd64 key
    expect({ kubernetes: r.kubernetes, min: r.ansibleCore.min, below: r.ansibleCore.below, ingressNginx: r.ingressNginx })
      .toEqual({ kubernetes: `v${facts.kubelet[0]}`, min: facts.ansibleMin, below: facts.ansibleBelow, ingressNginx: facts.ingressNginx });
  });

  it('docs/upgrades.md names every kubespray release and Kubernetes version of the way', () => {
    for (const id of TRACK_IDS) {
      const track = TRACKS[id];
      expect(doc).toContain(`| \`${id}\``);
      expect(doc).toContain(track.kubespray.version);
      for (const r of track.moveVia ?? []) {
        expect(doc).toContain(`kubespray ${r.kubespray}`);
        expect(doc).toContain(`kube_version=${r.kubernetes.replace(/^v/, '')}`);
        expect(doc).toContain(`>= ${r.ansibleCore.min} and < ${r.ansibleCore.below.replace(/\.0$/, '')}`);
      }
    }
  });
});

describe('the tracks in the configuration', () => {
  const errorOf = (input: unknown): string => {
    try {
      parseConfig(input, 'kpaas.config.yaml');
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return '';
  };

  it('defaults to the seed: K-PaaS v1.6.2, Kubernetes v1.32.5', () => {
    expect(DEFAULT_TRACK).toBe('kpaas-1.6.2');
    expect(parseConfig({}).versions).toEqual({ track: 'kpaas-1.6.2', kubernetes: 'v1.32.5', kpaas: 'v1.6.2' });
  });

  it("takes the track's Kubernetes and K-PaaS release with one line", () => {
    expect(parseConfig({ versions: { track: 'kpaas-1.7.0' } }).versions).toEqual({ track: 'kpaas-1.7.0', kubernetes: 'v1.33.5', kpaas: 'v1.7.0' });
    expect(parseConfig({ versions: { track: 'kpaas-1.7.0', kubernetes: 'v1.33.2' } }).versions.kubernetes).toBe('v1.33.2');
  });

  it("refuses a Kubernetes version the track's kubespray cannot install, naming the field, value and allowed values", () => {
    const message = errorOf({ versions: { kubernetes: 'v1.33.5' } });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toBe('kpaas.config.yaml: versions.kubernetes: "v1.33.5" is not a version track "kpaas-1.6.2" can install (kubespray v2.28.1 has checksums for these 1.32 patches); allowed: v1.32.8, v1.32.7, v1.32.6, v1.32.5, v1.32.4, v1.32.3, v1.32.2, v1.32.1, v1.32.0; for another minor choose another versions.track');
    expect(errorOf({ versions: { track: 'kpaas-1.7.0', kubernetes: 'v1.33.6' } })).toMatch(/versions\.kubernetes: "v1\.33\.6" is not a version track "kpaas-1\.7\.0" can install .*allowed: v1\.33\.5, /);
  });

  it("refuses a K-PaaS release that is not the track's", () => {
    expect(errorOf({ versions: { track: 'kpaas-1.7.0', kpaas: 'v1.6.2' } })).toMatch(/versions\.kpaas: "v1\.6\.2" is not the K-PaaS release of track "kpaas-1\.7\.0"; allowed: "v1\.7\.0"/);
  });

  it("takes the upstream track: Kubernetes v1.35.4, and the platform services' K-PaaS release", () => {
    expect(parseConfig({ versions: { track: 'upstream' } }).versions).toEqual({ track: 'upstream', kubernetes: 'v1.35.4', kpaas: 'v1.6.2' });
    expect(parseConfig({ versions: { track: 'upstream', kubernetes: 'v1.35.0' } }).versions.kubernetes).toBe('v1.35.0');
    expect(TRACKS.upstream.unavailable).toBeUndefined();
  });

  it('fails on the upstream track with a K-PaaS release other than the platform services\'', () => {
    expect(errorOf({ versions: { track: 'upstream', kpaas: 'v1.7.0' } })).toBe(
      'kpaas.config.yaml: versions.kpaas: "v1.7.0" is not the K-PaaS release of track "upstream"; allowed: "v1.6.2" (the platform services\' release: the track has no K-PaaS cluster layer) (choose another release with versions.track)',
    );
    expect(errorOf({ versions: { track: 'upstream', kubernetes: 'v1.34.7' } })).toMatch(/versions\.kubernetes: "v1\.34\.7" is not a version track "upstream" can install \(kubespray v2\.31\.0 has checksums for these 1\.35 patches\); allowed: v1\.35\.4, v1\.35\.3, v1\.35\.2, v1\.35\.1, v1\.35\.0;/);
  });

  it("takes the track's ingress controller unless ingress.controller names another the track allows", () => {
    expect(parseConfig({}).ingress.controller).toBe('ingress-nginx');
    expect(parseConfig({ versions: { track: 'kpaas-1.7.0' } }).ingress.controller).toBe('ingress-nginx');
    expect(parseConfig({ versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } }).ingress.controller).toBe('envoy-gateway');
  });

  it('fails on an ingress controller the track does not allow, with one line naming the field, the value and what the track allows', () => {
    const message = errorOf({ ingress: { controller: 'envoy-gateway' } });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toBe('kpaas.config.yaml: ingress.controller: "envoy-gateway" is not available on track "kpaas-1.6.2"; allowed: "ingress-nginx" (or versions.track "kpaas-1.7.0", "upstream" for "envoy-gateway")');
    expect(errorOf({ ingress: { controller: 'traefik' } })).toMatch(/ingress\.controller: .*"ingress-nginx".*"envoy-gateway"/);
  });

  it('refuses an unknown track, listing the tracks', () => {
    expect(errorOf({ versions: { track: 'kpaas-1.8.0' } })).toMatch(/versions\.track: .*kpaas-1\.6\.2.*kpaas-1\.7\.0.*upstream/);
  });
});

describe('the end-of-life warning', () => {
  const quiet = { access: { sshSourceCidrs: ['203.0.113.0/24'], apiSourceCidrs: ['203.0.113.0/24'] } };
  const on = (date: string) => new Date(`${date}T12:00:00Z`);

  it('is silent up to and on the end-of-life date', () => {
    const c = parseConfig(quiet);
    expect(configWarnings(c, on('2026-02-28'))).toEqual([]);
  });

  it('says the date and the track to move to once the track\'s Kubernetes is past it', () => {
    const c = parseConfig(quiet);
    expect(configWarnings(c, on('2026-03-01'))).toEqual([
      'versions.track "kpaas-1.6.2": Kubernetes 1.32 (v1.32.5) reached its end of life on 2026-02-28 and gets no more security fixes; move to versions.track "kpaas-1.7.0" (Kubernetes 1.33), one minor at a time (docs/upgrades.md)',
    ]);
    // once the next track is past its own end of life, the advice says so and names the first supported one
    expect(configWarnings(c, on('2026-12-03'))).toEqual([
      'versions.track "kpaas-1.6.2": Kubernetes 1.32 (v1.32.5) reached its end of life on 2026-02-28 and gets no more security fixes; move to versions.track "kpaas-1.7.0" (Kubernetes 1.33, itself past its end of life on 2026-06-28), then to "upstream" (Kubernetes 1.35, supported until 2027-02-28), one minor at a time (docs/upgrades.md)',
    ]);
    const next = parseConfig({ ...quiet, versions: { track: 'kpaas-1.7.0' } });
    expect(endOfLifeWarning(next, on('2026-06-28'))).toBeUndefined();
    expect(endOfLifeWarning(next, on('2026-12-03'))).toMatch(/Kubernetes 1\.33 \(v1\.33\.5\) reached its end of life on 2026-06-28 .*move to versions\.track "upstream"/);
  });

  it('comes after the open SSH and API warning', () => {
    const w = configWarnings(parseConfig({}), on('2026-12-03'));
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/allow 0\.0\.0\.0\/0/);
    expect(w[1]).toMatch(/end of life/);
  });
});

// MetalLB's address annotation (PLATFORM.metallb.ipAnnotation) at the release every track runs,
// in the fetched copy of metallb/metallb
describe('the MetalLB address annotation', () => {
  const present = hasMirror('metallb/metallb');
  if (!present) console.warn('SKIPPED: no fetched copy of metallb/metallb in ../.mirror; the address annotation is not compared with its source');
  it('is the one release every track runs, v0.14.9', () => {
    expect([...new Set(TRACK_IDS.map((id) => TRACKS[id].metallb))]).toEqual(['v0.14.9']);
  });
  (present ? it : it.skip)('is MetalLB v0.14.9\'s current AnnotationLoadBalancerIPs, not the deprecated name', () => {
    const go = mirrorGit('metallb/metallb', 'show', 'v0.14.9:controller/service.go');
    const prefix = /AnnotationPrefix\s+=\s+"([^"]+)"/.exec(go)?.[1];
    expect(go).toMatch(/\bAnnotationLoadBalancerIPs\s+=\s+AnnotationPrefix \+ "\/" \+ "loadBalancerIPs"/);
    expect(PLATFORM.metallb.ipAnnotation).toBe(`${prefix}/loadBalancerIPs`);
  });
});


/**
 * A track's `installer.run` names the file `kpaas connect` writes (ansible/cp-cluster-vars.ts
 * CP_CLUSTER_VARS_CONNECTION; config cannot import it): sourced first where the installer sources
 * cp-cluster-vars.sh, never named where it reads that file as lines (the README joins the two files
 * there). Checked here rather than when ansible/readme.ts loads.
 */
describe('installer.run of every track with an installer', () => {
  const withInstaller = TRACK_IDS.filter((id) => TRACKS[id].installer);

  it.each(withInstaller)('%s: sources the connection file first, or never names it where the installer reads lines', (id) => {
    const installer = TRACKS[id].installer!;
    const sourceFirst = `source ${CP_CLUSTER_VARS_CONNECTION} && `;
    if (installer.reads.how === 'source') expect([installer.run, installer.run.startsWith(sourceFirst)]).toEqual([installer.run, true]);
    else expect(installer.run).not.toContain(CP_CLUSTER_VARS_CONNECTION);
  });

  it('includes the default track, whose installer command the docs print (INSTALLER_COMMAND)', () => {
    expect(withInstaller).toContain(DEFAULT_TRACK);
    expect(INSTALLER_COMMAND).toBe(TRACKS[DEFAULT_TRACK].installer?.run);
    expect(INSTALLER_COMMAND).toBeDefined();
  });
});
