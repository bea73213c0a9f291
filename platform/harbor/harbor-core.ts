import { Construct } from 'constructs';
import { KubeConfigMap } from '../../imports/k8s';
import { HARBOR_SECRETS } from './harbor-names';
import { harborOidcEnv, HarborOidcSettings } from './harbor-oidc';
import { HarborRedis, HARBOR_REDIS_DB } from './harbor-redis';
import { containerPort, HarborEndpoints, harborProbes, harborWorkload, HarborWorkloadContext, HARBOR_SECRET_ENV, HARBOR_IMAGES } from './harbor-workload';
import { configChecksum, env, httpProbe, resources, ResourceSizes, secretEnv } from '../../constructs/k8s/pod-defaults';
import type { PlatformWorkload } from '../../constructs/k8s/platform-workload';
import type { DatabaseSecretRef } from '../../constructs/k8s/postgres-database';
import type { ServiceAddress } from '../../constructs/k8s/service-endpoint';

/** Where core's image reads its files. */
const APP_CONF = '/etc/core/app.conf';
/** Custom CAs below this directory are appended to the image's trust bundle at start. */
const CUSTOM_CA_DIR = '/harbor_cust_cert';

export interface HarborCoreProps {
  /** The Services of all components: core's own and the ones core calls. */
  readonly endpoints: HarborEndpoints;
  readonly redis: HarborRedis;
  /** The database's Service (port `postgres`). */
  readonly database: ServiceAddress;
  /** The Secret the database was created from (name, user, password). */
  readonly databaseSecret: DatabaseSecretRef;
  /** Public URL of Harbor (`https://harbor.<domain>`): EXT_ENDPOINT, the token realm, the UI's commands. */
  readonly externalUrl: string;
  /** OIDC login, applied at every start through CONFIG_OVERWRITE_JSON. */
  readonly oidc: HarborOidcSettings;
  /** Secret (key `ca.crt`) with the CA of the OIDC provider's certificate, added to core's trust bundle. */
  readonly trustedCaSecret: string;
  /** The configuration and the connections its NetworkPolicy is derived from. */
  readonly context: HarborWorkloadContext;
  /** @default 2 */
  readonly replicas?: number;
  /**
   * Connections each replica may open to PostgreSQL (POSTGRESQL_MAX_OPEN_CONNS; Harbor's default
   * 0 is unlimited). Jobservice reads the same setting from core's configuration API, so this is
   * the pool of both; the database's max_connections is derived from it.
   */
  readonly maxOpenDbConnections: number;
  /** @default 100m/256Mi requested, 1Gi limit */
  readonly resources?: ResourceSizes;
}

/**
 * Harbor core: the API, the token service, the OIDC login and the authenticating proxy in front of
 * the registry (`/v2/` reaches the registry through core). Stateless with its state in PostgreSQL
 * and Redis, so it runs replicated, spread over the workers, with a PDB.
 */
export class HarborCore extends Construct {
  public readonly workload: PlatformWorkload;
  public readonly configMap: KubeConfigMap;

  public constructor(scope: Construct, id: string, props: HarborCoreProps) {
    super(scope, id);
    const { endpoints: ep, redis, database } = props;
    const name = ep.core.name;
    const http = ep.core.port('http');
    const replicas = props.replicas ?? 2;
    const db = props.databaseSecret;

    const config = {
      'app.conf': ['appname = Harbor', 'runmode = prod', 'enablegzip = true', '', '[prod]', `httpport = ${http.targetPort}`, ''].join('\n'),
    };
    this.configMap = new KubeConfigMap(this, 'config', { metadata: { name }, data: config });

    const environment = [
      // secrets first: the URLs and the JSON below refer to some of them
      HARBOR_SECRET_ENV.coreSecret,
      HARBOR_SECRET_ENV.jobserviceSecret,
      HARBOR_SECRET_ENV.registryUsername,
      HARBOR_SECRET_ENV.registryPassword,
      HARBOR_SECRET_ENV.redisPassword,
      secretEnv('CSRF_KEY', HARBOR_SECRETS.core, 'csrfKey'),
      // used once, when core creates the admin user in an empty database
      secretEnv('HARBOR_ADMIN_PASSWORD', HARBOR_SECRETS.admin, 'password'),
      secretEnv('POSTGRESQL_DATABASE', db.name, db.databaseKey ?? 'database'),
      secretEnv('POSTGRESQL_USERNAME', db.name, db.usernameKey ?? 'username'),
      secretEnv('POSTGRESQL_PASSWORD', db.name, db.passwordKey ?? 'password'),
      // the port is app.conf's httpport: core reads no PORT variable (Harbor's installers set one anyway)
      env('CONFIG_PATH', APP_CONF),
      env('LOG_LEVEL', 'info'),
      env('EXT_ENDPOINT', props.externalUrl),
      env('CORE_URL', ep.core.url('http')),
      env('CORE_LOCAL_URL', `http://127.0.0.1:${http.targetPort}`),
      env('TOKEN_SERVICE_URL', `${ep.core.url('http')}/service/token`),
      env('JOBSERVICE_URL', ep.jobservice.url('http')),
      env('REGISTRY_URL', ep.registry.url('registry')),
      env('REGISTRY_CONTROLLER_URL', ep.registry.url('controller')),
      env('REGISTRY_STORAGE_PROVIDER_NAME', 'filesystem'),
      env('PORTAL_URL', ep.portal.url('http')),
      env('WITH_TRIVY', true),
      env('TRIVY_ADAPTER_URL', ep.trivy.url('api-server')),
      env('DATABASE_TYPE', 'postgresql'),
      env('POSTGRESQL_HOST', database.host),
      env('POSTGRESQL_PORT', database.port('postgres').port),
      env('POSTGRESQL_SSLMODE', 'disable'),
      env('POSTGRESQL_MAX_OPEN_CONNS', props.maxOpenDbConnections),
      env('POSTGRESQL_MAX_IDLE_CONNS', 10),
      env('_REDIS_URL_CORE', redis.url(HARBOR_REDIS_DB.core)),
      env('_REDIS_URL_REG', redis.url(HARBOR_REDIS_DB.registry)),
      env('PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE', 'docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,docker-registry,github-ghcr,jfrog-artifactory'),
      env('REPLICATION_ADAPTER_WHITELIST', 'ali-acr,aws-ecr,azure-acr,docker-hub,docker-registry,github-ghcr,google-gcr,harbor,huawei-SWR,jfrog-artifactory,tencent-tcr,volcengine-cr'),
      ...harborOidcEnv(props.oidc),
    ];

    this.workload = harborWorkload(this, ep.core, props.context, {
      replicas,
      podAnnotations: configChecksum(config),
      podSpec: { terminationGracePeriodSeconds: 120 },
      containers: [{
        name: 'core',
        image: HARBOR_IMAGES.core,
        ports: [containerPort(http)],
        env: environment,
        // the first start migrates the database schema before answering
        startupProbe: httpProbe('/api/v2.0/ping', http.name, { failureThreshold: 60 }),
        ...harborProbes('/api/v2.0/ping', http.name),
        resources: resources(props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
        volumeMounts: [
          { name: 'config', mountPath: APP_CONF, subPath: 'app.conf' },
          // encrypts the passwords core keeps in the database (the OIDC client secret among them)
          { name: 'secret-key', mountPath: '/etc/core/key', subPath: 'key' },
          // signs the registry tokens core issues
          { name: 'token-signing-key', mountPath: '/etc/core/private_key.pem', subPath: 'tls.key' },
          { name: 'token-cache', mountPath: '/etc/core/token' },
          // offered for download in the UI ("registry certificate")
          { name: 'ca-download', mountPath: '/etc/core/ca', readOnly: true },
          { name: 'trusted-ca', mountPath: `${CUSTOM_CA_DIR}/platform-ca.crt`, subPath: 'ca.crt' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: this.configMap.name, items: [{ key: 'app.conf', path: 'app.conf' }] } },
        { name: 'secret-key', secret: { secretName: HARBOR_SECRETS.core, items: [{ key: 'secretKey', path: 'key' }] } },
        { name: 'token-signing-key', secret: { secretName: HARBOR_SECRETS.token, items: [{ key: 'tls.key', path: 'tls.key' }] } },
        { name: 'token-cache', emptyDir: {} },
        { name: 'ca-download', secret: { secretName: HARBOR_SECRETS.tls, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { name: 'trusted-ca', secret: { secretName: props.trustedCaSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      ],
    });
  }
}
