import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import { Construct } from 'constructs';
import { KubeNetworkPolicy, KubeServiceAccount, KubeStatefulSet, NetworkPolicyPeer } from '../../imports/k8s';
import { HarborEndpoints } from './harbor-endpoint';
import { HarborRedis, HARBOR_REDIS_DB } from './harbor-redis';
import { HARBOR_SECRET_ENV, HARBOR_UID, HARBOR_IMAGES } from './harbor-workload';
import { containerSecurityContext, env, httpProbe, podSecurityContext, resources, ResourceSizes } from '../../constructs/k8s/pod-defaults';
import { tcp } from '../../constructs/k8s/network-peers';
import { dataVolumeClaim } from '../../constructs/k8s/database-parts';

const CACHE_DIR = '/home/scanner/.cache';

export interface HarborTrivyProps {
  /** The Services of all components: Trivy's own (port `api-server`) and the ones it calls. */
  readonly endpoints: HarborEndpoints;
  readonly redis: HarborRedis;
  /** Class of the per-pod cache volume. */
  readonly storageClass: StorageClassRef;
  /** Size of the cache volume (vulnerability databases and reports). @default '5Gi' */
  readonly cacheSize?: string;
  /** Peer for the vulnerability database registries (mirror.gcr.io, ghcr.io). */
  readonly outsideCluster: NetworkPolicyPeer;
  /** @default 200m/512Mi requested, 2Gi limit */
  readonly resources?: ResourceSizes;
}

/**
 * Harbor's vulnerability scanner (the Trivy adapter). One replica: scans are queued (jobservice
 * retries while the scanner restarts), the load of a platform registry is small, and every
 * replica would download and keep its own copy of the vulnerability databases. The cache is a
 * per-pod volume, not a shared one: Trivy locks its database file for a single writer.
 */
export class HarborTrivy extends Construct {
  public readonly statefulSet: KubeStatefulSet;

  public constructor(scope: Construct, id: string, props: HarborTrivyProps) {
    super(scope, id);
    const { endpoints: ep, redis } = props;
    const name = ep.trivy.name;
    const selector = ep.trivy.selector;
    const api = ep.trivy.port('api-server');
    const redisUrl = redis.url(HARBOR_REDIS_DB.trivy);
    const databases = (repo: string) => [`mirror.gcr.io/aquasec/${repo}`, `ghcr.io/aquasecurity/${repo}`].join(',');

    const sa = new KubeServiceAccount(this, 'service-account', { metadata: { name }, automountServiceAccountToken: false });
    this.statefulSet = new KubeStatefulSet(this, 'Resource', {
      metadata: { name },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(HARBOR_UID),
            containers: [{
              name: 'trivy',
              image: HARBOR_IMAGES.trivyAdapter,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: api.name, containerPort: api.targetPort }],
              env: [
                HARBOR_SECRET_ENV.redisPassword,
                env('SCANNER_LOG_LEVEL', 'info'),
                env('SCANNER_API_SERVER_ADDR', `:${api.targetPort}`),
                // the store and the job queue share this pool: harbor-scanner-trivy v0.36.0 (Harbor
                // v2.15.1's adapter) has no SCANNER_STORE_REDIS_URL or SCANNER_JOB_QUEUE_REDIS_URL
                env('SCANNER_REDIS_URL', redisUrl),
                env('SCANNER_TRIVY_CACHE_DIR', `${CACHE_DIR}/trivy`),
                env('SCANNER_TRIVY_REPORTS_DIR', `${CACHE_DIR}/reports`),
                env('SCANNER_TRIVY_DEBUG_MODE', false),
                env('SCANNER_TRIVY_VULN_TYPE', 'os,library'),
                env('SCANNER_TRIVY_SEVERITY', 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL'),
                env('SCANNER_TRIVY_SECURITY_CHECKS', 'vuln'),
                env('SCANNER_TRIVY_IGNORE_UNFIXED', false),
                env('SCANNER_TRIVY_SKIP_UPDATE', false),
                env('SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE', false),
                env('SCANNER_TRIVY_OFFLINE_SCAN', false),
                env('SCANNER_TRIVY_DB_REPOSITORY', databases('trivy-db')),
                env('SCANNER_TRIVY_JAVA_DB_REPOSITORY', databases('trivy-java-db')),
                env('SCANNER_TRIVY_INSECURE', false),
                env('SCANNER_TRIVY_TIMEOUT', '5m0s'),
              ],
              readinessProbe: httpProbe('/probe/ready', api.name),
              livenessProbe: httpProbe('/probe/healthy', api.name, { periodSeconds: 20, failureThreshold: 10 }),
              resources: resources(props.resources ?? { cpu: '200m', memory: '512Mi', memoryLimit: '2Gi' }),
              securityContext: containerSecurityContext(),
              volumeMounts: [{ name: 'data', mountPath: CACHE_DIR }],
            }],
          },
        },
        volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.cacheSize ?? '5Gi')],
      },
    });

    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        // core lists and pings the scanner; jobservice runs the scan jobs
        ingress: [{ from: [ep.core.pods, ep.jobservice.pods], ports: ep.trivy.policyPorts('api-server') }],
        egress: [
          // the images it scans, pulled through core's /v2/ with a token core issues
          { to: [ep.core.pods], ports: ep.core.policyPorts('http') },
          { to: [ep.redis.pods], ports: ep.redis.policyPorts('redis') },
          // vulnerability databases: OCI artifacts on public registries, whose addresses change
          { to: [props.outsideCluster], ports: [tcp(443)] },
        ],
      },
    });
  }
}
