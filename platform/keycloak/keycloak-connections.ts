import { KEYCLOAK_TAG } from '../../config/contracts/keycloak-env';
import { appLabels, Connection, INGRESS, Peer, podsPeer } from '../../config/contracts/connections';
import { PORTAL_DATABASE_ENDPOINT, PORTAL_MARIADB_PEER } from '../portal/portal-names';
import { KEYCLOAK_ENDPOINTS, KEYCLOAK_JGROUPS_PORTS, KEYCLOAK_NAMESPACE } from './keycloak-names';

const KEYCLOAK_OFFLINE = 'the keycloak/keycloak repository (870 MB) cannot be fetched here; the fact is from Keycloak\'s documented behaviour, not read in its source';

/** Keycloak's server pods. */
export const KEYCLOAK_SERVER_PEER: Peer = podsPeer(KEYCLOAK_NAMESPACE, appLabels('keycloak', 'server'));

const HTTP_PORT = KEYCLOAK_ENDPOINTS.server.port('http').targetPort;
const MARIADB_PORT = PORTAL_DATABASE_ENDPOINT.port('mysql').targetPort;

/** The connections Keycloak makes and is reached by. */
export const KEYCLOAK_CONNECTIONS: readonly Connection[] = [
  {
    component: 'keycloak', name: 'ingress -> keycloak', from: INGRESS, to: KEYCLOAK_SERVER_PEER, port: HTTP_PORT, protocol: 'TCP',
    why: 'browsers, the portal and Harbor (OIDC) reach Keycloak through the ingress; TLS ends at the controller',
    opens: { unverified: 'the ingress controller proxies to the Service\'s backends (our Ingress, platform/keycloak/keycloak-chart.ts); no upstream program decides it' },
  },
  {
    component: 'keycloak', name: `keycloak -> ${PORTAL_DATABASE_ENDPOINT.name}`, from: KEYCLOAK_SERVER_PEER, to: PORTAL_MARIADB_PEER, port: MARIADB_PORT, protocol: 'TCP',
    why: 'Keycloak\'s store (KC_DB=mariadb, KC_DB_URL): database `keycloak` on the CP-Portal\'s MariaDB, where the portal\'s common-api reads USER_ENTITY (its spring.datasource.keycloak), as K-PaaS runs it',
    opens: {
      unverified: KEYCLOAK_OFFLINE,
      see: { repo: 'K-PaaS/cp-portal-common-api', ref: '9bd529acad8d1ee101b25ce71179c4430f516fe6', path: 'src/main/resources/application.yml', note: 'spring.datasource.keycloak.jdbc-url: jdbc:mysql://${DATABASE_URL}/${KEYCLOAK_DB_SCHEMA} (line 18): Keycloak\'s tables on the portal\'s server' },
    },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak (jgroups)', from: KEYCLOAK_SERVER_PEER, to: KEYCLOAK_SERVER_PEER, port: KEYCLOAK_JGROUPS_PORTS.transport, protocol: 'TCP',
    why: 'the embedded Infinispan caches: JGroups TCP transport between replicas (jdbc-ping discovery through the database)',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'keycloak/keycloak', ref: KEYCLOAK_TAG, path: 'quarkus/config-api/src/main/java/org/keycloak/config/CachingOptions.java' } },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak (jgroups failure detection)', from: KEYCLOAK_SERVER_PEER, to: KEYCLOAK_SERVER_PEER, port: KEYCLOAK_JGROUPS_PORTS.failureDetection, protocol: 'TCP',
    why: 'JGroups FD_SOCK2 failure detection: the transport port plus its offset of 50000',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'belaban/JGroups', ref: '5.3', path: 'src/org/jgroups/protocols/FD_SOCK2.java', note: 'offset = 50000' } },
  },
];
