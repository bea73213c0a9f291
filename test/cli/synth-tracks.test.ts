/**
 * Every release track synthesizes: the whole dist of the seed config with `versions.track` set, as
 * synth renders it in process. Checked here is the cluster layer (dist/ansible and kubespray's part
 * of dist/images.txt); each track's ansible differences are snapshotted in
 * test/ansible/render-tracks.test.ts. The ingress controller of dist/manifests is not asserted.
 */
import { parse } from 'yaml';
import { parseConfig } from '../../config';
import { TRACK_IDS, TRACKS } from '../../config/tracks';
import { CLUSTER_IMAGE_CATALOGS } from '../../cli/kubespray-images';
import { renderAll } from '../../cli/render';

describe.each(TRACK_IDS.map((id) => [id]))('synth on release track %s', (id) => {
  const track = TRACKS[id];
  const files = renderAll(parseConfig({ versions: { track: id } }), { outDir: 'dist', projectDir: '.' });
  const text = (rel: string) => files.get(rel)?.content ?? '';

  it("writes the cluster layer for the track's kubespray and Kubernetes", () => {
    expect(parse(text('ansible/inventory/group_vars/k8s_cluster/k8s-cluster.yml')).kube_version).toBe(track.kubernetes.default.replace(/^v/, ''));
    expect(text('ansible/README.md')).toContain(`--branch ${track.kubespray.version} `);
    expect([...files.keys()].filter((f) => f.startsWith('terraform/') || f.startsWith('manifests/')).length).toBeGreaterThan(10);
  });

  it("lists kubespray's images of the track, kubeadm's at its Kubernetes version", () => {
    const images = text('images.txt').split('\n');
    expect(images).toContain(`registry.k8s.io/kube-apiserver:${track.kubernetes.default}`);
    expect(images).toContain(`quay.io/calico/node:v${track.calico}`);
    const json = JSON.parse(text('images.json'));
    expect([json.track, json.cluster.catalog]).toEqual([id, `config/catalog/kubespray-images-${id}.json`]);
    // kubespray pulls ingress-nginx's controller only where its addon exists
    const kubesprayIngress = CLUSTER_IMAGE_CATALOGS[id]!.images.filter((i) => i.download.startsWith('ingress_nginx'));
    expect(kubesprayIngress.length > 0).toBe(track.kubesprayNames.ingressNginxPrefix !== undefined);
  });
});
