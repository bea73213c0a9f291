/**
 * The version catalog: every pinned version the project emits, each in one place.
 *
 * Defaults a user can override (Kubernetes, K-PaaS) are the config schema's defaults and are read
 * from here; the others are tied to code in this repository (generated bindings, rendered
 * variable names) and change with it.
 */
import { DEFAULT_TRACK, TRACKS } from './tracks';

/** The cluster-layer versions of the seed are those of the default release track. */
const SEED_TRACK = TRACKS[DEFAULT_TRACK];

export const VERSIONS = {
  /** Kubernetes of the default release track (config/tracks.ts), as the seed and K-PaaS v1.6.2 install it. */
  kubernetes: SEED_TRACK.kubernetes.default,
  /** K-PaaS container platform release the cluster settings reproduce. */
  kpaas: 'v1.6.2',
  /**
   * kubespray release of the default release track: stock v2.28.1, the patch release of the v2.28.0
   * that K-PaaS v1.6.2 forks (cp-deployment/standalone), so the cluster gets 2.28's fixes from
   * upstream instead of a fork. Each track names its own (config/tracks.ts).
   */
  kubespray: SEED_TRACK.kubespray.version,
  /** CRI-O minor of the default release track, matched to Kubernetes. */
  crio: `v${SEED_TRACK.kubernetes.minor}`,
  /** terraform-provider-openstack/openstack: the generated bindings in imports/openstack match it exactly. */
  openstackProvider: '3.4.0',
  /** kakaoenterprise/kakaocloud (the default target): the generated bindings in imports/kakaocloud match it exactly. */
  kakaocloudProvider: '0.4.1',
  /** Lowest Terraform CLI Kakao's provider supports (its docs/index.md); the KakaoCloud stack's required_version. */
  kakaocloudTerraform: '>= 1.14.0',
  /**
   * MetalLB, as K-PaaS v1.6.2 runs it (its kubespray fork replaces the addon's v0.13.9 manifest).
   * Stock kubespray v2.28.1 cannot install it (its addon template is v0.13.9's manifest; only the
   * image tag follows metallb_version), so dist/ansible/playbooks/metallb.yml applies MetalLB's own
   * manifest. The tests validate the address pools against this version's CRDs
   * (test/fixtures/metallb-v0.14.9/); imports/metallb.io.ts is generated from them.
   */
  metallb: SEED_TRACK.metallb,
  /** kubernetes-sigs/nfs-subdir-external-provisioner image tag. */
  nfsProvisioner: 'v4.0.2',
  /** Keycloak, from quay.io/keycloak/keycloak (the Bitnami images K-PaaS used are frozen). */
  keycloak: '26.4.2',
  /** OpenBao server and the agents it injects (quay.io/openbao/openbao; image tags carry no "v"). */
  openbao: 'v2.6.2',
  /** OpenBao's agent injector (docker.io/hashicorp/vault-k8s), as the OpenBao chart 0.29.2 pins it. */
  openbaoAgentInjector: '1.7.2',
  /** PostgreSQL (official image) of the platform's databases. */
  postgres: '17.6',
  /** Harbor (docker.io/goharbor/* images; reference chart harbor-helm 1.19.1). */
  harbor: 'v2.15.1',
  /** Harbor's Redis (docker.io/goharbor/redis-photon), released with Harbor. */
  harborRedis: 'v2.15.1',
  /** Harbor's scanner (docker.io/goharbor/trivy-adapter-photon), released with Harbor. */
  harborTrivyAdapter: 'v2.15.1',
  /** ChartMuseum (ghcr.io/helm/chartmuseum). */
  chartmuseum: 'v0.16.6',
  /**
   * CP-Portal component images (`<portal.registry>/<component>:<tag>`). Pinned apart from `kpaas`:
   * the ports, environment and probes of platform/portal/portal-chart.ts are those of this release.
   */
  kpaasPortal: 'v1.6.2',
  /** MariaDB (official image) of the CP-Portal, the 11.4 LTS line K-PaaS v1.6.2 installs. */
  mariadb: '11.4.7',
  /** Lowest Terraform CLI that reads the synthesized JSON and the provider. */
  terraform: '>= 1.5.0',
} as const;
