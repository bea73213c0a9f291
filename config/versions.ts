/**
 * The version catalog: every pinned version the project emits, each in one place.
 *
 * The versions a release track decides (Kubernetes, K-PaaS, kubespray, CRI-O, Calico, MetalLB's
 * manifest) are in config/tracks.ts; the ones here are tied to code in this repository (generated
 * bindings, the platform's images) and change with it.
 */
import { DEFAULT_TRACK, TRACKS } from './tracks';

/** The cluster-layer versions of the seed are those of the default release track. */
const SEED_TRACK = TRACKS[DEFAULT_TRACK];

export const VERSIONS = {
  // Kubernetes, K-PaaS, kubespray and CRI-O are per release track: config/tracks.ts.
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
  /**
   * The source refs of the CP-Portal components whose configuration the manifests follow (the env
   * contract config/contracts/portal-env.ts and the RBAC contract were read at these). K-PaaS has no
   * v1.6.2 tag in the component repositories; each is the newest v1.6 code:
   * - ui, api, terraman: tag `v1.6.1.1` (the release the v1.6.1.1/v1.6.2 install guide ships; v1.7.0
   *   adds the remote/migration/federation URLs the seed's v1.6 line has no components for);
   * - commonApi: branch `v1.6.x` at 9bd529a (no v1.6.1 tag exists; its head is the merge "branch/v1.6.x_cve
   *   into v1.6.1", Spring Boot 3.4.4 like the others; the v1.6.0 tag is still Java 8 and reads no realm id);
   * - metricsApi: branch `v1.6.1` at 4f4248c (no v1.6.1 tag; branch v1.6.x is older; v1.7.0 differs
   *   only in go.mod/README).
   */
  kpaasPortalSources: {
    ui: { repo: 'K-PaaS/cp-portal-ui', ref: 'v1.6.1.1', commit: '028e6260ed51afd1dbb58658034e6358363b7e74' },
    api: { repo: 'K-PaaS/cp-portal-api', ref: 'v1.6.1.1', commit: '1fdc4be9cde1cc6dd9d1b1b4ead1d6fbc663ab5d' },
    terraman: { repo: 'K-PaaS/cp-terraman', ref: 'v1.6.1.1', commit: '65ff3375811e42ec36bfd18945c4ca475cce164a' },
    commonApi: { repo: 'K-PaaS/cp-portal-common-api', ref: 'v1.6.x', commit: '9bd529acad8d1ee101b25ce71179c4430f516fe6' },
    metricsApi: { repo: 'K-PaaS/cp-metrics-api', ref: 'v1.6.1', commit: '4f4248c85b39671f2cf089aecefe22ea24583108' },
  },
  /** MariaDB (official image) of the CP-Portal, the 11.4 LTS line K-PaaS v1.6.2 installs. */
  mariadb: '11.4.7',
  /**
   * Envoy Gateway (`ingress.controller: envoy-gateway`): the controller image
   * docker.io/envoyproxy/gateway:<tag> and the release whose chart, CRDs and source the manifests
   * follow (platform/envoy-gateway; ENVOY_GATEWAY below).
   */
  envoyGateway: 'v1.9.0',
  /** Gateway API CRDs (standard channel) Envoy Gateway v1.9.0 is built against (its go.mod). */
  gatewayApi: 'v1.6.1',
  /** The Envoy proxy Envoy Gateway v1.9.0 launches (docker.io/envoyproxy/envoy, its DefaultEnvoyProxyImage). */
  envoyProxy: 'distroless-v1.39.0',
  /** Lowest Terraform CLI that reads the synthesized JSON and the provider. */
  terraform: '>= 1.5.0',
} as const;

/**
 * Facts of the pinned Envoy Gateway release that decide where it may run, each with its source
 * (`repo@ref:path`). Newest release in envoyproxy/gateway as of this writing: v1.9.0 (tag at
 * 39763b1c, 2026-08-15); the Gateway API release it compiles against: v1.6.1 (tag at 8bb74df0).
 */
export const ENVOY_GATEWAY = {
  /** Kubernetes minors the release supports. */
  kubernetesMinors: ['1.33', '1.34', '1.35', '1.36'],
  /** End of life of the v1.9 line. */
  endOfLife: '2027-02-14',
  sources: {
    matrix: { at: 'envoyproxy/gateway@v1.9.0:site/content/en/news/releases/matrix.md', what: 'v1.9: distroless-v1.39.0, Gateway API v1.6.1, Kubernetes v1.33-v1.36, end of life 2027/02/14; v1.8 (the last for 1.32) ended 2026/11/08' },
    gatewayApi: { at: 'envoyproxy/gateway@v1.9.0:go.mod', what: 'sigs.k8s.io/gateway-api v1.6.1' },
    envoyProxy: { at: 'envoyproxy/gateway@v1.9.0:api/v1alpha1/shared_types.go', what: 'DefaultEnvoyProxyImage = docker.io/envoyproxy/envoy:distroless-v1.39.0' },
    image: { at: 'envoyproxy/gateway@v1.9.0:charts/gateway-helm/templates/_helpers.tpl', what: 'eg.image: docker.io/envoyproxy/gateway:<chart version>' },
  },
} as const;
