/**
 * The upstream CRD files Envoy Gateway needs, pinned as release artifacts: they are API
 * definitions and are emitted into dist/manifests byte for byte (never rebuilt from bindings).
 * Each file's SHA-256 is recorded here; test/platform/envoy-gateway/envoy-gateway-crds.test.ts
 * checks the files against it and dist against the files.
 *
 * - Gateway API v1.6.1, the standard channel: every file of kubernetes-sigs/gateway-api
 *   config/crd/standard/ at tag v1.6.1 (commit 8bb74df0), the set its config/crd/kustomization.yaml
 *   and its standard-install.yaml release asset install (BackendTLSPolicy and ListenerSet are
 *   standard, v1, in this release). Envoy Gateway v1.9.0 compiles against this release (go.mod).
 * - Envoy Gateway v1.9.0: the CRDs of the kinds the platform writes (EnvoyProxy,
 *   ClientTrafficPolicy, BackendTrafficPolicy) from charts/gateway-helm/charts/crds/crds/generated/
 *   at tag v1.9.0 (commit 39763b1c). The controller looks every one of its kinds up before watching
 *   it and skips the ones that are absent (internal/provider/kubernetes/controller.go, checkCRD),
 *   so the others (SecurityPolicy, Backend, ...) are not installed.
 */
import { VERSIONS } from '../../config';

/** One pinned upstream file. */
export interface PinnedFile {
  /** File name, as upstream names it (and as dist/manifests holds it). */
  readonly name: string;
  /** SHA-256 of the file, hex. */
  readonly sha256: string;
  /** Where it was taken from: `repo@ref:path`. */
  readonly source: string;
  /** Its text, byte for byte. */
  readonly text: string;
}

/** A set of pinned files from one upstream release, emitted into one folder of dist/manifests. */
export interface PinnedRelease {
  /** Folder below dist/manifests; its number orders it before the objects that use its kinds. */
  readonly folder: string;
  /** Folder of the copies in the project (below platform/envoy-gateway/). */
  readonly vendored: string;
  readonly version: string;
  readonly files: readonly PinnedFile[];
}

/**
 * A pinned file whose text is read when first asked for: the texts' module is required lazily,
 * so only a synth with Envoy Gateway loads them (a bundle would otherwise build every string at
 * start-up).
 */
function pinned(vendored: string, name: string, sha256: string, source: string): PinnedFile {
  return {
    name,
    sha256,
    source,
    get text(): string {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CRD_TEXTS } = require('./crds/crd-texts') as typeof import('./crds/crd-texts');
      const text = CRD_TEXTS[`${vendored}/${name}`];
      if (text === undefined) throw new Error(`pinned file ${vendored}/${name}: not in crds/crd-texts.ts`);
      return text;
    },
  };
}

const GATEWAY_API_DIR = `gateway-api-${VERSIONS.gatewayApi}`;
const ENVOY_GATEWAY_DIR = `envoy-gateway-${VERSIONS.envoyGateway}`;
const gatewayApi = (name: string, sha256: string): PinnedFile =>
  pinned(GATEWAY_API_DIR, name, sha256, `kubernetes-sigs/gateway-api@${VERSIONS.gatewayApi}:config/crd/standard/${name}`);
const envoyGateway = (name: string, sha256: string): PinnedFile =>
  pinned(ENVOY_GATEWAY_DIR, name, sha256, `envoyproxy/gateway@${VERSIONS.envoyGateway}:charts/gateway-helm/charts/crds/crds/generated/${name}`);

/** Gateway API, standard channel, in the order of its kustomization. */
export const GATEWAY_API_CRDS: PinnedRelease = {
  folder: '14-gateway-api-crds',
  vendored: `crds/${GATEWAY_API_DIR}`,
  version: VERSIONS.gatewayApi,
  files: [
    gatewayApi('gateway.networking.k8s.io_gatewayclasses.yaml', '53710048ba26f8620eed59d5e51b157ecf040daf5c6eef31a4b991e0808c4be5'),
    gatewayApi('gateway.networking.k8s.io_gateways.yaml', '25b885f5870b8fff1ae82efa2628b2761cef3745900c2aecf8fb76629a01255a'),
    gatewayApi('gateway.networking.k8s.io_grpcroutes.yaml', '53a8d029da8f07e55d3fa58a5cf6de5950dab19fbb8d6a8082fb5e51ca5ef6fc'),
    gatewayApi('gateway.networking.k8s.io_httproutes.yaml', 'a424a0d6c953b162e71d1d97bb7e75012d8f1ac264e7274f2763d1b96ab39852'),
    gatewayApi('gateway.networking.k8s.io_referencegrants.yaml', '8c645e9333cfa67790cc2a53e0c00076f88b2bd4230d2b49688c78bc34f9b2c3'),
    gatewayApi('gateway.networking.k8s.io_backendtlspolicies.yaml', '0d48c9e4b53dd9510cf615b9b1192d9d7afb07a1cc0498c9515627cb1c075419'),
    gatewayApi('gateway.networking.k8s.io_listenersets.yaml', 'bf4d4b02564999b2558b96e31465129895db9b3a8adfb90adb9c80eac52a3a70'),
    gatewayApi('gateway.networking.k8s.io_tcproutes.yaml', 'd5104d0cf30e924f5e3c9e2e76abd46876401c34ca33b9e79321523eee78c7f6'),
    gatewayApi('gateway.networking.k8s.io_tlsroutes.yaml', 'bb8b67926e5d9652cbfd2e19063b7c1d9e78806c9dd671608f57baef2f2e3bbb'),
    gatewayApi('gateway.networking.k8s.io_udproutes.yaml', '4b80684c2bf8ef4b0a2a3ab45164ac9f96258fc69912645ff50ced595b0aa6de'),
    gatewayApi('gateway.networking.k8s.io_vap_safeupgrades.yaml', 'afb0ea1b3cc2e9344d93b0926fbe741aeb48ab4439f9f7b4b77b9ac94faf6c2e'),
  ],
};

/** Envoy Gateway's CRDs of the kinds the platform writes. */
export const ENVOY_GATEWAY_CRDS: PinnedRelease = {
  folder: '15-envoy-gateway-crds',
  vendored: `crds/${ENVOY_GATEWAY_DIR}`,
  version: VERSIONS.envoyGateway,
  files: [
    envoyGateway('gateway.envoyproxy.io_envoyproxies.yaml', '3e9ea2f348445e3798b02daf02bf024b0d944227cf5ef8a18da7f675a1afd223'),
    envoyGateway('gateway.envoyproxy.io_clienttrafficpolicies.yaml', '2c7eaa1ce30de626e9c362b8d9002281c2f435f970020fa81902ad7f30b38d5b'),
    envoyGateway('gateway.envoyproxy.io_backendtrafficpolicies.yaml', 'cd75a4c222df5487aa9ca8957b48bcc3255eb25de02ed9153faf620bc160f786'),
  ],
};

/** The files dist/manifests gets, by path below it. */
export function pinnedManifestFiles(releases: readonly PinnedRelease[] = [GATEWAY_API_CRDS, ENVOY_GATEWAY_CRDS]): Map<string, string> {
  return new Map(releases.flatMap((r) => r.files.map((f) => [`${r.folder}/${f.name}`, f.text] as [string, string])));
}
