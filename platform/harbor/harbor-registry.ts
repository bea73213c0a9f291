import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import { Construct } from 'constructs';
import { KubeConfigMap, KubePersistentVolumeClaim, Quantity } from '../../imports/k8s';
import { HARBOR_SECRETS } from './harbor-names';
import { HarborRedis, HARBOR_REDIS_DB } from './harbor-redis';
import { containerPort, HarborEndpoints, harborProbes, harborWorkload, HarborWorkloadContext, HARBOR_SECRET_ENV, HARBOR_IMAGES, REGISTRY_HTPASSWD_KEY } from './harbor-workload';
import { configChecksum, resources, ResourceSizes, yamlFile } from '../../constructs/k8s/pod-defaults';
import type { PlatformWorkload } from '../../constructs/k8s/platform-workload';

/** Where the registry keeps blobs and manifests (filesystem driver). */
const STORAGE_DIR = '/storage';
const HTPASSWD_FILE = '/etc/registry/passwd';
const REGISTRY_CONFIG = '/etc/registry/config.yml';

export interface HarborRegistryProps {
  /** The Services of all components: the registry's own (ports `registry` and `controller`) and its peers. */
  readonly endpoints: HarborEndpoints;
  readonly redis: HarborRedis;
  /** Class of the image store: must offer ReadWriteMany, the replicas share it. */
  readonly storageClass: StorageClassRef;
  /** Name of the image store's claim. @default 'harbor-pvc' (the seed's) */
  readonly claimName?: string;
  /** Size of the image store. @default '20Gi' (the seed's) */
  readonly size?: string;
  /** The configuration and the connections its NetworkPolicy is derived from. */
  readonly context: HarborWorkloadContext;
  /** @default 2 */
  readonly replicas?: number;
  /** @default 100m/256Mi requested, 1Gi limit */
  readonly registryResources?: ResourceSizes;
  /** @default 25m/64Mi requested, 256Mi limit */
  readonly controllerResources?: ResourceSizes;
}

/**
 * The image store: distribution (the registry) and registryctl (garbage collection and other
 * maintenance on the same files) in one pod, both on the shared ReadWriteMany volume. The
 * registry authenticates only core and jobservice (htpasswd with the credentials they hold);
 * users reach it through core. Replicas share the HTTP secret, so an upload can continue on any.
 */
export class HarborRegistry extends Construct {
  public readonly workload: PlatformWorkload;
  public readonly configMap: KubeConfigMap;
  public readonly claim: KubePersistentVolumeClaim;

  public constructor(scope: Construct, id: string, props: HarborRegistryProps) {
    super(scope, id);
    const ep = props.endpoints;
    const name = ep.registry.name;
    const registryPort = ep.registry.port('registry');
    const controllerPort = ep.registry.port('controller');
    const replicas = props.replicas ?? 2;

    this.claim = new KubePersistentVolumeClaim(this, 'storage', {
      metadata: { name: props.claimName ?? 'harbor-pvc' },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: props.storageClass.name,
        resources: { requests: { storage: Quantity.fromString(props.size ?? '20Gi') } },
      },
    });

    const registryConfig = {
      version: 0.1,
      log: { level: 'info', fields: { service: 'registry' } },
      storage: {
        filesystem: { rootdirectory: STORAGE_DIR },
        cache: { layerinfo: 'redis' },
        maintenance: { uploadpurging: { enabled: true, age: '168h', interval: '24h', dryrun: false } },
        delete: { enabled: true },
        redirect: { disable: false },
      },
      // the password comes from REGISTRY_REDIS_PASSWORD, which overrides redis.password
      redis: {
        addr: ep.redis.address('redis'),
        db: HARBOR_REDIS_DB.registry,
        readtimeout: '10s',
        writetimeout: '10s',
        dialtimeout: '10s',
        enableTLS: false,
        pool: { maxidle: 100, maxactive: 500, idletimeout: '60s' },
      },
      // the HTTP secret comes from REGISTRY_HTTP_SECRET
      http: { addr: `:${registryPort.targetPort}`, relativeurls: false, debug: { addr: 'localhost:5001' } },
      auth: { htpasswd: { realm: 'harbor-registry-basic-realm', path: HTPASSWD_FILE } },
      validation: { disabled: true },
      compatibility: { schema1: { enabled: true } },
    };
    const controllerConfig = { protocol: 'http', port: controllerPort.targetPort, log_level: 'info', registry_config: REGISTRY_CONFIG };
    const config = { 'config.yml': yamlFile(registryConfig), 'ctl-config.yml': yamlFile(controllerConfig) };
    this.configMap = new KubeConfigMap(this, 'config', { metadata: { name }, data: config });

    const redisPassword = { ...HARBOR_SECRET_ENV.redisPassword, name: 'REGISTRY_REDIS_PASSWORD' };
    const dataMount = { name: 'storage', mountPath: STORAGE_DIR };
    const configMount = { name: 'config', mountPath: REGISTRY_CONFIG, subPath: 'config.yml' };

    this.workload = harborWorkload(this, ep.registry, props.context, {
      replicas,
      podAnnotations: configChecksum(config),
      podSpec: { terminationGracePeriodSeconds: 120 },
      containers: [
        {
          name: 'registry',
          image: HARBOR_IMAGES.registry,
          ports: [containerPort(registryPort)],
          env: [HARBOR_SECRET_ENV.registryHttpSecret, redisPassword],
          ...harborProbes('/', registryPort.name),
          resources: resources(props.registryResources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
          volumeMounts: [
            dataMount,
            configMount,
            { name: 'htpasswd', mountPath: HTPASSWD_FILE, subPath: 'passwd' },
          ],
        },
        {
          name: 'registryctl',
          image: HARBOR_IMAGES.registryctl,
          ports: [containerPort(controllerPort)],
          env: [
            HARBOR_SECRET_ENV.coreSecret,
            HARBOR_SECRET_ENV.jobserviceSecret,
            HARBOR_SECRET_ENV.registryHttpSecret,
            redisPassword,
          ],
          ...harborProbes('/api/health', controllerPort.name),
          resources: resources(props.controllerResources ?? { cpu: '25m', memory: '64Mi', memoryLimit: '256Mi' }),
          volumeMounts: [
            dataMount,
            configMount,
            { name: 'config', mountPath: '/etc/registryctl/config.yml', subPath: 'ctl-config.yml' },
          ],
        },
      ],
      volumes: [
        { name: 'storage', persistentVolumeClaim: { claimName: this.claim.name } },
        { name: 'config', configMap: { name: this.configMap.name } },
        {
          name: 'htpasswd',
          secret: { secretName: HARBOR_SECRETS.registry, items: [{ key: REGISTRY_HTPASSWD_KEY, path: 'passwd' }] },
        },
      ],
    });
  }
}
