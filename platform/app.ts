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
import type { PlatformService } from '../constructs/platform-service';
import { NamespacesChart } from './namespaces-chart';
import { platformConnections } from './registry';

/** The kustomization renderManifests writes beside the manifests, listing them in apply order. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** File name (without `.yaml`) of the namespaces chart: applied before every service. */
export const NAMESPACES_MANIFEST = '00-namespaces';

/**
 * Adds the namespaces chart and every service's chart to a cdk8s app, in apply order (namespaces
 * first, then the services as listed).
 */
export function addCharts(app: App, config: PlatformConfig, services: readonly PlatformService[]): void {
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
    const names = fs.readdirSync(tmp).filter((f) => f.endsWith('.yaml')).sort();
    for (const name of names) files.set(name, fs.readFileSync(path.join(tmp, name), 'utf8'));
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
