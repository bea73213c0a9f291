/**
 * What the platform's stateful constructs share: the per-pod data volume (the databases' on the
 * Retain class), their NetworkPolicy, and the number of connections a database must
 * accept, derived from its clients' pools.
 */
import type { PlatformConfig } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import type { StorageClassRef } from './storage-class-ref';
import { KubePersistentVolumeClaimProps, Quantity } from '../../imports/k8s';
import type { WorkloadPolicy } from './platform-workload';

/** The `data` claim template of a StatefulSet: one ReadWriteOnce volume per pod. */
export function dataVolumeClaim(storageClass: StorageClassRef, size: string, labels?: Record<string, string>): KubePersistentVolumeClaimProps {
  return {
    metadata: { name: 'data', ...(labels ? { labels } : {}) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storageClass.name,
      resources: { requests: { storage: Quantity.fromString(size) } },
    },
  };
}

/** Who may connect to a database server: the declared connections. */
export interface DatabaseAccess {
  /**
   * Every connection of every service (the ServiceChartContext's): the server admits those made to
   * its pods, OpenBao's among them where the owning service hands it the database.
   */
  readonly connections: readonly Connection[];
  /** The configuration the connections' peers resolve against. */
  readonly config: PlatformConfig;
}

/** The server's NetworkPolicy: derived from the connections made to it; a server opens none. */
export function databasePolicy(access: DatabaseAccess): WorkloadPolicy {
  return { connections: access.connections, config: access.config };
}


/** One client program's share of a database's connections. */
export interface DatabaseClientPool {
  /** Who holds the connections (for messages), e.g. `harbor-core`. */
  readonly client: string;
  /** Pods of the client that may run at once: its replicas plus a rolling update's surge (podsDuringRollout). */
  readonly pods: number;
  /** Connections one pod opens at most: the maximum of its connection pool. */
  readonly poolSize: number;
}

/**
 * Connections a PostgreSQL server keeps beyond its clients' pools. Each is a count of its own, so
 * a test can name what the headroom is for.
 */
export const POSTGRES_CONNECTION_RESERVE = {
  /**
   * PostgreSQL's superuser_reserved_connections default: slots only superusers may take. The
   * official image's POSTGRES_USER is a superuser, but the users OpenBao issues are not.
   */
  superuser: 3,
  /**
   * OpenBao's database secrets engine: its connection pool defaults to 4 per configured
   * connection (openbao/openbao v2.6.2 sdk/database/helper/connutil/sql.go, MaxOpenConnections),
   * and only the active server holds it.
   */
  openbao: 4,
  /** An operator's psql, the readiness and liveness probes' pg_isready, a schema migration at start. */
  maintenance: 5,
} as const;

/** The reserve's total. */
export function reservedConnections(reserve: Readonly<Record<string, number>> = POSTGRES_CONNECTION_RESERVE): number {
  return Object.values(reserve).reduce((a, b) => a + b, 0);
}

/**
 * Pods of a Deployment that may run at once during a rolling update with the default strategy:
 * replicas plus maxSurge 25% rounded up (Kubernetes' DeploymentStrategy defaults). Old pods hold
 * their connections until they are gone, so the database must take both generations.
 */
export function podsDuringRollout(replicas: number): number {
  return replicas + Math.ceil(replicas * 0.25);
}

/** What a server's connection limit is derived from: its clients' pools and a reserve beyond them. */
export interface DatabaseConnectionBudget {
  /** The connection pools of the programs that connect, all of them at once. */
  readonly pools: readonly DatabaseClientPool[];
  /** Connections kept beyond the pools, each a named count (reservedConnections sums them). */
  readonly reserve: Readonly<Record<string, number>>;
}

/**
 * A server's connection limit, for any engine: every client pod's full pool at once, plus the
 * reserve. The one place the number is derived; the database constructs pass it to their servers,
 * tests check the sum.
 */
export function databaseMaxConnections(budget: DatabaseConnectionBudget): number {
  for (const p of budget.pools) {
    if (!Number.isInteger(p.pods) || p.pods < 1) throw new Error(`database client ${p.client}: pods must be a positive integer, got ${p.pods}`);
    if (!Number.isInteger(p.poolSize) || p.poolSize < 1) throw new Error(`database client ${p.client}: poolSize must be a positive integer (a bounded pool), got ${p.poolSize}`);
  }
  return budget.pools.reduce((sum, p) => sum + p.pods * p.poolSize, 0) + reservedConnections(budget.reserve);
}

/** A PostgreSQL server's max_connections: databaseMaxConnections with PostgreSQL's reserve by default. */
export function postgresMaxConnections(
  pools: readonly DatabaseClientPool[],
  reserve: Readonly<Record<string, number>> = POSTGRES_CONNECTION_RESERVE,
): number {
  return databaseMaxConnections({ pools, reserve });
}
