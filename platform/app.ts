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
import { ChartmuseumChart } from './chartmuseum/chartmuseum-chart';
import { HarborChart } from './harbor/harbor-chart';
import { KeycloakChart } from './keycloak/keycloak-chart';
import { MetallbChart } from './metallb/metallb-chart';
import { NamespacesChart } from './namespaces-chart';
import { NfsStorageChart } from './nfs-storage/nfs-storage-chart';
import { OpenbaoChart } from './openbao/openbao-chart';
import { PortalChart } from './portal/portal-chart';

/** The platform's charts, each built from the config and the charts before it. */
export interface PlatformCharts {
  readonly namespaces: NamespacesChart;
  readonly metallb: MetallbChart;
  readonly storage: NfsStorageChart;
  readonly keycloak: KeycloakChart;
  readonly openbao: OpenbaoChart;
  readonly harbor: HarborChart;
  readonly chartmuseum: ChartmuseumChart;
  readonly portal: PortalChart;
}

/** Adds every chart to a cdk8s app, in apply order (namespaces and CRD-backed config first). */
export function addCharts(app: App, config: PlatformConfig): PlatformCharts {
  const namespaces = new NamespacesChart(app, '00-namespaces', { config });
  const metallb = new MetallbChart(app, '10-metallb', { config });
  const storage = new NfsStorageChart(app, '20-nfs-storage', { config });
  const keycloak = new KeycloakChart(app, '30-keycloak', { config, databaseStorageClass: storage.retainClass });
  const openbao = new OpenbaoChart(app, '40-openbao', { config, dataStorageClass: storage.retainClass });
  const harbor = new HarborChart(app, '50-harbor', { config, storageClass: storage.sharedClass, databaseStorageClass: storage.retainClass });
  const chartmuseum = new ChartmuseumChart(app, '60-chartmuseum', { config, storageClass: storage.sharedClass });
  const portal = new PortalChart(app, '70-portal', { config, databaseStorageClass: storage.retainClass });
  return { namespaces, metallb, storage, keycloak, openbao, harbor, chartmuseum, portal };
}

/**
 * Synthesizes the manifests into memory: file name (relative to dist/manifests) to YAML, plus the
 * kustomization.yaml that lists them, for `kubectl apply -k`, Argo CD and Flux.
 */
export function renderManifests(config: PlatformConfig): Map<string, string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-cdk8s-'));
  try {
    const app = new App({ outdir: tmp, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    addCharts(app, config);
    app.synth();
    const files = new Map<string, string>();
    const names = fs.readdirSync(tmp).filter((f) => f.endsWith('.yaml')).sort();
    for (const name of names) files.set(name, fs.readFileSync(path.join(tmp, name), 'utf8'));
    files.set('kustomization.yaml', stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: names,
    }));
    return files;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
