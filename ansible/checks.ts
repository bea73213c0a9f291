/**
 * What the renderer needs from a config beyond what the loader checks. Each failure is one line
 * naming the config field and the value.
 */
import type { LbListener, PlatformConfig } from '../config';

/** Port of the Kubernetes API: the master LB must forward it for kubespray's external LB setup. */
export const API_SERVER_PORT = 6443;

/** The master LB listener that carries the Kubernetes API. */
export function apiListener(config: PlatformConfig): LbListener {
  const listener = config.loadBalancers.master.listeners.find((l) => l.name === 'api');
  if (!listener) {
    const ports = config.loadBalancers.master.listeners.map((l) => l.port).join(', ');
    throw new Error(
      `loadBalancers.master.ports: [${ports}] has no ${API_SERVER_PORT} listener; kubespray's external API load balancer needs the master LB to forward the Kubernetes API port ${API_SERVER_PORT}`,
    );
  }
  return listener;
}

/** Kubernetes version as kubespray v2.28 wants it: without the leading "v" (its preinstall checks stop on one). */
export function kubesprayKubeVersion(config: PlatformConfig): string {
  const m = /^v?(\d+\.\d+\.\d+)$/.exec(config.versions.kubernetes);
  if (!m) throw new Error(`versions.kubernetes: ${JSON.stringify(config.versions.kubernetes)} is not a version of the form vMAJOR.MINOR.PATCH`);
  return m[1];
}

/** The exported NFS directory, refusing exports that would share the whole system. */
export function nfsExportPath(config: PlatformConfig): string {
  const p = config.storage.nfsPath;
  const segments = p.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s === '.' || s === '..')) {
    throw new Error(`storage.nfsPath: ${JSON.stringify(p)} would export the root file system or leave it through "..": name a dedicated directory such as "/data"`);
  }
  const system = ['bin', 'boot', 'dev', 'etc', 'lib', 'lib64', 'proc', 'root', 'run', 'sbin', 'sys', 'usr', 'var'];
  if (segments.length === 1 && system.includes(segments[0])) {
    throw new Error(`storage.nfsPath: ${JSON.stringify(p)} is a system directory; export a dedicated directory such as "/data"`);
  }
  return `/${segments.join('/')}`;
}
