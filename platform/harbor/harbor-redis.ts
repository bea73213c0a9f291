import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import { Construct } from 'constructs';
import { IntOrString } from '../../imports/k8s';
import { containerPort, harborWorkload, HarborWorkloadContext, HARBOR_SECRET_ENV, HARBOR_IMAGES } from './harbor-workload';
import { containerSecurityContext, resources, ResourceSizes } from '../../constructs/k8s/pod-defaults';
import { dataVolumeClaim } from '../../constructs/k8s/database-parts';
import type { PlatformWorkload } from '../../constructs/k8s/platform-workload';
import type { ServiceEndpoint } from '../../constructs/k8s/service-endpoint';

/** The valkey user of goharbor/valkey-photon (uid and gid 999, as redis-photon's redis user was). */
const REDIS_UID = 999;

/**
 * The variables valkey-cli takes its password from (CLI_AUTH_ENV), so it never appears on a
 * command line: REDISCLI_AUTH up to valkey 8.0 (valkey-io/valkey@8.0.1:src/valkey-cli.c), renamed
 * VALKEYCLI_AUTH later (valkey-io/valkey@006f11de:src/valkey-cli.c). The valkey inside
 * goharbor/valkey-photon is Photon's package of its build date, not pinned by Harbor (README
 * Limits), so the probe sets both.
 */
export const VALKEY_CLI_AUTH_ENV = Object.freeze([
  { name: 'REDISCLI_AUTH', source: { repo: 'valkey-io/valkey', ref: '8.0.1', path: 'src/valkey-cli.c' } },
  { name: 'VALKEYCLI_AUTH', source: { repo: 'valkey-io/valkey', ref: '006f11de', path: 'src/valkey-cli.c' } },
] as const);

/** Redis database of each client, as Harbor numbers them. */
export const HARBOR_REDIS_DB = {
  core: 0,
  jobservice: 1,
  registry: 2,
  trivy: 5,
} as const;

export interface HarborRedisProps {
  /** Its Service (port `redis`); the StatefulSet's pods carry its selector. */
  readonly endpoint: ServiceEndpoint;
  /** Class of the data volume. */
  readonly storageClass: StorageClassRef;
  /** Size of the data volume. @default '1Gi' */
  readonly size?: string;
  /** The configuration and the connections its NetworkPolicy is derived from (its clients'). */
  readonly context: HarborWorkloadContext;
  /** @default 50m/128Mi requested, 512Mi limit */
  readonly resources?: ResourceSizes;
}

/**
 * Harbor's Redis, Valkey since v2.15.2 (goharbor/valkey-photon, Redis-compatible): job queues,
 * caches and the registry's layer-info cache. One replica: Harbor runs it without Sentinel, its clients reconnect after a restart, and what it holds is either
 * a cache or a queue that survives on its volume. A password (from the Secret) guards it; the
 * clients' URLs carry it through `$(REDIS_PASSWORD)`, which the kubelet fills in, so no value is
 * written into dist.
 */
export class HarborRedis extends Construct {
  public readonly workload: PlatformWorkload;
  public readonly endpoint: ServiceEndpoint;

  public constructor(scope: Construct, id: string, props: HarborRedisProps) {
    super(scope, id);
    this.endpoint = props.endpoint;
    const port = props.endpoint.port('redis');
    const auth = VALKEY_CLI_AUTH_ENV.map((v) => `${v.name}="$REDIS_PASSWORD"`).join(' ');
    const ping = ['sh', '-c', `test "$(${auth} valkey-cli -h 127.0.0.1 ping)" = PONG`];

    this.workload = harborWorkload(this, props.endpoint, props.context, {
      kind: 'StatefulSet',
      uid: REDIS_UID,
      podSpec: { terminationGracePeriodSeconds: 60 },
      statefulSetSpec: { volumeClaimTemplates: [dataVolumeClaim(props.storageClass, props.size ?? '1Gi')] },
      containers: [{
        name: 'redis',
        image: HARBOR_IMAGES.redis,
        // the image's own config file (it kept the name redis.conf), plus the password (expanded by the kubelet)
        command: ['valkey-server'],
        args: ['/etc/redis.conf', '--requirepass', '$(REDIS_PASSWORD)'],
        env: [HARBOR_SECRET_ENV.redisPassword],
        ports: [containerPort(port)],
        readinessProbe: { exec: { command: ping }, periodSeconds: 10, timeoutSeconds: 5 },
        livenessProbe: { tcpSocket: { port: IntOrString.fromString(port.name) }, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
        resources: resources(props.resources ?? { cpu: '50m', memory: '128Mi', memoryLimit: '512Mi' }),
        securityContext: containerSecurityContext(true),
        volumeMounts: [{ name: 'data', mountPath: '/var/lib/redis' }],
      }],
    });
  }

  /**
   * URL of a Redis database with the password placeholder: valid only in a container whose env
   * defines REDIS_PASSWORD (HARBOR_SECRET_ENV.redisPassword) before the variable that uses it.
   */
  public url(db: number, idleTimeout = true): string {
    const query = idleTimeout ? '?idle_timeout_seconds=30' : '';
    return `redis://:$(${HARBOR_SECRET_ENV.redisPassword.name})@${this.endpoint.address('redis')}/${db}${query}`;
  }
}
