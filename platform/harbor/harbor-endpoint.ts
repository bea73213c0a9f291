import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IntOrString, KubeService, NetworkPolicyPeer, NetworkPolicyPort } from '../../imports/k8s';
import { podsWith, tcp } from '../../constructs/k8s/network-peers';

/** One port of a Harbor component's Service. */
export interface HarborEndpointPort {
  /** Port name, also the container port's name. */
  readonly name: string;
  /** Port of the Service. */
  readonly port: number;
  /** Port the container listens on. */
  readonly targetPort: number;
}

export interface HarborEndpointProps {
  /** Name of the Service (`harbor-core`, ...). */
  readonly name: string;
  /** Labels of the component's pods. */
  readonly selector: Record<string, string>;
  readonly ports: readonly HarborEndpointPort[];
}

/**
 * The Service of one Harbor component and every address derived from it. Components are given
 * each other's endpoints, so the URLs in their configuration (CORE_URL, REGISTRY_URL, ...) and
 * their NetworkPolicy peers come from the same objects and cannot disagree with the Services.
 * Endpoints exist before the workloads, which is how core and jobservice can refer to each other.
 */
export class HarborEndpoint extends Construct {
  public readonly service: KubeService;
  /** Name of the Service. */
  public readonly name: string;
  /** Host name of the Service inside the cluster (`<name>.<namespace>.svc`). */
  public readonly host: string;
  /** Labels of the component's pods. */
  public readonly selector: Record<string, string>;
  private readonly ports: readonly HarborEndpointPort[];

  public constructor(scope: Construct, id: string, props: HarborEndpointProps) {
    super(scope, id);
    if (props.ports.length === 0) throw new Error(`HarborEndpoint ${props.name}: needs at least one port`);
    const names = props.ports.map((p) => p.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0) throw new Error(`HarborEndpoint ${props.name}: port name ${repeated[0]} is used twice`);
    const namespace = Chart.of(this).namespace;
    this.name = props.name;
    this.host = namespace ? `${props.name}.${namespace}.svc` : props.name;
    this.selector = props.selector;
    this.ports = props.ports;
    this.service = new KubeService(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        selector: props.selector,
        ports: props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: IntOrString.fromString(p.name), protocol: 'TCP' })),
      },
    });
  }

  /** A port of the Service by name; fails on a name the Service does not have. */
  public port(name: string): HarborEndpointPort {
    const port = this.ports.find((p) => p.name === name);
    if (!port) throw new Error(`HarborEndpoint ${this.name}: no port named ${name} (has ${this.ports.map((p) => p.name).join(', ')})`);
    return port;
  }

  /** `http://<host>:<port>` of a port, by name. */
  public url(portName: string): string {
    return `http://${this.host}:${this.port(portName).port}`;
  }

  /** `<host>:<port>` of a port, by name (for clients that take an address, not a URL). */
  public address(portName: string): string {
    return `${this.host}:${this.port(portName).port}`;
  }

  /** The component's pods as a NetworkPolicy peer. */
  public get pods(): NetworkPolicyPeer {
    return podsWith(this.selector);
  }

  /**
   * NetworkPolicy ports for the named Service ports: the container ports, because Calico matches
   * Service traffic after kube-proxy's DNAT. All ports when none are named.
   */
  public policyPorts(...names: string[]): NetworkPolicyPort[] {
    const chosen = names.length > 0 ? names.map((n) => this.port(n)) : this.ports;
    return chosen.map((p) => tcp(p.targetPort));
  }
}

/** The endpoints of all of Harbor's components. */
export interface HarborEndpoints {
  readonly core: HarborEndpoint;
  readonly portal: HarborEndpoint;
  readonly registry: HarborEndpoint;
  readonly jobservice: HarborEndpoint;
  readonly trivy: HarborEndpoint;
  readonly redis: HarborEndpoint;
}
