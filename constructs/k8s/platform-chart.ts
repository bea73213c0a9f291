import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { mirrorImage, type PlatformConfig } from '../../config';
import { componentLabels } from './labels';

export interface PlatformChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** `app.kubernetes.io/name` of everything in the chart. */
  readonly component: string;
  /** `app.kubernetes.io/version` of everything in the chart (from the version catalog). */
  readonly version: string;
  /** Namespace of the chart's namespaced objects. @default none (cluster-scoped objects only) */
  readonly namespace?: string;
}

/**
 * Base of every chart in dist/manifests: one platform component, its common labels on every
 * object, and names exactly as written (no hash suffixes), so GitOps diffs stay readable.
 */
export abstract class PlatformChart extends Chart {
  public readonly config: PlatformConfig;
  public readonly component: string;

  protected constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, {
      labels: componentLabels(props.component, props.version),
      namespace: props.namespace,
      disableResourceNameHashes: true,
    });
    this.config = props.config;
    this.component = props.component;
  }

  /**
   * The chart's objects as written, with two corrections in one place: cdk8s gives every object the
   * chart's namespace, which cluster-scoped kinds must not carry; and images are pulled from the
   * configured registry mirrors (containers, and `*_IMAGE` variables that name sidecar images).
   */
  public toJson(): any[] {
    const mirrors = this.config.images.mirrors;
    const mirrored = Object.keys(mirrors).length > 0;
    return super.toJson().map((o: { kind?: string; metadata?: { namespace?: string } }) => {
      let out = mirrored ? withMirroredImages(o, mirrors) : o;
      if (out.kind && CLUSTER_SCOPED_KINDS.has(out.kind) && out.metadata?.namespace) {
        const { namespace: _ignored, ...metadata } = out.metadata;
        out = { ...out, metadata };
      }
      return out;
    });
  }
}

/** A copy of an object with every container image, and every `*_IMAGE` env value, mirrored. */
function withMirroredImages<T>(value: T, mirrors: Readonly<Record<string, string>>): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    // `container` is Envoy Gateway's EnvoyProxy (spec.provider.kubernetes.envoyDeployment.container)
    const inContainers = key === 'containers' || key === 'initContainers' || key === 'container';
    const isImageEnv = key === 'env' && typeof o.name === 'string' && o.name.endsWith('_IMAGE') && typeof o.value === 'string';
    return Object.fromEntries(Object.entries(o).map(([k, x]) => {
      if (inContainers && k === 'image' && typeof x === 'string') return [k, mirrorImage(x, mirrors)];
      if (isImageEnv && k === 'value') return [k, mirrorImage(x as string, mirrors)];
      return [k, walk(x, k)];
    }));
  };
  return walk(value) as T;
}

/** Kinds without a namespace among those the platform writes. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume', 'IngressClass',
  'PriorityClass', 'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'GatewayClass',
]);
