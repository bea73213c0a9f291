/**
 * What the consumers of the registry read from it: every function takes the list of services, so a
 * test can register one more and find it everywhere.
 */
import { PLATFORM, type PlatformConfig } from '../config';
import { type Connection, namespaceConnections } from '../config/contracts/connections';
import type { OpenbaoRequests, PlatformService, ServiceNamespace } from '../constructs/platform-service';
import type { SecretCatalog } from '../constructs/secret-spec';
import { openbaoClientConnections } from './openbao/openbao-connections';

/** The services a configuration runs, in apply order (each one's `enabled`). */
export function activeServices(services: readonly PlatformService[], config: PlatformConfig): PlatformService[] {
  return services.filter((s) => s.enabled?.(config) ?? true);
}

/** The namespaces the services create, in apply order. */
export function serviceNamespaces(services: readonly PlatformService[]): ServiceNamespace[] {
  const out = services.flatMap((s) => (s.namespace ? [s.namespace] : []));
  const names = out.map((n) => n.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new Error(`platform services: namespace ${repeated} is declared by two services`);
  return out;
}

/**
 * Every connection of the platform: each namespace's own (name resolution, the OpenBao client
 * path), then each service's.
 */
export function platformConnections(all: readonly PlatformService[], config: PlatformConfig): Connection[] {
  const services = activeServices(all, config);
  return [
    ...serviceNamespaces(services).flatMap((ns) => namespaceConnections(ns.name)),
    ...services.flatMap((s) => s.connections(config)),
    // the OpenBao client path of the namespaces that provide the client account (not Envoy Gateway's)
    ...services.filter((s) => s.namespace && (s.openbao?.boundServiceAccounts ?? []).includes(PLATFORM.openbao.clientServiceAccount))
      .flatMap((s) => openbaoClientConnections(s.namespace!.name)),
  ];
}

/** The names nodes and pods must resolve to the ingress IP: the apex domain, then every service host. */
export function platformHostnames(services: readonly PlatformService[], config: PlatformConfig): string[] {
  return [config.hosts.apex, ...activeServices(services, config).flatMap((s) => s.hosts(config).map((h) => h.name))];
}

/** The certificates and Secrets `kpaas secrets` makes, service by service. */
export function servicesSecretCatalog(services: readonly PlatformService[], config: PlatformConfig): SecretCatalog {
  const parts = activeServices(services, config).map((s) => s.secrets(config));
  return { certificates: parts.flatMap((p) => p.certificates), secrets: parts.flatMap((p) => p.secrets) };
}

export function openbaoRequests(services: readonly PlatformService[]): OpenbaoRequests {
  const bound = new Map<string, readonly string[]>();
  for (const s of services) {
    const accounts = s.openbao?.boundServiceAccounts ?? [];
    if (accounts.length === 0) continue;
    if (!s.namespace) throw new Error(`platform service ${s.name}: binds OpenBao accounts but declares no namespace`);
    bound.set(s.namespace.name, accounts);
  }
  return {
    boundServiceAccounts: bound,
    databases: services.flatMap((s) => s.openbao?.databases ?? []),
    appRoles: services.flatMap((s) => s.openbao?.appRoles ?? []),
  };
}
