/**
 * docs/platform-services.md, generated: every platform service with its host, namespace, storage
 * and how to reach it, and the DNS entries a user adds. Storage is read from the synthesized
 * manifests themselves (claim templates and claims), so the table cannot drift from dist.
 */
import { App } from 'cdk8s';
import { ingressPlacement, PLATFORM, PlatformConfig } from '../config';
import type { PlatformService } from '../constructs/platform-service';
import { addCharts } from './app';
import { activeServices, platformHostnames } from './registry';

interface ClaimSpec {
  readonly accessModes?: string[];
  readonly storageClassName?: string;
  readonly resources?: { readonly requests?: { readonly storage?: string } };
}

interface ManifestObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly replicas?: number;
    readonly volumeClaimTemplates?: ReadonlyArray<{ readonly metadata: { readonly name: string }; readonly spec: ClaimSpec }>;
  } & ClaimSpec;
}

const ACCESS: Readonly<Record<string, string>> = { ReadWriteOnce: 'RWO', ReadWriteMany: 'RWX', ReadOnlyMany: 'ROX', ReadWriteOncePod: 'RWOP' };

/** The persistent storage of each namespace, one line per claim or claim template. */
export function platformStorage(config: PlatformConfig, services: readonly PlatformService[]): Map<string, string[]> {
  const app = new App();
  addCharts(app, config, services);
  const objects = app.charts.flatMap((c) => c.toJson() as ManifestObject[]);
  const out = new Map<string, string[]>();
  const put = (ns: string | undefined, line: string) => out.set(ns ?? '', [...(out.get(ns ?? '') ?? []), line]);
  const describe = (s: ClaimSpec) =>
    `${s.resources?.requests?.storage ?? '?'} ${(s.accessModes ?? []).map((m) => ACCESS[m] ?? m).join('/')} on \`${s.storageClassName ?? 'the default class'}\``;
  for (const o of objects) {
    if (o.kind === 'StatefulSet') {
      const replicas = o.spec?.replicas ?? 1;
      for (const t of o.spec?.volumeClaimTemplates ?? []) {
        put(o.metadata.namespace, `${replicas > 1 ? `${replicas} × ` : ''}${describe(t.spec)} (\`${t.metadata.name}-${o.metadata.name}-N\`)`);
      }
    } else if (o.kind === 'PersistentVolumeClaim' && o.spec) {
      put(o.metadata.namespace, `${describe(o.spec)} (\`${o.metadata.name}\`)`);
    }
  }
  return out;
}

/** The markdown of docs/platform-services.md for a configuration. */
export function platformServicesMarkdown(config: PlatformConfig, all: readonly PlatformService[]): string {
  const services = activeServices(all, config);
  const storage = platformStorage(config, services);
  const h = config.hosts;
  const rows: string[][] = services.map((s) => {
    const hosts = s.hosts(config);
    const ns = s.namespace?.name ?? s.externalNamespace ?? '—';
    const stored = s.storage?.(config) ?? ((s.namespace ? storage.get(s.namespace.name) ?? [] : []).join('<br>') || 'none');
    const reach = s.reach?.(config) ?? hosts.map((x) => x.reach).join('; ');
    return [s.title, hosts.map((x) => x.name).join(', ') || '—', ns, stored, reach];
  });
  const table = [
    '| service | host | namespace | storage | how to reach it |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];

  const names = platformHostnames(services, config);
  const hostsLines = [
    ...names.map((n) => `<worker LB public IP>  ${n}`),
    `<master LB public IP>  ${PLATFORM.apiEndpointName}`,
  ];

  return [
    '# Platform services',
    '',
    '<!-- Generated from platform/services-table.ts by `npm run docs` for the default configuration; do not edit by hand. -->',
    '',
    `Every service is behind the ingress controller: the worker load balancer (public IP, ports ${config.loadBalancers.worker.listeners.map((l) => l.port).join(' and ')}) forwards to the NodePorts ${config.ingress.httpNodePort} and ${config.ingress.httpsNodePort} on every worker, and HTTP is redirected to HTTPS. Certificates come from the platform CA (\`kpaas secrets\`); trust its \`ca.crt\` in your browser and tools.`,
    '',
    ...table,
    '',
    'Storage sizes are the claims the manifests make (`N` numbers the replicas of a StatefulSet); RWO is ReadWriteOnce, RWX ReadWriteMany.',
    '',
    '## DNS entries',
    '',
    `Add these to \`/etc/hosts\` (or to your DNS server) on every machine that uses the platform. The worker LB's public IP is \`public_ip\` of \`terraform output worker_lb\`, the master LB's that of \`terraform output master_lb\`:`,
    '',
    '```',
    ...hostsLines,
    '```',
    '',
    '## Inside the cluster',
    '',
    `Pods reach the platform by the same public names: the portal and Harbor log in through Keycloak at \`${h.keycloak}\`, whose tokens name that host as their issuer, so an in-cluster alias would not do. kubespray gives CoreDNS and the node-local DNS cache a hosts file (\`dns_etchosts\` in \`dist/ansible/inventory/group_vars/k8s_cluster/k8s-cluster.yml\`) that answers these names with the ingress IP \`${config.ingress.ip}\`; other names fall through to the normal lookup. Without it each pod would need host aliases, or every node an \`/etc/hosts\` entry that pods do not read. Traffic to the ingress IP is forwarded to the ingress controller's pods, so a NetworkPolicy allows it as egress to the \`${ingressPlacement(config).namespace}\` namespace. The nodes themselves get the same names in \`/etc/hosts\` from the node preparation playbook, for image pulls from Harbor.`,
    '',
  ].join('\n');
}

const README_BEGIN = '<!-- platform-services:begin (generated by `npm run docs` from platform/services-table.ts) -->';
const README_END = '<!-- platform-services:end -->';

/**
 * The README with its platform-services section (between the markers) replaced by the generated
 * table and DNS entries, one heading level down.
 */
export function withReadmeServices(readme: string, config: PlatformConfig, services: readonly PlatformService[]): string {
  const start = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error('README.md has no platform-services markers');
  const body = platformServicesMarkdown(config, services)
    .split('\n')
    .filter((line) => !line.startsWith('# ') && !line.startsWith('<!--'))
    .map((line) => (line.startsWith('#') ? `#${line}` : line))
    .join('\n')
    .trim();
  return `${readme.slice(0, start + README_BEGIN.length)}\n${body}\n${readme.slice(end)}`;
}
