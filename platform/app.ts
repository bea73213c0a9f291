/**
 * The cdk8s app of dist/manifests: one chart per platform component, created in apply order.
 * The chart id is the file name, so the order is visible in the folder listing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { stringify } from 'yaml';
import type { PlatformConfig } from '../config';
import { NAMESPACES_MANIFEST } from '../config/platform';
import type { PlatformService } from '../constructs/platform-service';
import { NamespacesChart } from './namespaces-chart';
import { activeServices, platformConnections } from './registry';

/** The kustomization renderManifests writes beside the manifests, listing them in apply order. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

export { NAMESPACES_MANIFEST };

/**
 * Adds the namespaces chart and every service's chart to a cdk8s app, in apply order (namespaces
 * first, then the services as listed).
 */
export function addCharts(app: App, config: PlatformConfig, all: readonly PlatformService[]): void {
  const services = activeServices(all, config);
  const manifests = services.map((s) => s.manifest);
  const repeated = manifests.find((m, i) => manifests.indexOf(m) !== i || m === NAMESPACES_MANIFEST);
  if (repeated) throw new Error(`platform services: manifest ${repeated} is used twice`);
  new NamespacesChart(app, NAMESPACES_MANIFEST, { config, services });
  const context = { config, connections: platformConnections(services, config), services };
  for (const service of services) service.chart(app, context);
}

/**
 * Synthesizes the manifests into memory: file name (relative to dist/manifests) to YAML, plus the
 * kustomization.yaml that lists them, for `kubectl apply -k`, Argo CD and Flux.
 */
export function renderManifests(config: PlatformConfig, services: readonly PlatformService[]): Map<string, string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-cdk8s-'));
  try {
    const app = new App({ outdir: tmp, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    addCharts(app, config, services);
    app.synth();
    const files = new Map<string, string>();
    for (const name of fs.readdirSync(tmp).filter((f) => f.endsWith('.yaml'))) files.set(name, fs.readFileSync(path.join(tmp, name), 'utf8'));
    // pinned upstream files (CRDs), unchanged; their paths sort before the manifests that use them
    for (const s of activeServices(services, config)) {
      for (const [name, text] of s.files?.(config) ?? []) {
        if (files.has(name)) throw new Error(`platform service ${s.name}: file ${name} is written twice`);
        files.set(name, text);
      }
    }
    const names = [...files.keys()].sort();
    const sorted = new Map(names.map((n) => [n, files.get(n) as string]));
    files.clear();
    for (const [n, t] of sorted) files.set(n, t);
    files.set(KUSTOMIZATION_FILE, stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: names,
    }));
    return files;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
