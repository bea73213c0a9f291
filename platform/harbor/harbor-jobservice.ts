import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import { Construct } from 'constructs';
import { KubeConfigMap, KubePersistentVolumeClaim, Quantity } from '../../imports/k8s';
import { HarborRedis, HARBOR_REDIS_DB } from './harbor-redis';
import { containerPort, HarborEndpoints, harborProbes, harborWorkload, HarborWorkloadContext, HARBOR_SECRET_ENV, HARBOR_IMAGES } from './harbor-workload';
import { configChecksum, env, httpProbe, resources, ResourceSizes, yamlFile } from '../../constructs/k8s/pod-defaults';
import type { PlatformWorkload } from '../../constructs/k8s/platform-workload';

const CONFIG_FILE = '/etc/jobservice/config.yml';
const JOB_LOG_DIR = '/var/log/jobs';
/** Namespace of jobservice's keys in Redis. */
const REDIS_NAMESPACE = 'harbor_job_service_namespace';

export interface HarborJobserviceProps {
  /** The Services of all components: jobservice's own (port `http`) and the ones it calls. */
  readonly endpoints: HarborEndpoints;
  readonly redis: HarborRedis;
  /** Class of the job-log volume: must offer ReadWriteMany, the replicas share it. */
  readonly storageClass: StorageClassRef;
  /** Size of the job-log volume. @default '1Gi' */
  readonly logSize?: string;
  /**
   * The configuration and the connections its NetworkPolicy is derived from: among them its own
   * database connection, opened with the settings it reads from core's configuration API.
   */
  readonly context: HarborWorkloadContext;
  /** @default 2 */
  readonly replicas?: number;
  /** Concurrent jobs per replica. @default 10 */
  readonly workersPerReplica?: number;
  /** @default 100m/256Mi requested, 1Gi limit */
  readonly resources?: ResourceSizes;
}

/**
 * Harbor's job runner (replication, scans, garbage collection, retention, webhooks), its queue in
 * Redis. The job logs are files on a volume both replicas share: a job runs on one replica while
 * the UI may ask the other for its log, so a per-pod volume would lose half the logs.
 */
export class HarborJobservice extends Construct {
  public readonly workload: PlatformWorkload;
  public readonly configMap: KubeConfigMap;
  public readonly logClaim: KubePersistentVolumeClaim;

  public constructor(scope: Construct, id: string, props: HarborJobserviceProps) {
    super(scope, id);
    const { endpoints: ep, redis } = props;
    const name = ep.jobservice.name;
    const http = ep.jobservice.port('http');
    const replicas = props.replicas ?? 2;

    this.logClaim = new KubePersistentVolumeClaim(this, 'logs', {
      metadata: { name: `${name}-logs` },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: props.storageClass.name,
        resources: { requests: { storage: Quantity.fromString(props.logSize ?? '1Gi') } },
      },
    });

    const jobConfig = {
      protocol: 'http',
      port: http.targetPort,
      worker_pool: {
        workers: props.workersPerReplica ?? 10,
        backend: 'redis',
        // without the password: JOB_SERVICE_POOL_REDIS_URL below replaces it
        redis_pool: { redis_url: `redis://${ep.redis.address('redis')}/${HARBOR_REDIS_DB.jobservice}`, namespace: REDIS_NAMESPACE, idle_timeout_second: 3600 },
      },
      job_loggers: [{
        name: 'FILE',
        level: 'INFO',
        settings: { base_dir: JOB_LOG_DIR },
        sweeper: { duration: 14, settings: { work_dir: JOB_LOG_DIR } },
      }],
      metric: { enabled: false, path: '/metrics', port: 8001 },
      loggers: [{ name: 'STD_OUTPUT', level: 'INFO' }],
      reaper: { max_update_hours: 24, max_dangling_hours: 168 },
    };
    const config = { 'config.yml': yamlFile(jobConfig) };
    this.configMap = new KubeConfigMap(this, 'config', { metadata: { name }, data: config });

    this.workload = harborWorkload(this, ep.jobservice, props.context, {
      replicas,
      podAnnotations: configChecksum(config),
      podSpec: { terminationGracePeriodSeconds: 120 },
      containers: [{
        name: 'jobservice',
        image: HARBOR_IMAGES.jobservice,
        ports: [containerPort(http)],
        env: [
          HARBOR_SECRET_ENV.coreSecret,
          HARBOR_SECRET_ENV.jobserviceSecret,
          HARBOR_SECRET_ENV.registryUsername,
          HARBOR_SECRET_ENV.registryPassword,
          HARBOR_SECRET_ENV.redisPassword,
          env('LOG_LEVEL', 'info'),
          env('CORE_URL', ep.core.url('http')),
          env('TOKEN_SERVICE_URL', `${ep.core.url('http')}/service/token`),
          env('REGISTRY_URL', ep.registry.url('registry')),
          env('REGISTRY_CONTROLLER_URL', ep.registry.url('controller')),
          env('REGISTRY_HTTP_CLIENT_TIMEOUT', 30),
          env('JOBSERVICE_WEBHOOK_JOB_MAX_RETRY', 3),
          env('JOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT', 3),
          env('JOB_SERVICE_POOL_REDIS_URL', redis.url(HARBOR_REDIS_DB.jobservice, false)),
        ],
        startupProbe: httpProbe('/api/v1/stats', http.name, { failureThreshold: 30 }),
        ...harborProbes('/api/v1/stats', http.name),
        resources: resources(props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_FILE, subPath: 'config.yml' },
          { name: 'job-logs', mountPath: JOB_LOG_DIR },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: this.configMap.name } },
        { name: 'job-logs', persistentVolumeClaim: { claimName: this.logClaim.name } },
      ],
    });
  }
}
