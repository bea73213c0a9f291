import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IntOrString, KubeService, NetworkPolicyPeer, NetworkPolicyPort } from '../../imports/k8s';
import { podsIn, podsWith, tcp } from './network-peers';

/** One port of a Service. */
export interface EndpointPort {
  /** Port name, also the container port's name. */
  readonly name: string;
  /** Port of the Service. */
  readonly port: number;
  /** Port the container listens on. @default the Service port */
  readonly targetPort?: number;
}

export interface ServiceAddressProps {
  /** Name of the Service. */
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly EndpointPort[];
  /** Scheme of the URLs: `https` for a TLS listener. @default 'http' */
  readonly scheme?: 'http' | 'https';
}

/**
 * Where a platform Service answers inside the cluster, known before anything is synthesized: a
 * service's descriptor declares it, its chart builds the Service from it (ServiceEndpoint), and
 * every other consumer (another chart's URL setting, a Terraform stack, a test) reads the same
 * object. The one source of every in-cluster URL.
 */
export class ServiceAddress {
  public readonly name: string;
  public readonly namespace: string;
  public readonly scheme: 'http' | 'https';
  /** `<name>.<namespace>.svc`: the name every platform client uses. */
  public readonly host: string;
  public readonly ports: readonly Required<EndpointPort>[];

  public constructor(props: ServiceAddressProps) {
    if (props.ports.length === 0) throw new Error(`Service ${props.name}: needs at least one port`);
    const names = props.ports.map((p) => p.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0) throw new Error(`Service ${props.name}: port name ${repeated[0]} is used twice`);
    this.name = props.name;
    this.namespace = props.namespace;
    this.scheme = props.scheme ?? 'http';
    this.host = `${props.name}.${props.namespace}.svc`;
    this.ports = props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port }));
  }

  /** A port by name; fails on a name the Service does not have. */
  public port(name: string): Required<EndpointPort> {
    const port = this.ports.find((p) => p.name === name);
    if (!port) throw new Error(`Service ${this.name}: no port named ${name} (has ${this.ports.map((p) => p.name).join(', ')})`);
    return port;
  }

  /** `<scheme>://<host>:<port>` of a port, by name. */
  public url(portName: string): string {
    return `${this.scheme}://${this.address(portName)}`;
  }

  /** `<host>:<port>` of a port, by name (for clients that take an address, not a URL). */
  public address(portName: string): string {
    return `${this.host}:${this.port(portName).port}`;
  }

  /**
   * NetworkPolicy ports for the named ports: the container ports, because Calico matches Service
   * traffic after kube-proxy's DNAT. All ports when none are named.
   */
  public policyPorts(...names: string[]): NetworkPolicyPort[] {
    const chosen = names.length > 0 ? names.map((n) => this.port(n)) : this.ports;
    return chosen.map((p) => tcp(p.targetPort));
  }
}

export interface ServiceEndpointProps {
  /** The address the Service is built for; its namespace must be the chart's. */
  readonly address: ServiceAddress;
  /** Labels of the pods behind it. */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * A headless Service that also lists pods before they are Ready: the per-pod DNS names a
   * StatefulSet's members find each other by (Raft peers joining before any is Ready).
   * @default false
   */
  readonly headless?: boolean;
  /** Labels of the Service besides the chart's. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The Service of one workload and every address derived from it. Components are given each
 * other's endpoints, so the URLs in their configuration and their NetworkPolicy peers come from
 * the same objects and cannot disagree with the Services. Endpoints exist before the workloads,
 * which is how two components can refer to each other.
 */
export class ServiceEndpoint extends Construct {
  public readonly service: KubeService;
  /** The declared address the Service was built from. */
  public readonly serviceAddress: ServiceAddress;
  /** Labels of the pods behind it. */
  public readonly selector: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: ServiceEndpointProps) {
    super(scope, id);
    const chartNamespace = Chart.of(this).namespace;
    if (chartNamespace !== props.address.namespace) {
      throw new Error(`Service ${props.address.name}: declared in namespace ${props.address.namespace}, built in a chart of namespace ${chartNamespace ?? '(none)'}`);
    }
    this.serviceAddress = props.address;
    this.selector = props.selector;
    this.service = new KubeService(this, 'Resource', {
      metadata: { name: props.address.name, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        ...(props.headless ? { clusterIp: 'None', publishNotReadyAddresses: true } : {}),
        selector: { ...props.selector },
        ports: props.address.ports.map((p) => ({ name: p.name, port: p.port, targetPort: IntOrString.fromString(p.name), protocol: 'TCP' })),
      },
    });
  }

  /** Name of the Service. */
  public get name(): string {
    return this.serviceAddress.name;
  }

  /** `<name>.<namespace>.svc`. */
  public get host(): string {
    return this.serviceAddress.host;
  }

  public port(name: string): Required<EndpointPort> {
    return this.serviceAddress.port(name);
  }

  public url(portName: string): string {
    return this.serviceAddress.url(portName);
  }

  public address(portName: string): string {
    return this.serviceAddress.address(portName);
  }

  /** The pods behind it as a NetworkPolicy peer of the same namespace. */
  public get pods(): NetworkPolicyPeer {
    return podsWith({ ...this.selector });
  }

  /** The pods behind it as a peer of a policy in another namespace. */
  public get podsFromElsewhere(): NetworkPolicyPeer {
    return podsIn(this.serviceAddress.namespace, { ...this.selector });
  }

  public policyPorts(...names: string[]): NetworkPolicyPort[] {
    return this.serviceAddress.policyPorts(...names);
  }
}
