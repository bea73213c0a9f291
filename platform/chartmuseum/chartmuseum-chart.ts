import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PlatformConfig, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import {
  containerSecurityContext,
  env,
  httpProbe,
  PlatformChart,
  PlatformIngress,
  PlatformWorkload,
  podSecurityContext,
  resources,
  secretEnv,
  selectorLabels,
  ServiceEndpoint,
} from '../../constructs/k8s';
import { KubeDeployment, KubePersistentVolumeClaim, Quantity } from '../../imports/k8s';
import { CHARTMUSEUM_ENDPOINTS, CHARTMUSEUM_IMAGE, CHARTMUSEUM_NAMESPACE, CHARTMUSEUM_SECRETS } from './chartmuseum-names';

const NAME = 'chartmuseum';
/** The image's user. */
const UID = 1000;
const STORAGE_DIR = '/charts';
/** Largest chart package accepted: ChartMuseum's own default, which the ingress matches. */
const MAX_UPLOAD_MB = 20;

export interface ChartmuseumChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** Every connection of every service: the server's policy admits those made to it. */
  readonly connections: readonly Connection[];
  /** Class of the chart store: the seed's shared class. */
  readonly storageClass: StorageClassRef;
  /** Size of the chart store. @default '5Gi' */
  readonly size?: string;
}

/**
 * ChartMuseum, the Helm chart repository K-PaaS runs beside Harbor, at chartmuseum.<domain>:
 * charts on a volume, upload API on, basic auth for reading and writing. One replica with the
 * Recreate strategy: the local storage backend keeps its index in memory and rewrites it on
 * change, so two servers on one directory would serve and write diverging indexes.
 */
export class ChartmuseumChart extends PlatformChart {
  public readonly server: PlatformWorkload;
  public readonly deployment: KubeDeployment;
  public readonly endpoint: ServiceEndpoint;
  public readonly claim: KubePersistentVolumeClaim;
  public readonly ingress: PlatformIngress;

  public constructor(scope: Construct, id: string, props: ChartmuseumChartProps) {
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.chartmuseum, namespace: CHARTMUSEUM_NAMESPACE });
    const { config, connections } = props;
    const selector = selectorLabels(NAME, 'server');
    const http = CHARTMUSEUM_ENDPOINTS.server.port('http');
    const auth = (name: string, key: string) => secretEnv(name, CHARTMUSEUM_SECRETS.auth, key);

    this.claim = new KubePersistentVolumeClaim(this, 'storage', {
      metadata: { name: `${NAME}-pvc` },
      spec: {
        accessModes: ['ReadWriteOnce'], // a single writer, see above
        storageClassName: props.storageClass.name,
        resources: { requests: { storage: Quantity.fromString(props.size ?? '5Gi') } },
      },
    });
    this.endpoint = new ServiceEndpoint(this, 'service', { address: CHARTMUSEUM_ENDPOINTS.server, selector });

    // reached only through the ingress; calls nothing (local storage)
    this.server = new PlatformWorkload(this, 'server', {
      name: NAME,
      selector,
      replicas: 1,
      deploymentSpec: { strategy: { type: 'Recreate' } },
      securityContext: podSecurityContext(UID),
      containers: [{
        name: NAME,
        image: CHARTMUSEUM_IMAGE,
        ports: [{ name: http.name, containerPort: http.targetPort }],
        env: [
          env('PORT', http.targetPort),
          env('STORAGE', 'local'),
          env('STORAGE_LOCAL_ROOTDIR', STORAGE_DIR),
          env('DISABLE_API', false),
          env('ALLOW_OVERWRITE', false),
          env('MAX_UPLOAD_SIZE', MAX_UPLOAD_MB * 1024 * 1024),
          env('DISABLE_METRICS', true),
          env('LOG_JSON', true),
          auth('BASIC_AUTH_USER', 'username'),
          auth('BASIC_AUTH_PASS', 'password'),
        ],
        readinessProbe: httpProbe('/health', http.name, { periodSeconds: 10, failureThreshold: 3 }),
        livenessProbe: httpProbe('/health', http.name, { periodSeconds: 20, failureThreshold: 6 }),
        resources: resources({ cpu: '25m', memory: '64Mi', memoryLimit: '256Mi' }),
        securityContext: containerSecurityContext(true),
        volumeMounts: [
          { name: 'storage', mountPath: STORAGE_DIR },
          // uploads larger than the in-memory form buffer are spooled here
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'storage', persistentVolumeClaim: { claimName: this.claim.name } },
        { name: 'tmp', emptyDir: {} },
      ],
      networkPolicy: { connections, config },
    });
    this.deployment = this.server.resource as KubeDeployment;

    this.ingress = new PlatformIngress(this, 'ingress', {
      controller: config.ingress.controller,
      name: NAME,
      host: config.hosts.chartmuseum,
      tlsSecretName: CHARTMUSEUM_SECRETS.tls,
      routes: [{ path: '/', service: this.endpoint.service, port: http.port }],
      traffic: { body: { maxMegabytes: MAX_UPLOAD_MB } },
    });
  }
}
