/**
 * dist/architecture.dot: the resolved cluster drawn as the seed's architecture document draws it
 * (its system, network and ingress figures): the two load balancers with their listeners, the
 * masters and workers with their addresses and roles, the subnet, MetalLB's pools and the ingress
 * IP, and the platform services with their hosts. A value is written only where the configuration
 * fixes it; what the cloud assigns at `terraform apply` (every public IP, and the NLBs' VIPs on
 * kakaocloud) says so instead of showing a made-up address.
 */
import { ingressPlacement, PLATFORM, type ClusterNode, type LbListener, type LoadBalancer, type PlatformConfig } from '../config';
import type { IngressController } from '../config/tracks';
import { attributes, quoted, table, type DotAttributes } from './dot-syntax';
import { addressSpan, drawnNodes, MAX_NODES_DRAWN, type DrawnNodes } from './node-ranges';

/** How the drawing names each ingress controller's pods behind the ingress IP. */
const INGRESS_TITLES: Readonly<Record<IngressController, string>> = {
  'ingress-nginx': 'ingress-nginx controller',
  'envoy-gateway': 'Envoy Gateway proxies',
};

/** The diagram's source in dist. */
export const ARCHITECTURE_DOT = 'architecture.dot';

/** A platform service as the diagram draws it (the cli reads it from the services registry). */
export interface DiagramService {
  /** Folder and component name (`harbor`): the box's ID. */
  readonly name: string;
  /** Display name (`Harbor`). */
  readonly title: string;
  /** Its public hosts behind the ingress controller, fully qualified; none for an in-cluster service. */
  readonly hosts: readonly string[];
}

export interface ArchitectureDiagramProps {
  /** The platform services, in apply order. */
  readonly services: readonly DiagramService[];
  /** Every name that resolves to the worker LB's public IP (the apex domain, then every service host). */
  readonly hostnames: readonly string[];
  /** The dist file that lists every node's address: named where a range box cannot list them. */
  readonly inventoryFile: string;
  /**
   * Nodes of a role drawn one box each; a role with more is drawn as its first nodes, ranges and
   * its last node (diagram/node-ranges.ts). @default MAX_NODES_DRAWN (9)
   */
  readonly maxNodesDrawn?: number;
}

/** What the cloud assigns when `terraform apply` creates the resource. */
const AFTER_APPLY = '(after apply)';

const FONT = 'Helvetica';

/** DOT statements with their nesting, joined once at the end. */
class DotText {
  private readonly out: string[] = [];
  private depth = 0;

  public line(text: string): void {
    this.out.push(`${'  '.repeat(this.depth)}${text}`);
  }

  public node(id: string, attrs: DotAttributes): void {
    this.line(`${quoted(id)}${attributes(attrs)};`);
  }

  public edge(from: string, to: string, attrs: DotAttributes = {}): void {
    this.line(`${quoted(from)} -> ${quoted(to)}${attributes(attrs)};`);
  }

  /** A subgraph; a `cluster_` ID makes Graphviz draw it as a box with its label. */
  public group(id: string, attrs: DotAttributes, body: () => void): void {
    this.line(`subgraph ${quoted(id)} {`);
    this.depth++;
    if (Object.keys(attrs).length) this.line(`graph${attributes(attrs)};`);
    body();
    this.depth--;
    this.line('}');
  }

  public block(header: string, body: () => void): void {
    this.line(`${header} {`);
    this.depth++;
    body();
    this.depth--;
    this.line('}');
  }

  public toString(): string {
    return `${this.out.join('\n')}\n`;
  }
}

/** The table port of a drawn node or range: edges end at its row. */
function rowPort(d: DrawnNodes): string {
  return d.kind === 'node' ? d.node.name : `${d.nodes[0].name}..${d.nodes[d.nodes.length - 1].name}`;
}

function roleText(role: ClusterNode['role']): string {
  return role === 'master' ? 'control plane, etcd' : 'worker node';
}

/** A node's row: name, private IP, roles, flavor and disk, public IP. */
function nodeRow(node: ClusterNode, config: PlatformConfig): string[] {
  return [
    node.name,
    node.privateIp,
    [roleText(node.role), ...(node.nfsServer ? [`NFS server ${config.storage.nfsPath}`] : [])].join(', '),
    `${node.flavor}, ${node.volumeSize} GB`,
    node.publicIp ? `public IP ${AFTER_APPLY}` : 'no public IP',
  ];
}

/** A run's row: the same columns, for what the run shares or how it differs. */
function rangeRow(nodes: readonly ClusterNode[], inventoryFile: string): string[] {
  const first = nodes[0];
  const flavors = [...new Set(nodes.map((n) => `${n.flavor}, ${n.volumeSize} GB`))];
  const withIp = nodes.filter((n) => n.publicIp).length;
  return [
    `${first.name} to ${nodes[nodes.length - 1].name} (${nodes.length} ${first.role}s)`,
    addressSpan(nodes, inventoryFile),
    roleText(first.role),
    flavors.join('; '),
    withIp === nodes.length ? `public IPs ${AFTER_APPLY}` : withIp === 0 ? 'no public IPs' : `public IPs on ${withIp} ${AFTER_APPLY}`,
  ];
}

function listenerText(l: LbListener): string {
  const check = l.monitor.type === 'HTTPS' ? `HTTPS ${l.monitor.urlPath} ${l.monitor.expectedCodes}` : 'TCP';
  return `${l.name} ${l.port} -> ${l.targetPort} (check ${check})`;
}

function lbLines(lb: LoadBalancer, title: string): string[] {
  return [
    `${title} LB (NLB, L4)`,
    `VIP ${lb.vip ?? `assigned by the NLB ${AFTER_APPLY}`}`,
    lb.publicIp ? `public IP ${AFTER_APPLY}` : 'no public IP',
    ...lb.listeners.map(listenerText),
  ];
}

/** Target ports of a load balancer's listeners, as an edge label. */
function targetPorts(lb: LoadBalancer): string {
  return [...new Set(lb.listeners.map((l) => l.targetPort))].join(', ');
}

/** The DOT source of the cluster's architecture diagram. */
export function architectureDot(config: PlatformConfig, props: ArchitectureDiagramProps): string {
  const max = props.maxNodesDrawn ?? MAX_NODES_DRAWN;
  const { masters, workers } = config.nodes;
  const lbs = config.loadBalancers;
  const drawn = { master: drawnNodes(masters.nodes, max), worker: drawnNodes(workers.nodes, max) };
  const metallb = PLATFORM.metallb;
  const d = new DotText();

  d.block('digraph architecture', () => {
    d.line(`graph${attributes({
      label: [
        `${config.name}: K-PaaS ${config.versions.kpaas}, Kubernetes ${config.versions.kubernetes}, ${config.cloud.provider} ${config.cloud.availabilityZone}`,
        `${AFTER_APPLY}: assigned by the cloud at terraform apply (terraform output, kpaas connect)`,
      ],
      labelloc: 't',
      rankdir: 'LR',
      newrank: 'true',
      nodesep: 0.3,
      ranksep: 0.7,
      fontname: FONT,
      fontsize: 14,
    })};`);
    // subgraphs take the graph's attributes: their labels a size smaller than the title
    const groupFont = { fontsize: 12 } as const;
    // wider margins than Graphviz's: viewers draw with their own fonts, often wider than its metrics
    d.line(`node${attributes({ shape: 'box', style: 'rounded', fontname: FONT, fontsize: 10, margin: '0.2,0.06' })};`);
    d.line(`edge${attributes({ fontname: FONT, fontsize: 9 })};`);

    d.node('internet', { label: ['Internet', 'users, kubectl'], shape: 'ellipse' });
    // without a public IP, the names can only point at the VIP, from inside the VPC
    const address = (lb: LoadBalancer, title: string) => `${title} LB ${lb.publicIp ? 'public IP' : 'VIP'}`;
    d.node('dns', {
      label: ['DNS (you add it)', ...props.hostnames.map((h) => `${h} -> ${address(lbs.worker, 'worker')}`), `${PLATFORM.apiEndpointName} -> ${address(lbs.master, 'master')}`],
      shape: 'note',
    });

    const vpc = config.network.vpc;
    const subnet = config.network.subnet;
    d.group('cluster_vpc', { label: `VPC ${vpc.name} ${vpc.cidr}`, labeljust: 'l', style: 'dashed', ...groupFont }, () => {
      d.group('cluster_subnet', { label: `subnet ${subnet.name} ${subnet.cidr}`, labeljust: 'l', style: 'rounded', ...groupFont }, () => {
        d.node('lb:master', { label: lbLines(lbs.master, 'master') });
        d.node('lb:worker', { label: lbLines(lbs.worker, 'worker') });
        for (const [role, group] of [['master', masters], ['worker', workers]] as const) {
          const rows = drawn[role].map((box) => ({ port: rowPort(box), cells: box.kind === 'node' ? nodeRow(box.node, config) : rangeRow(box.nodes, props.inventoryFile) }));
          d.node(`${role}s`, { shape: 'plain', label: table(`${role}s (${group.nodes.length}): ${roleText(role)}`, rows) });
        }
        d.node('metallb', {
          label: ['MetalLB, layer 2', `${metallb.defaultPool}: ${[config.metallb.pool, ...config.metallb.extraRanges].join(', ')}`, `${ingressPlacement(config).pool}: ${config.ingress.ip}`],
        });
        d.node('ingress', {
          label: [`${INGRESS_TITLES[config.ingress.controller]}`, `${config.ingress.ip} (MetalLB)`, `NodePorts ${config.ingress.httpNodePort} http, ${config.ingress.httpsNodePort} https`],
        });
      });
    });

    d.node('k8s-networks', {
      label: ['Kubernetes networks', `services ${config.network.serviceCidr}`, `pods ${config.network.podCidr}`, `CoreDNS ${config.network.clusterDnsIp}`],
      shape: 'note',
    });

    const nfs = config.storage;
    d.node('services', {
      shape: 'plain',
      label: table(
        `platform services: behind ${config.ingress.controller}, volumes on NFS ${nfs.nfsServer.name}:${nfs.nfsPath}`,
        props.services.map((s) => ({ port: s.name, cells: [s.title, s.hosts.length ? s.hosts.join(', ') : 'no public host'] })),
      ),
    });

    // traffic: internet -> LBs -> nodes -> ingress -> services
    for (const [role, lb] of [['master', lbs.master], ['worker', lbs.worker]] as const) {
      if (lb.publicIp) d.edge('internet', `lb:${role}`, { label: lb.listeners.map((l) => l.port).join(', ') });
      const members = new Set(lb.members.map((n) => n.name));
      for (const box of drawn[role]) {
        const nodes = box.kind === 'node' ? [box.node] : box.nodes;
        if (nodes.some((n) => members.has(n.name))) d.edge(`lb:${role}`, `${role}s`, { headport: rowPort(box), label: targetPorts(lb) });
      }
    }
    d.edge('workers', 'ingress', { label: 'NodePorts' });
    d.edge('metallb', 'ingress', { label: 'assigns', style: 'dashed' });
    for (const s of props.services) if (s.hosts.length) d.edge('ingress', 'services', { headport: s.name });
  });
  return d.toString();
}
