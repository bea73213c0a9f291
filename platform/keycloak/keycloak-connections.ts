import { appLabels, Connection, INGRESS, Peer, podsPeer } from '../../config/contracts/connections';
import type { UpstreamFile } from '../../config/contracts/images';
import { OPENBAO_SERVER_PEER } from '../openbao/openbao-connections';
import { postgresSelector } from '../../constructs/k8s/postgres-database';
import { KEYCLOAK_ENDPOINTS, KEYCLOAK_JGROUPS_PORTS, KEYCLOAK_NAMESPACE } from './keycloak-names';

const KEYCLOAK_OFFLINE = 'the keycloak/keycloak repository (870 MB) cannot be fetched here; the fact is from Keycloak\'s documented behaviour, not read in its source';
const openbaoSrc = (path: string, note?: string): UpstreamFile => ({ repo: 'openbao/openbao', ref: 'v2.6.2', path, ...(note ? { note } : {}) });

/** Keycloak's server pods. */
export const KEYCLOAK_SERVER_PEER: Peer = podsPeer(KEYCLOAK_NAMESPACE, appLabels('keycloak', 'server'));
/** Its PostgreSQL server's pods. */
export const KEYCLOAK_POSTGRES_PEER: Peer = podsPeer(KEYCLOAK_NAMESPACE, postgresSelector('keycloak'));

const HTTP_PORT = KEYCLOAK_ENDPOINTS.server.port('http').targetPort;
const POSTGRES_PORT = KEYCLOAK_ENDPOINTS.database.port('postgres').targetPort;

/** The connections Keycloak makes and is reached by; OpenBao's to its database, which Keycloak hands to OpenBao's database engine. */
export const KEYCLOAK_CONNECTIONS: readonly Connection[] = [
  {
    component: 'keycloak', name: 'ingress -> keycloak', from: INGRESS, to: KEYCLOAK_SERVER_PEER, port: HTTP_PORT, protocol: 'TCP',
    why: 'browsers, the portal and Harbor (OIDC) reach Keycloak through the ingress; TLS ends at the controller',
    opens: { unverified: 'the ingress controller proxies to the Service\'s backends (our Ingress, platform/keycloak/keycloak-chart.ts); no upstream program decides it' },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak-postgres', from: KEYCLOAK_SERVER_PEER, to: KEYCLOAK_POSTGRES_PEER, port: POSTGRES_PORT, protocol: 'TCP',
    why: 'Keycloak\'s store (KC_DB_URL)',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'keycloak/keycloak', ref: '26.4.2', path: 'quarkus/config-api/src/main/java/org/keycloak/config/DatabaseOptions.java' } },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak (jgroups)', from: KEYCLOAK_SERVER_PEER, to: KEYCLOAK_SERVER_PEER, port: KEYCLOAK_JGROUPS_PORTS.transport, protocol: 'TCP',
    why: 'the embedded Infinispan caches: JGroups TCP transport between replicas (jdbc-ping discovery through the database)',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'keycloak/keycloak', ref: '26.4.2', path: 'quarkus/config-api/src/main/java/org/keycloak/config/CachingOptions.java' } },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak (jgroups failure detection)', from: KEYCLOAK_SERVER_PEER, to: KEYCLOAK_SERVER_PEER, port: KEYCLOAK_JGROUPS_PORTS.failureDetection, protocol: 'TCP',
    why: 'JGroups FD_SOCK2 failure detection: the transport port plus its offset of 50000',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'belaban/JGroups', ref: '5.3', path: 'src/org/jgroups/protocols/FD_SOCK2.java', note: 'offset = 50000' } },
  },
  {
    component: 'keycloak', name: 'openbao -> keycloak-postgres', from: OPENBAO_SERVER_PEER, to: KEYCLOAK_POSTGRES_PEER, port: POSTGRES_PORT, protocol: 'TCP',
    why: 'database secrets engine: connection `keycloak` of the OpenBao config stack (stacks/openbao-config-stack.ts)',
    opens: openbaoSrc('plugins/database/postgresql/postgresql.go'),
  },
];
