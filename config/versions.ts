/**
 * The version catalog: every pinned version the project emits, each in one place.
 *
 * The versions a release track decides (Kubernetes, K-PaaS, kubespray, CRI-O, Calico, MetalLB's
 * manifest) are in config/tracks.ts; the ones here are tied to code in this repository (generated
 * bindings, the platform's images) and change with it.
 */
import { DEFAULT_TRACK, TRACKS } from './tracks';
import type { Source } from './tracks';

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
  /**
   * Keycloak, from quay.io/keycloak/keycloak (the Bitnami images K-PaaS used are frozen): the newest
   * 26.7 patch found offline (CVE-2025-13467 is fixed from 26.4.7). Where it was checked: VERSION_SOURCES.
   */
  keycloak: '26.7.5',
  /** OpenBao server and the agents it injects (quay.io/openbao/openbao; image tags carry no "v"). */
  openbao: 'v2.6.2',
  /** OpenBao's agent injector (docker.io/hashicorp/vault-k8s), as the OpenBao chart 0.29.2 pins it. */
  openbaoAgentInjector: '1.7.2',
  /** PostgreSQL (official image, Debian trixie variant) of the platform's databases: the newest 17 patch. */
  postgres: '17.11',
  /** Harbor (docker.io/goharbor/* images; reference chart harbor-helm 1.19.2). */
  harbor: 'v2.15.2',
  /** Harbor's Redis-compatible store (docker.io/goharbor/valkey-photon since v2.15.2), released with Harbor. */
  harborRedis: 'v2.15.2',
  /** Harbor's scanner (docker.io/goharbor/trivy-adapter-photon), released with Harbor. */
  harborTrivyAdapter: 'v2.15.2',
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
  /** MariaDB (official image) of the CP-Portal, the 11.4 LTS line K-PaaS v1.6.2 installs: its newest patch. */
  mariadb: '11.4.12',
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
  /**
   * Lowest Terraform CLI whose s3 backend knows every setting the stacks write for
   * `terraform.backend.type: s3` (skip_s3_checksum came in v1.6.3; config/contracts/terraform-s3-backend.ts):
   * the required_version of a stack with that backend.
   */
  terraformS3Backend: '>= 1.6.3',
  /**
   * Argo CD whose Application CRD dist/gitops/argocd is written for (`gitops.tool: argocd`):
   * argoproj/argo-cd@v3.5.1:manifests/crds/application-crd.yaml, kept in test/fixtures/argocd-v3.5.1/;
   * imports/argoproj.io.ts is generated from it.
   */
  argocd: 'v3.5.1',
  /**
   * Flux whose CRDs dist/gitops/flux is written for (`gitops.tool: flux`). fluxcd/flux2@v2.9.0
   * (manifests/bases/*-controller/kustomization.yaml) installs source-controller v1.9.1 and
   * kustomize-controller v1.9.1; their config/crd/bases GitRepository and Kustomization CRDs are kept
   * in test/fixtures/flux-v2.9.0/, and imports/{source,kustomize}.toolkit.fluxcd.io.ts are generated
   * from them. (v2.9.4 is newer, but the source-controller v1.9.4 CRD it installs could not be read here.)
   */
  flux: 'v2.9.0',
  fluxControllers: { sourceController: 'v1.9.1', kustomizeController: 'v1.9.1' },
} as const;

/** The platform image versions whose currency is checked against upstream (VERSION_SOURCES). */
export type PlatformImageVersion = 'keycloak' | 'openbao' | 'openbaoAgentInjector' | 'postgres' | 'harbor' | 'harborRedis' | 'harborTrivyAdapter' | 'mariadb';

/** Where a platform image version was found and what was read at it. */
export interface VersionSource {
  /** The upstream tag (or the official-images tag list) that shows the release exists. */
  readonly release: Source;
  /** Why this release and not a newer one. */
  readonly newest: string;
  /** The files our manifests' image facts and contracts were read from at this release. */
  readonly read: readonly Source[];
  /** What could not be verified offline, for README Limits. */
  readonly unverified?: readonly string[];
}

/**
 * Where each platform image version comes from (checked 2026-12 against the stored snapshots of
 * the upstream repositories; test/config/versions.test.ts holds each entry to VERSIONS). A git tag
 * is what can be verified offline: that the image tag exists on the registry is not.
 */
export const VERSION_SOURCES: Readonly<Record<PlatformImageVersion, VersionSource>> = {
  keycloak: {
    release: { at: 'keycloak/keycloak@76e0e7637b46b2b5449f442986284d0ea4a9c1fb:docs/documentation/upgrading/topics/changes/changes-26_7_5.adoc', what: 'the 26.7.5 upgrade notes: disabled clients leave the token audience (CVE-2026-93999)' },
    newest: 'the newest 26.7 patch found: 26.7.4 has a published GitHub release (2026-09-16), 26.7.5 upgrade notes and image pins by digest elsewhere; no 26.7.6 was found. 26.8.0/26.8.1 exist (a new minor: caching of persistent sessions off by default, clusterless feature going away) and are left for a separate upgrade',
    read: [
      ...([
        ['26_5_0', '012cefb654c9205b7d435601adfe7eb6cd03362e'], ['26_6_0', '027c5f2224a203f38aee6482b4125727c362b80b'],
        ['26_7_0', '024a9026e63fe57a48aea9e692c974356cbb43cd'], ['26_7_1', '442abfb1f0ce34d20a87fa3ce007a45da658ffdb'],
        ['26_7_2', '7bbb8893382d35494a83bb629678f54521fc9989'], ['26_7_3', '81a07e9d584d52c3b7fc646a3280d11313633314'],
      ] as const).map(([v, commit]): Source => ({
        at: `keycloak/keycloak@${commit}:docs/documentation/upgrading/topics/changes/changes-${v}.adoc`,
        what: 'no option the chart sets (hostname, http-enabled, http-relative-path, proxy-headers, health-enabled, metrics-enabled, db, db-url, db-pool-max-size, db-username, db-password, bootstrap-admin-*, cache) is removed or deprecated; 26.6 warns on non-UTF-8 databases (ours are utf8mb4)',
      })),
      { at: 'keycloak.org/26.7/server/management-interface', what: 'health and metrics on the management port 9000 (http-management-port default)' },
      { at: 'keycloak.org/observability/health', what: '/health/started, /health/ready, /health/live on the management port' },
    ],
    unverified: [
      'the keycloak/keycloak repository (870 MB) cannot be fetched here: its 26.7.5 tag, quarkus/container/Dockerfile and the *Options.java files were not read at the tag, only stored copies of unknown date and the versioned documentation',
    ],
  },
  openbao: {
    release: { at: 'openbao/openbao@v2.6.2', what: 'the newest tag of the snapshot (2026-08-18); no v2.6.3 or v2.7.0 tag' },
    newest: 'the snapshot of openbao/openbao (2026-08-21) has no later tag; openbao-helm main still ships v2.6.2 (appVersion)',
    read: [{ at: 'openbao/openbao@v2.6.2:Dockerfile', what: 'stage default: addgroup openbao, adduser -S -G openbao openbao, USER openbao, ENTRYPOINT docker-entrypoint.sh' }],
    unverified: ['a 2.6 patch or 2.7.0 released after 2026-08-21 would not be in the snapshot'],
  },
  openbaoAgentInjector: {
    release: { at: 'openbao/openbao-helm@openbao-0.29.2:charts/openbao/values.yaml', what: 'injector.image: hashicorp/vault-k8s 1.7.2 (also at main 0de71b7)' },
    newest: 'hashicorp/vault-k8s has tags up to v1.7.6, but the OpenBao chart still pins 1.7.2: the injector is kept at the release the OpenBao project ships with its agent',
    read: [{ at: 'hashicorp/vault-k8s@v1.7.2:Dockerfile' }, { at: 'hashicorp/vault-k8s@v1.7.2:agent-inject/agent/agent.go' }],
  },
  postgres: {
    release: { at: 'docker-library/official-images@37079fb3:library/postgres', what: 'Tags: 17.11, 17, 17.11-trixie, 17-trixie; GitCommit 2603e26e, Directory 17/trixie' },
    newest: 'the newest 17 tag of the official-images library file (2026-08-21)',
    read: [
      { at: 'docker-library/postgres@2603e26e245e558218728ee14e0a42dcb020dc7f:17/trixie/Dockerfile', what: 'PG_VERSION 17.11-1.pgdg13+2; postgres uid/gid 999; ENTRYPOINT docker-entrypoint.sh, CMD postgres; PATH adds /usr/lib/postgresql/17/bin' },
      { at: 'docker-library/postgres@6edb0a8c4def40c371514b34aef9037ec82d9110:17/trixie/docker-entrypoint.sh', what: 'POSTGRES_DB/USER/PASSWORD, PGDATA and the flag-first argument rule unchanged since 17.6' },
    ],
    unverified: ['docker-entrypoint.sh was read at 17.9 (6edb0a8, the newest commit the postgres snapshot holds), not at 2603e26'],
  },
  harbor: {
    release: { at: 'goharbor/harbor@v2.15.2' },
    newest: 'the newest tag of the goharbor/harbor snapshot (2026-08-21); harbor-helm 1.19.2 (branch 1.19.0, d84cec3) ships it',
    read: [
      { at: 'goharbor/harbor@v2.15.2:make/photon/Makefile', what: 'image names: harbor-core, harbor-portal, harbor-jobservice, harbor-registryctl, registry-photon, trivy-adapter-photon, valkey-photon (redis-photon is gone)' },
      { at: 'goharbor/harbor@v2.15.2:Makefile', what: 'TRIVYADAPTERVERSION=v0.38.0, REGISTRY_SRC_TAG=v2.8.3-harbor.1' },
      { at: 'goharbor/harbor-helm@d84cec3:values.yaml', what: 'chart 1.19.2 / appVersion 2.15.2: the same templates as 1.19.1 with the v2.15.2 tags and valkey-photon' },
    ],
    unverified: ['harbor-helm 1.19.2 has no tag in the snapshot: read at the release commit d84cec3 on branch 1.19.0'],
  },
  harborRedis: {
    release: { at: 'goharbor/harbor@v2.15.2:make/photon/valkey/Dockerfile' },
    newest: 'released with Harbor',
    read: [
      { at: 'goharbor/harbor@v2.15.2:make/photon/valkey/Dockerfile.base', what: 'valkey uid/gid 999, tdnf install valkey' },
      { at: 'goharbor/harbor-helm@d84cec3:templates/redis/statefulset.yaml', what: 'runAsUser 999, fsGroup 999, port 6379, /var/lib/redis' },
      { at: 'vmware/photon@4e6f5c9b:SPECS/valkey/valkey.spec', what: 'valkey 9.0.3: valkey-server, valkey-cli and redis-* links' },
      { at: 'valkey-io/valkey@006f11de:src/valkey-cli.c', what: 'CLI_AUTH_ENV VALKEYCLI_AUTH (REDISCLI_AUTH the old name)' },
      { at: 'valkey-io/valkey@8.0.1:src/valkey-cli.c', what: 'CLI_AUTH_ENV REDISCLI_AUTH: the probe sets both names (harbor-redis.ts VALKEY_CLI_AUTH_ENV)' },
    ],
    unverified: ['the valkey release inside the image is the Photon package of the build date, not pinned by Harbor: 9.0.3 is the version of the stored photon spec'],
  },
  harborTrivyAdapter: {
    release: { at: 'goharbor/harbor-scanner-trivy@v0.38.0', what: 'the adapter release Harbor v2.15.2\'s Makefile names' },
    newest: 'released with Harbor',
    read: [{ at: 'goharbor/harbor-scanner-trivy@v0.38.0:pkg/etc/config.go', what: 'unchanged since v0.36.0' }],
  },
  mariadb: {
    release: { at: 'docker-library/official-images@37079fb3:library/mariadb', what: 'Tags: 11.4.12-noble, 11.4-noble, 11.4.12, 11.4; GitCommit 53935c78, Directory 11.4' },
    newest: 'the newest 11.4 tag of the official-images library file (2026-08-21)',
    read: [{ at: 'MariaDB/mariadb-docker@53935c78b82bff912b361357d59db11d7246ea96:11.4/Dockerfile', what: 'MARIADB_VERSION=1:11.4.12+maria~ubu2404; user mysql, ENTRYPOINT docker-entrypoint.sh, CMD mariadbd; docker-entrypoint.sh adds MARIADB_USER_HOST (default %)' }],
  },
};

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
