import { Construct } from 'constructs';
import { NetworkingSecgroupRuleV2 } from '../../imports/openstack/networking-secgroup-rule-v2';
import { NetworkingSecgroupV2 } from '../../imports/openstack/networking-secgroup-v2';

/** IP protocol of a security-group rule. */
export enum Protocol {
  TCP = 'tcp',
  UDP = 'udp',
  ICMP = 'icmp',
  /** Every protocol (the rule carries no protocol). */
  ANY = 'any',
}

export enum Direction {
  INGRESS = 'ingress',
  EGRESS = 'egress',
}

/** One row of a security group's table. Each source CIDR becomes one OpenStack rule. */
export interface SecurityGroupRule {
  /** Stable short name, part of the Terraform logical id (`ssh`, `kube-api`, ...). */
  readonly name: string;
  /** What the rule is for; becomes the rule's description. */
  readonly description: string;
  /** @default Direction.INGRESS */
  readonly direction?: Direction;
  readonly protocol: Protocol;
  /** A port or an inclusive range; omitted for ICMP and ANY. */
  readonly ports?: number | readonly [number, number];
  /** Source (ingress) or destination (egress) CIDRs. */
  readonly cidrs: readonly string[];
}

export interface SecurityGroupProps {
  /** Name of the security group in the cloud. */
  readonly name: string;
  readonly description: string;
  readonly rules: readonly SecurityGroupRule[];
}

/**
 * A security group whose rules are exactly the given rows: OpenStack's default egress rules are
 * removed, so the table in the config is the whole truth (the seed's egress row is a rule too).
 */
export class SecurityGroup extends Construct {
  public readonly resource: NetworkingSecgroupV2;
  public readonly rules: readonly SecurityGroupRule[];

  public constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    this.rules = props.rules;
    this.resource = new NetworkingSecgroupV2(this, 'Resource', {
      name: props.name,
      description: props.description,
      deleteDefaultRules: true,
    });
    const seen = new Set<string>();
    for (const rule of props.rules) {
      if (seen.has(rule.name)) throw new Error(`security group ${props.name}: rule name "${rule.name}" is used twice`);
      seen.add(rule.name);
      const [min, max] = rule.ports === undefined ? [undefined, undefined] : typeof rule.ports === 'number' ? [rule.ports, rule.ports] : rule.ports;
      rule.cidrs.forEach((cidr, i) => {
        new NetworkingSecgroupRuleV2(this, rule.cidrs.length > 1 ? `${rule.name}-${i + 1}` : rule.name, {
          securityGroupId: this.resource.id,
          description: rule.description,
          direction: rule.direction ?? Direction.INGRESS,
          ethertype: 'IPv4',
          ...(rule.protocol === Protocol.ANY ? {} : { protocol: rule.protocol }),
          ...(min === undefined ? {} : { portRangeMin: min, portRangeMax: max }),
          remoteIpPrefix: cidr,
        });
      });
    }
  }

  /** The group's id, for ports and load balancers. */
  public get id(): string {
    return this.resource.id;
  }
}
