import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
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

  /** cdk8s gives every object the chart's namespace; cluster-scoped kinds must not carry one. */
  public toJson(): any[] {
    return super.toJson().map((o: { kind?: string; metadata?: { namespace?: string } }) => {
      if (!o.kind || !CLUSTER_SCOPED_KINDS.has(o.kind) || !o.metadata?.namespace) return o;
      const { namespace: _ignored, ...metadata } = o.metadata;
      return { ...o, metadata };
    });
  }
}

/** Kinds without a namespace among those the platform writes. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume', 'IngressClass',
  'PriorityClass', 'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
]);
