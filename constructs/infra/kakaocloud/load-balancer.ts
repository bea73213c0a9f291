import { Construct } from 'constructs';
import type { LoadBalancer } from '../../../config';
import { checkEnum, HEALTH_MONITOR_RULES, KAKAOCLOUD_NAMES, kakaoNameProblem } from '../../../config/kakaocloud-rules';
import { LoadBalancer as KcLoadBalancer } from '../../../imports/kakaocloud/load-balancer';
import { LoadBalancerHealthMonitor } from '../../../imports/kakaocloud/load-balancer-health-monitor';
import { LoadBalancerListener } from '../../../imports/kakaocloud/load-balancer-listener';
import { LoadBalancerTargetGroup } from '../../../imports/kakaocloud/load-balancer-target-group';
import { LoadBalancerTargetGroupMember } from '../../../imports/kakaocloud/load-balancer-target-group-member';
import { PublicIp } from '../../../imports/kakaocloud/public-ip';
import type { KakaoNetwork } from './network';
import type { KakaoClusterNode } from './cluster-node';

/** Health-check timing of every target group: a member is out after about 15 s (delay > timeout). */
export const KAKAO_MONITOR = { delay: 5, timeout: 3, maxRetries: 3, maxRetriesDown: 3 } as const;

export interface KakaoLoadBalancerProps {
  readonly cluster: string;
  readonly spec: LoadBalancer;
  readonly members: readonly KakaoClusterNode[];
  readonly network: KakaoNetwork;
  readonly availabilityZone: string;
  /** Flavor id: the configured id, or the id looked up by name. */
  readonly flavorId: string;
}

/** The monitor attributes for a listener's check, held to the provider's ValidateConfig rules. */
export function kakaoMonitor(m: LoadBalancer['listeners'][number]['monitor']) {
  const type = checkEnum('healthMonitorType', m.type);
  const [dMin, dMax] = HEALTH_MONITOR_RULES.delay;
  const [tMin, tMax] = HEALTH_MONITOR_RULES.timeout;
  const t = KAKAO_MONITOR;
  if (t.delay < dMin || t.delay > dMax || t.timeout < tMin || t.timeout > tMax || t.delay <= t.timeout) {
    throw new Error(`health monitor: delay ${t.delay} must be in ${dMin}-${dMax} and greater than timeout ${t.timeout} (${tMin}-${tMax})`);
  }
  if (m.type !== 'HTTPS') return { type, ...t };
  if (!HEALTH_MONITOR_RULES.urlPath.test(m.urlPath) || !HEALTH_MONITOR_RULES.expectedCodes.test(m.expectedCodes)) {
    throw new Error(`health monitor: url_path ${JSON.stringify(m.urlPath)} or expected_codes ${JSON.stringify(m.expectedCodes)} breaks the provider's rules`);
  }
  // HTTP(S) monitors need all four; other types must set none (the provider's ValidateConfig)
  return {
    type,
    ...t,
    httpMethod: checkEnum('healthMonitorHttpMethod', 'GET'),
    httpVersion: checkEnum('healthMonitorHttpVersion', '1.1'),
    urlPath: m.urlPath,
    expectedCodes: m.expectedCodes,
  };
}

/**
 * A Kakao NLB: no settable VIP and no security groups (private and public VIP are computed), one
 * TCP listener per configured port, one target group per listener with every member (single-member
 * resources, so adding a node adds one member per group) and a health monitor, and optionally a
 * public IP related to the load balancer.
 */
export class KakaoLoadBalancer extends Construct {
  public readonly resource: KcLoadBalancer;
  /** The private VIP, known after apply. */
  public readonly vip: string;
  public readonly publicIp?: string;
  /** The subnet's health_check_ips as a member reports them: where the health checks come from. */
  public readonly healthCheckIps: string[];

  public constructor(scope: Construct, id: string, props: KakaoLoadBalancerProps) {
    super(scope, id);
    const { spec, cluster } = props;
    const name = KAKAOCLOUD_NAMES.loadBalancer(cluster, spec.role);
    const problem = kakaoNameProblem(name, 'load_balancer');
    if (problem) throw new Error(`load balancer name ${JSON.stringify(name)} ${problem}`);
    this.resource = new KcLoadBalancer(this, 'Resource', {
      name,
      description: `K-PaaS ${spec.role} load balancer`,
      subnetId: props.network.subnetId,
      availabilityZone: props.availabilityZone,
      flavorId: props.flavorId,
    });
    this.vip = this.resource.privateVip;
    let firstMember: LoadBalancerTargetGroupMember | undefined;
    for (const l of spec.listeners) {
      const scopeL = new Construct(this, l.name);
      const listener = new LoadBalancerListener(scopeL, 'listener', {
        loadBalancerId: this.resource.id,
        protocol: checkEnum('listenerProtocol', 'TCP'),
        protocolPort: l.port,
      });
      const tgName = KAKAOCLOUD_NAMES.targetGroup(cluster, spec.role, l.name);
      const tgProblem = kakaoNameProblem(tgName, 'load_balancer_target_group');
      if (tgProblem) throw new Error(`target group name ${JSON.stringify(tgName)} ${tgProblem}`);
      const group = new LoadBalancerTargetGroup(scopeL, 'target-group', {
        name: tgName,
        loadBalancerId: this.resource.id,
        listenerId: listener.id,
        protocol: checkEnum('targetGroupProtocol', 'TCP'),
        loadBalancerAlgorithm: checkEnum('targetGroupAlgorithm', 'ROUND_ROBIN'),
      });
      new LoadBalancerHealthMonitor(scopeL, 'monitor', { targetGroupId: group.id, ...kakaoMonitor(l.monitor) });
      for (const member of props.members) {
        const m = new LoadBalancerTargetGroupMember(scopeL, `member-${member.spec.name}`, {
          name: KAKAOCLOUD_NAMES.member(member.spec.name),
          targetGroupId: group.id,
          address: member.privateIp,
          protocolPort: l.targetPort,
          subnetId: props.network.subnetId,
        });
        firstMember ??= m;
      }
    }
    if (!firstMember) throw new Error(`load balancer ${name}: no members`);
    this.healthCheckIps = firstMember.subnet.healthCheckIps;
    if (spec.publicIp) {
      const ip = new PublicIp(this, 'public-ip', {
        description: `K-PaaS ${spec.role} load balancer`,
        relatedResource: { deviceType: checkEnum('publicIpDeviceType', 'load-balancer'), deviceId: this.resource.id },
      });
      this.publicIp = ip.publicIp;
    }
  }
}
