import { Construct } from 'constructs';
import { checkEnum, DESCRIPTION_RULE, kakaoDescriptionOk, kakaoNameProblem } from '../../../config/kakaocloud-rules';
import { SecurityGroup as KcSecurityGroup, SecurityGroupRules } from '../../../imports/kakaocloud/security-group';
import { Direction, Protocol, type SecurityGroupRule } from '../security-group';

const PROTOCOL: Record<Protocol, string> = { [Protocol.TCP]: 'TCP', [Protocol.UDP]: 'UDP', [Protocol.ICMP]: 'ICMP', [Protocol.ANY]: 'ALL' };

export interface KakaoSecurityGroupProps {
  readonly name: string;
  readonly description: string;
  /** The rows of the group; each CIDR becomes one inline rule. */
  readonly rules: readonly SecurityGroupRule[];
}

/** One inline rule as the provider takes it, from a table row and one CIDR. */
export function kakaoRule(rule: SecurityGroupRule, cidr: string): SecurityGroupRules {
  const protocol = checkEnum('securityGroupRuleProtocol', PROTOCOL[rule.protocol]);
  const [min, max] = rule.ports === undefined ? [undefined, undefined] : typeof rule.ports === 'number' ? [rule.ports, rule.ports] : rule.ports;
  const portless = protocol === 'ALL' || protocol === 'ICMP';
  if (portless !== (min === undefined)) throw new Error(`security group rule ${rule.name}: ${protocol} ${portless ? 'takes no ports' : 'needs a port range'} on Kakao's provider`);
  // rule descriptions: at most 50 characters of a fixed set; the row's name stands in for longer ones
  const description = kakaoDescriptionOk(rule.description, DESCRIPTION_RULE.ruleMax) ? rule.description : rule.name;
  return {
    direction: checkEnum('securityGroupRuleDirection', rule.direction ?? Direction.INGRESS),
    protocol,
    ...(min === undefined ? {} : { portRangeMin: min, portRangeMax: max }),
    // exactly one of remote_ip_prefix and remote_group_id: always the CIDR (a group cannot name itself)
    remoteIpPrefix: cidr,
    description,
  };
}

/**
 * A security group on Kakao's provider: the rules are inline (there is no rule resource) and a new
 * group has no egress, so the table's egress row is written like any other.
 */
export class KakaoSecurityGroup extends Construct {
  public readonly resource: KcSecurityGroup;
  public readonly rules: readonly SecurityGroupRule[];

  public constructor(scope: Construct, id: string, props: KakaoSecurityGroupProps) {
    super(scope, id);
    const problem = kakaoNameProblem(props.name, 'security_group');
    if (problem) throw new Error(`security group ${JSON.stringify(props.name)}: the name ${problem}`);
    if (!kakaoDescriptionOk(props.description)) throw new Error(`security group ${props.name}: description ${JSON.stringify(props.description)} breaks the provider's description rule`);
    const seen = new Set<string>();
    for (const r of props.rules) {
      if (seen.has(r.name)) throw new Error(`security group ${props.name}: rule name "${r.name}" is used twice`);
      seen.add(r.name);
    }
    this.rules = props.rules;
    this.resource = new KcSecurityGroup(this, 'Resource', {
      name: props.name,
      description: props.description,
      rules: props.rules.flatMap((r) => r.cidrs.map((cidr) => kakaoRule(r, cidr))),
    });
  }

  public get id(): string {
    return this.resource.id;
  }
}
