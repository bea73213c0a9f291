/**
 * The K-PaaS installer facts of config/tracks.ts (`installer.kubespray`, `installer.settings`)
 * against K-PaaS's own cp-deployment, read from the git mirror at the ref each source names
 * (`K-PaaS/cp-deployment@<ref>:<path>`): where deploy-cp-cluster.sh runs kubespray, so where
 * installer/zz-kpaas.yml must go, and the values of the settings the notes say K-PaaS sets. Skipped
 * with a visible SKIPPED line where the mirror or the ref is absent (no stored mirror holds
 * v1.7.x: its facts were read through the search index, README Limits).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseConfig, type PlatformConfig } from '../../config';
import { KPAAS_SETTINGS, TRACKS, type InstallerFormat, type KpaasSetting, type TrackId } from '../../config/tracks';
import { installerVarsFolder } from '../../ansible';
import { varNotes } from '../../ansible/kubespray-vars';
import { renderAnsibleAsCli } from './support';

const MIRROR = process.env.KPAAS_CP_DEPLOYMENT_GIT ?? path.resolve(__dirname, '../../../.mirror/K-PaaS+cp-deployment/repo');
const REPO = 'K-PaaS/cp-deployment';

function on(id: TrackId): PlatformConfig {
  const c = parseConfig({});
  const track = TRACKS[id];
  return { ...c, versions: { track: id, kubernetes: track.kubernetes.default, kpaas: track.kpaas ?? c.versions.kpaas } };
}

/** `K-PaaS/cp-deployment@<ref>:<path>` split; fails on another repository. */
function place(at: string): { ref: string; file: string } {
  const m = at.match(/^([^@]+)@([^:]+):(.+)$/);
  if (!m || m[1] !== REPO) throw new Error(`not a ${REPO} source: ${at}`);
  return { ref: m[2], file: m[3] };
}

const git = (...args: string[]) => spawnSync('git', [`--git-dir=${MIRROR}`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const show = (ref: string, file: string): string => {
  const r = git('show', `${ref}:${file}`);
  if (r.status !== 0) throw new Error(`${REPO}@${ref}:${file}: ${r.stderr.trim()}`);
  return r.stdout;
};
const hasRef = (ref: string) => fs.existsSync(MIRROR) && git('cat-file', '-e', `${ref}^{commit}`).status === 0;

/** The inventory folder the `-i <inventory>/inventory.ini` of a deploy-cp-cluster.sh names, following one `cd ../<folder>`. */
function inventoryRun(ref: string, folder: string): { folder: string; inventory: string } {
  const script = show(ref, `${folder}/deploy-cp-cluster.sh`);
  const ran = [...script.matchAll(/ansible-playbook -i (\S+)\/inventory\.ini\b/g)].map((m) => m[1]);
  if (ran.length > 0) return { folder, inventory: [...new Set(ran)].join(' ') };
  const cd = script.match(/^\s*cd \.\.\/([\w-]+)\s*$/m);
  if (!cd) throw new Error(`${folder}/deploy-cp-cluster.sh at ${ref} neither runs an inventory.ini nor changes to another folder`);
  return inventoryRun(ref, cd[1]);
}

/** The values our rendered group_vars give the settings (k8s-cluster.yml and etcd.yml). */
function ourSettings(id: TrackId): Record<string, unknown> {
  const files = renderAnsibleAsCli(on(id));
  return {
    ...parse(files.get('inventory/group_vars/all/etcd.yml') ?? ''),
    ...parse(files.get('inventory/group_vars/k8s_cluster/k8s-cluster.yml') ?? ''),
  };
}

/** Cipher suite lists compare as sets: Go orders TLS 1.2 suites itself (crypto/tls, since Go 1.17). */
const comparable = (name: KpaasSetting, value: unknown) => (name.endsWith('cipher_suites') && Array.isArray(value) ? [...value].sort() : value);

const installerTracks = (Object.keys(TRACKS) as TrackId[]).filter((id) => TRACKS[id].installer);

describe.each(installerTracks)('the K-PaaS installer of track %s against its cp-deployment', (id) => {
  const installer = TRACKS[id].installer as InstallerFormat;
  const refs = [...new Set([installer.kubespray.source, installer.checkout.source, ...Object.values(installer.settings)].map((s) => place(s.at).ref))];
  const missing = !fs.existsSync(MIRROR) ? `${MIRROR} not found` : refs.filter((r) => !hasRef(r)).map((r) => `${REPO}@${r} not in ${MIRROR}`).join('; ');
  if (missing) console.warn(`SKIPPED: K-PaaS ${installer.kpaas} installer facts of track ${id} not compared with cp-deployment: ${missing}`);
  const itMirror = missing ? it.skip : it;

  itMirror(`tells to check cp-deployment out at ${installer.checkout.path}, the path its roles read files from`, () => {
    const { ref, file } = place(installer.checkout.source.at);
    expect(installer.checkout.path).toBe('$HOME/cp-deployment');
    expect(show(ref, file)).toContain(`{{ lookup('env', 'HOME') }}/cp-deployment/`);
  });

  it(`says in dist/ansible/README.md where cp-deployment must be checked out (${installer.checkout.path})`, () => {
    expect(renderAnsibleAsCli(on(id)).get('README.md')).toContain(`with cp-deployment checked out at \`${installer.checkout.path}\``);
  });

  itMirror(`puts installer/zz-kpaas.yml in group_vars/k8s_cluster of the inventory ${installer.folder}/deploy-cp-cluster.sh runs`, () => {
    const { ref } = place(installer.kubespray.source.at);
    expect(place(installer.kubespray.source.at).file).toBe(`${installer.folder}/deploy-cp-cluster.sh`);
    expect(inventoryRun(ref, installer.folder)).toEqual({ folder: installer.kubespray.folder, inventory: installer.kubespray.inventory });
    const listed = git('ls-tree', '--name-only', `${ref}:${installer.kubespray.folder}/${installerVarsFolder(installer)}`);
    expect(listed.status).toBe(0);
    expect(listed.stdout.split('\n')).toContain('k8s-cluster.yml');
  });

  itMirror(`writes the settings its notes attribute to K-PaaS ${installer.kpaas} with that release's values`, () => {
    const ours = ourSettings(id);
    const notes = varNotes(TRACKS[id]);
    const theirs = Object.fromEntries(KPAAS_SETTINGS.map((name) => {
      const { ref, file } = place(installer.settings[name].at);
      const doc = parse(show(ref, file)) as Record<string, unknown>;
      expect([name, name in doc]).toEqual([name, true]);
      return [name, comparable(name, doc[name])];
    }));
    expect(Object.fromEntries(KPAAS_SETTINGS.map((name) => [name, comparable(name, ours[name])]))).toEqual(theirs);
    expect(KPAAS_SETTINGS.filter((name) => !notes[name]?.startsWith(`As K-PaaS ${installer.kpaas}`))).toEqual([]);
  });
});

describe('the settings on the upstream track', () => {
  it('are those of the track before it, whose K-PaaS release its notes name', () => {
    const before = (Object.keys(TRACKS) as TrackId[]).find((id) => TRACKS[id].moveTo === 'upstream')!;
    const [theirs, ours] = [ourSettings(before), ourSettings('upstream')];
    expect(Object.fromEntries(KPAAS_SETTINGS.map((n) => [n, ours[n]]))).toEqual(Object.fromEntries(KPAAS_SETTINGS.map((n) => [n, theirs[n]])));
    const notes = varNotes(TRACKS.upstream);
    expect(KPAAS_SETTINGS.map((n) => notes[n]?.startsWith(`As K-PaaS ${TRACKS[before].installer!.kpaas} (the track before this one)`))).toEqual(KPAAS_SETTINGS.map(() => true));
  });
});
