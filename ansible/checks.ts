/**
 * What the renderer reads from the config in kubespray's terms. The loader has validated all of it
 * (config/resolve.ts): these only translate.
 */
import { type LbListener, PLATFORM, type PlatformConfig } from '../config';

/** Port of the Kubernetes API: the master LB forwards it for kubespray's external LB setup. */
export const API_SERVER_PORT = PLATFORM.apiServerPort;

/** The master LB listener that carries the Kubernetes API (the loader requires one). */
export function apiListener(config: PlatformConfig): LbListener {
  return config.loadBalancers.master.listeners.find((l) => l.port === API_SERVER_PORT) as LbListener;
}

/** Kubernetes version as kubespray v2.28 wants it: without the leading "v" (its preinstall checks stop on one). */
export function kubesprayKubeVersion(config: PlatformConfig): string {
  return config.versions.kubernetes.replace(/^v/, '');
}

/** The exported NFS directory (normalized and checked by the loader). */
export function nfsExportPath(config: PlatformConfig): string {
  return config.storage.nfsPath;
}
