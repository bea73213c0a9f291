import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PlatformConfig, VERSIONS } from '../../config';
import { fromIngressController, PlatformChart, PlatformIngress, selectorLabels, tcp } from '../../constructs/k8s';
import {
  IntOrString,
  KubeDeployment,
  KubeNetworkPolicy,
  KubePersistentVolumeClaim,
  KubeService,
  KubeServiceAccount,
  Quantity,
} from '../../imports/k8s';
import { CHARTMUSEUM_IMAGE, CHARTMUSEUM_NAMESPACE, CHARTMUSEUM_SECRETS } from './chartmuseum-names';

const NAME = 'chartmuseum';
const HTTP_PORT = 8080;
/** The image's user. */
const UID = 1000;
const STORAGE_DIR = '/charts';
/** Largest chart package accepted: ChartMuseum's own default, which the ingress matches. */
const MAX_UPLOAD_MB = 20;

export interface ChartmuseumChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
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
  public readonly deployment: KubeDeployment;
  public readonly service: KubeService;
  public readonly claim: KubePersistentVolumeClaim;
  public readonly ingress: PlatformIngress;

  public constructor(scope: Construct, id: string, props: ChartmuseumChartProps) {
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.chartmuseum, namespace: CHARTMUSEUM_NAMESPACE });
    const { config } = props;
    const selector = selectorLabels(NAME, 'server');
    const auth = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: CHARTMUSEUM_SECRETS.auth, key } } });
    const probe = (periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path: '/health', port: IntOrString.fromString('http'), scheme: 'HTTP' },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });

    this.claim = new KubePersistentVolumeClaim(this, 'storage', {
      metadata: { name: `${NAME}-pvc` },
      spec: {
        accessModes: ['ReadWriteOnce'], // a single writer, see above
        storageClassName: props.storageClass.name,
        resources: { requests: { storage: Quantity.fromString(props.size ?? '5Gi') } },
      },
    });
    const sa = new KubeServiceAccount(this, 'service-account', { metadata: { name: NAME }, automountServiceAccountToken: false });
    this.service = new KubeService(this, 'service', {
      metadata: { name: NAME },
      spec: { selector, ports: [{ name: 'http', port: HTTP_PORT, targetPort: IntOrString.fromString('http'), protocol: 'TCP' }] },
    });

    this.deployment = new KubeDeployment(this, 'deployment', {
      metadata: { name: NAME },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: UID,
              runAsGroup: UID,
              fsGroup: UID,
              fsGroupChangePolicy: 'OnRootMismatch',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: NAME,
              image: CHARTMUSEUM_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: HTTP_PORT }],
              env: [
                { name: 'PORT', value: String(HTTP_PORT) },
                { name: 'STORAGE', value: 'local' },
                { name: 'STORAGE_LOCAL_ROOTDIR', value: STORAGE_DIR },
                { name: 'DISABLE_API', value: 'false' },
                { name: 'ALLOW_OVERWRITE', value: 'false' },
                { name: 'MAX_UPLOAD_SIZE', value: String(MAX_UPLOAD_MB * 1024 * 1024) },
                { name: 'DISABLE_METRICS', value: 'true' },
                { name: 'LOG_JSON', value: 'true' },
                auth('BASIC_AUTH_USER', 'username'),
                auth('BASIC_AUTH_PASS', 'password'),
              ],
              readinessProbe: probe(10, 3),
              livenessProbe: probe(20, 6),
              resources: {
                requests: { cpu: Quantity.fromString('25m'), memory: Quantity.fromString('64Mi') },
                limits: { memory: Quantity.fromString('256Mi') },
              },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
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
          },
        },
      },
    });

    this.ingress = new PlatformIngress(this, 'ingress', {
      name: NAME,
      host: config.hosts.chartmuseum,
      tlsSecretName: CHARTMUSEUM_SECRETS.tls,
      routes: [{ path: '/', service: this.service, port: HTTP_PORT }],
      annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': `${MAX_UPLOAD_MB}m` },
    });

    // reached only through the ingress; calls nothing (local storage)
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: NAME },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [fromIngressController()], ports: [tcp(HTTP_PORT)] }],
      },
    });
  }
}
