/**
 * The image list synth writes: `dist/images.txt` (one reference a line, sorted, as the nodes pull
 * it) and `dist/images.json` (each image with where it comes from and the reference before the
 * registry mirrors), for mirroring a registry before an install without internet access
 * (docs/air-gapped.md).
 *
 * Two layers:
 * - manifests: every image the platform services run (`PlatformService.images`), as their charts
 *   write them with `images.mirrors` applied;
 * - cluster: the images MetalLB's manifest runs (applied by playbooks/metallb.yml) and the images
 *   kubespray pulls for the configured release track, read from
 *   config/catalog/kubespray-images-<track>.json. That file is data: scripts/kubespray-images.mjs
 *   evaluates kubespray's own download defaults with ansible, offline, and writes it; synth never
 *   evaluates Jinja. test/cli/images.test.ts runs the evaluation again for the default track.
 */
import { isFullyQualified, mirrorImage, type PlatformConfig } from '../config';
import { releaseTrack, type TrackId } from '../config/tracks';
import type { PlatformService } from '../constructs/platform-service';
import { activeServices } from '../platform/registry';
import { METALLB_PLAYBOOK, metallbImages } from '../ansible/kpaas-vars';
import KPAAS_1_6_2 from '../config/catalog/kubespray-images-kpaas-1.6.2.json';
import KPAAS_1_7_0 from '../config/catalog/kubespray-images-kpaas-1.7.0.json';
import UPSTREAM from '../config/catalog/kubespray-images-upstream.json';

/** One image of kubespray's downloads (or of kubeadm's list, which kubespray downloads too). */
export interface ClusterImage {
  /** kubespray's name of the download entry (`calico_node`; `kubeadm_kube-apiserver` for kubeadm's). */
  readonly download: string;
  /** The reference kubespray pulls: `repo:tag` of the entry. */
  readonly image: string;
  /** The inventory groups whose hosts pull it. */
  readonly groups: readonly string[];
  /** From kubeadm's image list: its tag is `v` + kube_version, which `versions.kubernetes` sets. */
  readonly kubeadm?: true;
}

/** Something kubespray installs that pulls images outside its `downloads`. */
export interface NotListedDownload {
  readonly what: string;
  readonly why: string;
  readonly chart?: string;
  readonly repository?: string;
}

/** config/catalog/kubespray-images-<track>.json. */
export interface ClusterImageCatalog {
  /** The script that wrote it. */
  readonly generatedBy: string;
  readonly track: TrackId;
  /** The kubespray file the images are computed in: `repo@ref:path`. */
  readonly source: string;
  readonly evaluatedWith: string;
  /** The inventory settings the downloads were evaluated under. */
  readonly settings: Readonly<Record<string, string>>;
  readonly images: readonly ClusterImage[];
  readonly notListed: readonly NotListedDownload[];
}

/** The committed catalogs by track. */
export const CLUSTER_IMAGE_CATALOGS: Readonly<Partial<Record<TrackId, ClusterImageCatalog>>> = {
  'kpaas-1.6.2': KPAAS_1_6_2 as ClusterImageCatalog,
  'kpaas-1.7.0': KPAAS_1_7_0 as ClusterImageCatalog,
  upstream: UPSTREAM as ClusterImageCatalog,
};

/** Where an image of the list comes from. */
export type ImageSource =
  | { readonly layer: 'manifests'; readonly service: string }
  | { readonly layer: 'cluster'; readonly download: string }
  /** Applied by one of our playbooks from an upstream manifest (MetalLB's). */
  | { readonly layer: 'cluster'; readonly playbook: string };

export interface ListedImage {
  /** The reference before registry mirrors. */
  readonly original: string;
  /** The reference pulled: the mirror's when `images.mirrors` covers its registry, else the original. */
  readonly mirrored: string;
  readonly from: readonly ImageSource[];
}

/** kubespray's images for the configured track, kubeadm's with the configured Kubernetes version. */
export function clusterImages(config: PlatformConfig, catalogs = CLUSTER_IMAGE_CATALOGS): ClusterImage[] {
  const catalog = catalogs[config.versions.track];
  if (!catalog) throw new Error(`versions.track ${config.versions.track}: no kubespray image catalog in config/catalog/; run node scripts/kubespray-images.mjs ${config.versions.track}`);
  const tag = config.versions.kubernetes;
  // the catalogs are evaluated with the addon on; with Envoy Gateway the inventory turns it off
  const addon = releaseTrack(config.versions.track).kubesprayNames.ingressNginxPrefix;
  const off = (i: ClusterImage) => addon !== undefined && config.ingress.controller !== 'ingress-nginx' && i.download.startsWith(addon);
  return catalog.images.filter((i) => !off(i)).map((i) => (i.kubeadm ? { ...i, image: i.image.replace(/:[^:/]+$/, `:${tag}`) } : i));
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every image of the platform, sorted by the reference pulled, each once with all its sources. */
export function listImages(config: PlatformConfig, services: readonly PlatformService[], catalogs = CLUSTER_IMAGE_CATALOGS): ListedImage[] {
  const mirrors = config.images.mirrors;
  const sources = new Map<string, ImageSource[]>();
  const add = (ref: string, source: ImageSource) => {
    if (!isFullyQualified(ref)) throw new Error(`image list: ${JSON.stringify(ref)} (${'service' in source ? `service ${source.service}` : 'download' in source ? `kubespray download ${source.download}` : `playbook ${source.playbook}`}) does not name its registry`);
    const list = sources.get(ref) ?? [];
    if (!list.some((s) => JSON.stringify(s) === JSON.stringify(source))) list.push(source);
    sources.set(ref, list);
  };
  for (const s of activeServices(services, config)) for (const ref of s.images(config)) add(ref, { layer: 'manifests', service: s.name });
  for (const i of clusterImages(config, catalogs)) add(i.image, { layer: 'cluster', download: i.download });
  for (const ref of metallbImages(releaseTrack(config.versions.track).metallb)) add(ref, { layer: 'cluster', playbook: METALLB_PLAYBOOK });
  const out = [...sources].map(([original, from]) => ({ original, mirrored: mirrorImage(original, mirrors), from }));
  return out.sort((a, b) => byString(a.mirrored, b.mirrored) || byString(a.original, b.original));
}

/** `dist/images.txt` and `dist/images.json`. */
export function renderImageList(config: PlatformConfig, services: readonly PlatformService[], catalogs = CLUSTER_IMAGE_CATALOGS): Map<string, string> {
  const images = listImages(config, services, catalogs);
  const catalog = catalogs[config.versions.track]!;
  const txt = [...new Set(images.map((i) => i.mirrored))];
  const json = {
    track: config.versions.track,
    kubernetes: config.versions.kubernetes,
    mirrors: config.images.mirrors,
    cluster: { source: catalog.source, catalog: `config/catalog/kubespray-images-${catalog.track}.json`, notListed: catalog.notListed },
    images,
  };
  return new Map([
    ['images.txt', `${txt.join('\n')}\n`],
    ['images.json', `${JSON.stringify(json, null, 2)}\n`],
  ]);
}
