import type { PlatformService } from '../constructs/platform-service';
import { CHARTMUSEUM } from './chartmuseum';
import { ENVOY_GATEWAY } from './envoy-gateway';
import { HARBOR } from './harbor';
import { KEYCLOAK } from './keycloak';
import { METALLB } from './metallb';
import { NFS_STORAGE } from './nfs-storage';
import { OPENBAO } from './openbao';
import { PORTAL } from './portal';

export * from './app';
export * from './namespaces-chart';
export * from './registry';
export * from './services-table';

/**
 * The platform services, in apply order: adding a service is a folder and a line here. A service
 * whose `enabled` says no for a configuration is left out of every output (activeServices).
 */
export const PLATFORM_SERVICES: readonly PlatformService[] = [
  METALLB,
  ENVOY_GATEWAY,
  NFS_STORAGE,
  KEYCLOAK,
  OPENBAO,
  HARBOR,
  CHARTMUSEUM,
  PORTAL,
];
