/**
 * dist/ansible on every release track: the seed config with `versions.track` set, as the CLI renders
 * it. The snapshot of each non-default track holds only what differs from the default track's
 * output (files added or removed, and per changed file the lines only one side has), so a change
 * to one track's cluster layer shows there and nowhere else. The ingress controller of the upstream
 * track is not asserted here (it comes with dist/manifests, from `ingress.controller`); only that
 * kubespray is given no ingress-nginx addon.
 */
import { parse } from 'yaml';
import { parseConfig } from '../../config';
import { DEFAULT_TRACK, TRACK_IDS, TRACKS, type TrackId } from '../../config/tracks';
import { connectFromTerraformOutputs, CP_CLUSTER_VARS, INSTALLER_VARS } from '../../ansible';
import { kakaoOutputs, renderAnsibleAsCli } from './support';

const on = (id: TrackId) => parseConfig({ versions: { track: id } });

/** Lines of `a` not matched in `b`, in order, counting repeats (a multiset difference). */
function only(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const l of b) left.set(l, (left.get(l) ?? 0) + 1);
  return a.filter((l) => {
    const n = left.get(l) ?? 0;
    if (n === 0) return true;
    left.set(l, n - 1);
    return false;
  });
}

/** What a track's dist/ansible has that the default track's has not, and the reverse. */
function differences(base: ReadonlyMap<string, string>, other: ReadonlyMap<string, string>) {
  const changed: Record<string, { removed: string[]; added: string[] }> = {};
  for (const [rel, text] of other) {
    const before = base.get(rel);
    if (before === undefined || before === text) continue;
    changed[rel] = { removed: only(before.split('\n'), text.split('\n')), added: only(text.split('\n'), before.split('\n')) };
  }
  return {
    added: [...other.keys()].filter((rel) => !base.has(rel)),
    removed: [...base.keys()].filter((rel) => !other.has(rel)),
    changed,
  };
}

const BASE = renderAnsibleAsCli(on(DEFAULT_TRACK));

describe.each(TRACK_IDS.filter((id) => id !== DEFAULT_TRACK).map((id) => [id]))('dist/ansible of release track %s', (id) => {
  const config = on(id);
  const track = TRACKS[id];
  const files = renderAnsibleAsCli(config);

  it('matches the snapshot of what differs from the default track', () => {
    expect(differences(BASE, files)).toMatchSnapshot();
  });

  it("names the track's kubespray and Kubernetes", () => {
    expect(parse(files.get('inventory/group_vars/k8s_cluster/k8s-cluster.yml') ?? '').kube_version).toBe(track.kubernetes.default.replace(/^v/, ''));
    expect(files.get('README.md')).toContain(`git clone --depth 1 --branch ${track.kubespray.version} https://github.com/kubernetes-sigs/kubespray.git`);
  });

  it('writes the K-PaaS installer\'s files, and names them in the README, exactly where the track has an installer', () => {
    const readme = files.get('README.md') ?? '';
    const connect = connectFromTerraformOutputs(kakaoOutputs(config), config);
    const installer = track.installer !== undefined;
    expect([files.has(CP_CLUSTER_VARS), files.has(INSTALLER_VARS), connect.has('cp-cluster-vars.connection.sh')]).toEqual([installer, installer, installer]);
    for (const name of ['cp-cluster-vars.sh', 'cp-cluster-vars.connection.sh', 'deploy-cp-cluster.sh', INSTALLER_VARS]) {
      // upstream's README says only that there is no cp-cluster-vars.sh
      const steps = readme.split('\n').filter((l) => l.includes(name) && !l.includes('There is no'));
      expect(steps.length > 0).toBe(installer);
    }
  });

  it("gives kubespray's ingress-nginx addon settings exactly where the track's kubespray has the addon", () => {
    const addons = parse(files.get('inventory/group_vars/k8s_cluster/addons.yml') ?? '');
    const ingress = Object.keys(addons).filter((k) => k.startsWith('ingress_nginx_'));
    expect(ingress.length > 0).toBe(track.kubesprayNames.ingressNginxPrefix !== undefined);
    if (!track.kubesprayNames.ingressNginxPrefix) expect(files.get('README.md')).not.toMatch(/ingress-nginx on|installed by kubespray's addon/);
  });
});
