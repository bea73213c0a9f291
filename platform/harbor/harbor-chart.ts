import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PlatformConfig, platformUrl, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { PlatformChart, PlatformIngress, podsDuringRollout, PostgresDatabase, ServiceEndpoint } from '../../constructs/k8s';
import { HarborCore } from './harbor-core';
import { HarborJobservice } from './harbor-jobservice';
import { HarborOidcSettings } from './harbor-oidc';
import { HarborPortal } from './harbor-portal';
import { HarborRedis } from './harbor-redis';
import { HarborRegistry } from './harbor-registry';
import { HarborTrivy } from './harbor-trivy';
import type { HarborEndpoints, HarborWorkloadContext } from './harbor-workload';
import { HARBOR_ADDRESSES, HARBOR_NAMESPACE, HARBOR_SECRETS, HARBOR_SELECTORS } from './harbor-names';
import { PLATFORM_CA_SECRET } from '../../constructs/secret-spec';

const NAME = 'harbor';
/** Replicas of core and of jobservice: the database takes the pools of all of them. */
const CORE_REPLICAS = 2;
const JOBSERVICE_REPLICAS = 2;
/**
 * Connections each core and each jobservice pod may open to PostgreSQL (POSTGRESQL_MAX_OPEN_CONNS,
 * which jobservice takes from core's configuration). Harbor's own default, 0, is unlimited.
 */
const DB_CONNECTIONS_PER_POD = 25;

export interface HarborChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** Every connection of every service: each component's NetworkPolicy is derived from them. */
  readonly connections: readonly Connection[];
  /** Class of the image store, the job logs, Redis and Trivy: the seed's shared NFS class (ReadWriteMany). */
  readonly storageClass: StorageClassRef;
  /** Class of the database: the platform's Retain class. */
  readonly databaseStorageClass: StorageClassRef;
}

/**
 * Harbor, the seed's container registry, at harbor.<domain>: core, portal, registry with
 * registryctl, jobservice, the Trivy scanner, Redis and PostgreSQL, TLS ending at ingress-nginx
 * and plain HTTP inside (each component only reachable from the ones that call it), OIDC login
 * through the realm's harbor client configured at start-up. Helm charts are stored as OCI
 * artifacts; ChartMuseum runs as its own component (charts/chartmuseum-chart.ts).
 */
export class HarborChart extends PlatformChart {
  public readonly endpoints: HarborEndpoints;
  public readonly database: PostgresDatabase;
  public readonly redis: HarborRedis;
  public readonly core: HarborCore;
  public readonly portal: HarborPortal;
  public readonly registry: HarborRegistry;
  public readonly jobservice: HarborJobservice;
  public readonly trivy: HarborTrivy;
  public readonly ingress: PlatformIngress;

  public constructor(scope: Construct, id: string, props: HarborChartProps) {
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.harbor, namespace: HARBOR_NAMESPACE });
    const { config } = props;
    const context: HarborWorkloadContext = { config, connections: props.connections };

    // Services first: the components' addresses come from these, declared in harbor-names.ts
    const endpoint = (component: keyof HarborEndpoints) =>
      new ServiceEndpoint(this, `${component}-service`, { address: HARBOR_ADDRESSES[component], selector: HARBOR_SELECTORS[component] });
    this.endpoints = {
      core: endpoint('core'),
      portal: endpoint('portal'),
      registry: endpoint('registry'),
      jobservice: endpoint('jobservice'),
      trivy: endpoint('trivy'),
      redis: endpoint('redis'),
    };
    const ep = this.endpoints;

    const databaseSecret = { name: HARBOR_SECRETS.db };
    this.database = new PostgresDatabase(this, 'database', {
      app: NAME, // harbor-postgres
      secret: databaseSecret,
      storageClass: props.databaseStorageClass,
      size: '10Gi', // the seed's db-pvc
      // core and jobservice each open their own connections (jobservice with core's settings)
      connections: context.connections,
      config,
      connectionPools: [
        { client: ep.core.name, pods: podsDuringRollout(CORE_REPLICAS), poolSize: DB_CONNECTIONS_PER_POD },
        { client: ep.jobservice.name, pods: podsDuringRollout(JOBSERVICE_REPLICAS), poolSize: DB_CONNECTIONS_PER_POD },
      ],
    });
    this.redis = new HarborRedis(this, 'redis', { endpoint: ep.redis, storageClass: props.storageClass, context });

    const oidc: HarborOidcSettings = {
      name: 'Keycloak',
      endpoint: config.identity.issuerUrl,
      clientId: config.identity.harborClientId,
      clientSecret: { name: HARBOR_SECRETS.oidc, key: 'clientSecret' },
      groupsClaim: config.identity.groupsClaim,
      adminGroup: config.identity.groups.admins,
    };
    this.core = new HarborCore(this, 'core', {
      endpoints: ep,
      redis: this.redis,
      database: HARBOR_ADDRESSES.database,
      databaseSecret,
      externalUrl: platformUrl(config.hosts.harbor),
      oidc,
      trustedCaSecret: PLATFORM_CA_SECRET,
      context,
      replicas: CORE_REPLICAS,
      maxOpenDbConnections: DB_CONNECTIONS_PER_POD,
    });
    this.portal = new HarborPortal(this, 'portal', { endpoint: ep.portal, context });
    this.registry = new HarborRegistry(this, 'registry', { endpoints: ep, redis: this.redis, storageClass: props.storageClass, context });
    this.jobservice = new HarborJobservice(this, 'jobservice', {
      endpoints: ep,
      redis: this.redis,
      replicas: JOBSERVICE_REPLICAS,
      storageClass: props.storageClass,
      context,
    });
    this.trivy = new HarborTrivy(this, 'trivy', { endpoints: ep, redis: this.redis, storageClass: props.storageClass, context });

    const toCore = (path: string) => ({ path, service: ep.core.service, port: ep.core.port('http').port });
    this.ingress = new PlatformIngress(this, 'ingress', {
      controller: config.ingress.controller,
      name: NAME,
      host: config.hosts.harbor,
      tlsSecretName: HARBOR_SECRETS.tls,
      routes: [
        toCore('/api/'),
        toCore('/service/'), // the token service docker and helm log in through
        toCore('/v2/'), // the registry API, proxied by core
        toCore('/c/'), // login, including the OIDC callback /c/oidc/callback
        { path: '/', service: ep.portal.service, port: ep.portal.port('http').port },
      ],
      // image layers have no useful upper bound; stream them instead of buffering on the controller
      traffic: { body: { maxMegabytes: 0, buffered: false }, idleTimeoutSeconds: 900 },
    });
  }
}
