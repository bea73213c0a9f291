import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import { Construct } from 'constructs';
import { HarborRedis, HARBOR_REDIS_DB } from './harbor-redis';
import { containerPort, HarborEndpoints, harborWorkload, HarborWorkloadContext, HARBOR_SECRET_ENV, HARBOR_IMAGES } from './harbor-workload';
import { env, httpProbe, resources, ResourceSizes } from '../../constructs/k8s/pod-defaults';
import { dataVolumeClaim } from '../../constructs/k8s/database-parts';
import type { PlatformWorkload } from '../../constructs/k8s/platform-workload';

const CACHE_DIR = '/home/scanner/.cache';

export interface HarborTrivyProps {
  /** The Services of all components: Trivy's own (port `api-server`) and the ones it calls. */
  readonly endpoints: HarborEndpoints;
  readonly redis: HarborRedis;
  /** Class of the per-pod cache volume. */
  readonly storageClass: StorageClassRef;
  /** Size of the cache volume (vulnerability databases and reports). @default '5Gi' */
  readonly cacheSize?: string;
  /**
   * The configuration and the connections its NetworkPolicy is derived from: among them the
   * vulnerability database registries outside the cluster (mirror.gcr.io, ghcr.io).
   */
  readonly context: HarborWorkloadContext;
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
  public readonly workload: PlatformWorkload;

  public constructor(scope: Construct, id: string, props: HarborTrivyProps) {
    super(scope, id);
    const { endpoints: ep, redis } = props;
    const api = ep.trivy.port('api-server');
    const redisUrl = redis.url(HARBOR_REDIS_DB.trivy);
    const databases = (repo: string) => [`mirror.gcr.io/aquasec/${repo}`, `ghcr.io/aquasecurity/${repo}`].join(',');

    this.workload = harborWorkload(this, ep.trivy, props.context, {
      kind: 'StatefulSet',
      statefulSetSpec: { volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.cacheSize ?? '5Gi')] },
      containers: [{
        name: 'trivy',
        image: HARBOR_IMAGES.trivyAdapter,
        ports: [containerPort(api)],
        env: [
          HARBOR_SECRET_ENV.redisPassword,
          env('SCANNER_LOG_LEVEL', 'info'),
          env('SCANNER_API_SERVER_ADDR', `:${api.targetPort}`),
          // the store and the job queue share this pool: harbor-scanner-trivy v0.38.0 (Harbor
          // v2.15.2's adapter) has no SCANNER_STORE_REDIS_URL or SCANNER_JOB_QUEUE_REDIS_URL
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
        volumeMounts: [{ name: 'data', mountPath: CACHE_DIR }],
      }],
    });
  }
}
