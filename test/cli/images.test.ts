/**
 * dist/images.txt and dist/images.json (cli/kubespray-images.ts): the list is exactly the images
 * dist runs (every container, init container and `*_IMAGE` variable of the manifests) plus
 * kubespray's for the track, with and without registry mirrors; and the committed kubespray
 * catalog of every track is what kubespray's own defaults evaluate to (one ansible-playbook
 * process per track, the upstream track's with ansible-core 2.17.5, below the 2.18 its kubespray
 * wants: the evaluation reads its defaults and runs no version gate; skipped with a visible SKIPPED line where ../shared/upstream or the Python libraries
 * are absent).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { mirrorImage, parseConfig, type PlatformConfig } from '../../config';
import { CATALOG_TRACKS, catalogFrom, catalogText, evaluateKubesprayImages, evaluationUnavailable } from '../../cli/kubespray-images-eval';
import { CLUSTER_IMAGE_CATALOGS, clusterImages, listImages } from '../../cli/kubespray-images';
import { renderAll } from '../../cli/render';
import { activeServices, PLATFORM_SERVICES } from '../../platform';
import { imagesIn } from '../support/manifests';
import { METALLB_MANIFEST_IMAGES, METALLB_MANIFEST_SHA256, metallbImages } from '../../ansible/kpaas-vars';
import { TRACKS } from '../../config/tracks';

const ROOT = path.resolve(__dirname, '../..');
const UPSTREAM = path.resolve(ROOT, '../shared/upstream');

const MIRRORS = {
  'docker.io': 'registry.example.org/dockerhub',
  'quay.io': 'registry.example.org/quay',
  'registry.k8s.io': 'registry.example.org/k8s',
  'ghcr.io': 'registry.example.org/ghcr',
};

/** The images of every manifest in dist. */
function manifestImages(files: ReturnType<typeof renderAll>): Set<string> {
  return new Set([...files].filter(([rel]) => rel.startsWith('manifests/') && rel.endsWith('.yaml')).flatMap(([, f]) => imagesIn(f.content)));
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe.each([
  ['the defaults', {}],
  ['registry mirrors', { images: { mirrors: MIRRORS } }],
  ['track kpaas-1.7.0 with a mirror', { versions: { track: 'kpaas-1.7.0' }, images: { mirrors: { 'quay.io': 'registry.example.org/quay' } } }],
  ['track upstream', { versions: { track: 'upstream' } }],
  ['an older Kubernetes patch', { versions: { kubernetes: 'v1.32.3' } }],
  // Envoy Gateway's controller and the proxy it launches (an EnvoyProxy's container), no ingress-nginx
  ['envoy-gateway with a mirror', { versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' }, images: { mirrors: { 'docker.io': 'registry.example.org/dockerhub' } } }],
])('dist/images.txt of %s', (_name, input) => {
  const config: PlatformConfig = parseConfig(input);
  const files = renderAll(config, { outDir: 'dist', projectDir: '.' });
  const txt = files.get('images.txt')!.content;
  const json = JSON.parse(files.get('images.json')!.content);

  it('is sorted, one fully qualified reference a line, each once', () => {
    const list = lines(txt);
    expect(txt.endsWith('\n')).toBe(true);
    expect(list).toEqual([...new Set(list)].sort());
    for (const ref of list) expect(ref).toMatch(/^[a-z0-9.-]+\.[a-z]+(:\d+)?\/[^\s:@]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/);
  });

  it('equals the images dist runs plus kubespray\'s for the track, mirrored as the manifests are', () => {
    const cluster = [...clusterImages(config).map((i) => i.image), ...metallbImages(TRACKS[config.versions.track].metallb)].map((i) => mirrorImage(i, config.images.mirrors));
    expect(lines(txt)).toEqual([...new Set([...manifestImages(files), ...cluster])].sort());
  });

  it('pulls kubeadm\'s images at the kube_version the inventory gives kubespray', () => {
    const vars = parse(files.get('ansible/inventory/group_vars/k8s_cluster/k8s-cluster.yml')!.content);
    const apiserver = clusterImages(config).find((i) => i.download === 'kubeadm_kube-apiserver')!;
    expect(apiserver.image).toBe(`registry.k8s.io/kube-apiserver:v${vars.kube_version}`);
  });

  it('has a machine-readable twin: each image with its sources, original and mirrored reference', () => {
    expect(json.track).toBe(config.versions.track);
    expect(json.images.map((i: any) => i.mirrored)).toEqual(lines(txt));
    const services = new Set(PLATFORM_SERVICES.map((s) => s.name));
    const downloads = new Set(CLUSTER_IMAGE_CATALOGS[config.versions.track]!.images.map((i) => i.download));
    for (const image of json.images) {
      expect(image.mirrored).toBe(mirrorImage(image.original, config.images.mirrors));
      expect(image.from.length).toBeGreaterThan(0);
      for (const from of image.from) {
        if (from.layer === 'manifests') expect(services).toContain(from.service);
        else if (from.playbook) expect(from.playbook).toBe('playbooks/metallb.yml');
        else expect(downloads).toContain(from.download);
      }
    }
    // every kubespray image and every service's image is there under its source
    for (const i of clusterImages(config)) expect(json.images.find((x: any) => x.original === i.image)?.from).toContainEqual({ layer: 'cluster', download: i.download });
    for (const s of activeServices(PLATFORM_SERVICES, config)) for (const ref of s.images(config)) expect(json.images.find((x: any) => x.original === ref)?.from).toContainEqual({ layer: 'manifests', service: s.name });
    for (const ref of metallbImages(TRACKS[config.versions.track].metallb)) expect(json.images.find((x: any) => x.original === ref)?.from).toEqual([{ layer: 'cluster', playbook: 'playbooks/metallb.yml' }]);
  });
});

describe("MetalLB's images (playbooks/metallb.yml applies its release manifest)", () => {
  it.each(Object.keys(METALLB_MANIFEST_IMAGES))('are the image lines of the %s manifest the playbook verifies by checksum', (version) => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', `metallb-${version}`, 'metallb-native.yaml'));
    expect(createHash('sha256').update(text).digest('hex')).toBe(METALLB_MANIFEST_SHA256[version]);
    const images = [...text.toString('utf8').matchAll(/^\s+image:\s*(\S+)\s*$/gm)].map((m) => m[1]);
    expect([...new Set(images)].sort()).toEqual([...METALLB_MANIFEST_IMAGES[version]].sort());
  });
});

describe('the kubespray image catalogs', () => {
  it('list kubespray\'s downloads that are enabled for a group with hosts, and kubeadm\'s images', () => {
    const catalog = catalogFrom('kpaas-1.6.2', {
      containers: [
        { name: 'calico_node', enabled: true, repo: 'quay.io/calico/node', tag: 'v3.29.5', groups: ['k8s_cluster'] },
        { name: 'cilium', enabled: false, repo: 'quay.io/cilium/cilium', tag: 'v1.17.7', groups: ['k8s_cluster'] },
        { name: 'calico_rr_only', enabled: true, repo: 'quay.io/x/y', tag: '1', groups: ['calico_rr'] },
      ],
      download_container: true,
      skip_downloads: false,
      kube_image_repo: 'registry.k8s.io',
      kube_version: '1.32.5',
      etcd_deployment_type: 'host',
      container_manager: 'crio',
      kube_network_plugin: 'calico',
      groups_with_hosts: ['all', 'k8s_cluster', 'kube_control_plane'],
      ingress_nginx_extra_images: false,
      csr_approver: { enabled: false, chart: '', version: '', repository: '' },
    } as any);
    expect(catalog.images.map((i) => i.image)).toEqual([
      'quay.io/calico/node:v3.29.5',
      'registry.k8s.io/kube-apiserver:v1.32.5',
      'registry.k8s.io/kube-controller-manager:v1.32.5',
      'registry.k8s.io/kube-proxy:v1.32.5',
      'registry.k8s.io/kube-scheduler:v1.32.5',
    ]);
  });

  it.each(Object.entries(CLUSTER_IMAGE_CATALOGS))('%s: says where it comes from and holds only qualified references', (track, catalog) => {
    expect(catalog!.generatedBy).toBe('scripts/kubespray-images.mjs');
    expect(catalog!.track).toBe(track);
    expect(catalog!.source).toMatch(/^kubernetes-sigs\/kubespray@v2\.\d+\.\d+:roles\/kubespray_defaults\/defaults\/main\/download\.yml$/);
    expect(() => listImages(parseConfig({ versions: { track } }), [])).not.toThrow();
  });
});

describe.each(CATALOG_TRACKS.map((track) => [track]))('the committed catalog of %s', (track) => {
  const unavailable = evaluationUnavailable(track, UPSTREAM);
  if (unavailable) console.warn(`SKIPPED: kubespray image catalog evaluation of ${track}: ${unavailable}`);
  (unavailable ? it.skip : it)('is what kubespray\'s download defaults evaluate to for the inventory dist/ansible writes (node scripts/kubespray-images.mjs rewrites it)', () => {
    const file = path.join(ROOT, 'config/catalog', `kubespray-images-${track}.json`);
    expect(catalogText(evaluateKubesprayImages(track, UPSTREAM))).toBe(fs.readFileSync(file, 'utf8'));
  });
});
