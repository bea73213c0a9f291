/**
 * What a kakaocloud `terraform apply` reports, made up once for every test that runs `kpaas
 * connect` on it (test/ansible, test/stacks/cross-output.test.ts): the NLBs' private VIPs, known
 * only after the apply, their public IPs and the health-check source IPs of the subnet.
 */
import type { PlatformConfig } from '../../config';

/**
 * The load balancers' addresses, the jump host and the health-check IPs of the apply (public ones
 * from 203.0.113.0/24, TEST-NET-3). The first node alone has a public IP, so it is the jump host
 * (the stack's output picks that node).
 */
export const KAKAO_APPLIED = {
  jumpHost: '203.0.113.10',
  masterLb: { vip: '172.16.0.9', publicIp: '203.0.113.5' },
  workerLb: { vip: '172.16.0.8', publicIp: '203.0.113.6' },
  healthCheckIps: ['172.16.0.3', '172.16.0.4'],
} as const;

/**
 * `terraform output -json` of a kakaocloud apply (the NLB's private VIP is known only there), for
 * `kpaas connect`, whose files join the inventory as in the documented flow.
 */
export function kakaoOutputs(config: PlatformConfig): Record<string, unknown> {
  const jumpHost = KAKAO_APPLIED.jumpHost;
  const nodes = Object.fromEntries(config.nodes.all.map((n, i) => [n.name, { role: n.role, private_ip: n.privateIp, public_ip: i === 0 ? jumpHost : null }]));
  return {
    ansible: {
      value: {
        ssh_user: config.nodes.sshUser,
        jump_host: jumpHost,
        nodes,
        master_lb: { vip: KAKAO_APPLIED.masterLb.vip, public_ip: KAKAO_APPLIED.masterLb.publicIp },
        worker_lb: { vip: KAKAO_APPLIED.workerLb.vip, public_ip: KAKAO_APPLIED.workerLb.publicIp },
        health_check_ips: [...KAKAO_APPLIED.healthCheckIps],
      },
    },
  };
}
