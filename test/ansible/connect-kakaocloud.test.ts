/**
 * `kpaas connect` on the default target (cloud.provider: kakaocloud): the NLB's private VIP is
 * known only from the Terraform outputs, so connect makes it the API endpoint and a SAN and holds
 * it to the checks the loader makes for configured VIPs on OpenStack.
 */
import { parse } from 'yaml';
import { parseConfig } from '../../config';
import { connectFromTerraformOutputs } from '../../ansible';

const config = parseConfig({});

function outputs(masterVip: unknown = '172.16.0.9', masterPublic: string | null = '203.0.113.5', checks: unknown = ['172.16.0.3', '172.16.0.4']): Record<string, unknown> {
  const n = (role: string, ip: string, pub: string | null) => ({ role, private_ip: ip, public_ip: pub });
  return {
    ansible: {
      value: {
        ssh_user: 'ubuntu',
        jump_host: '203.0.113.10',
        nodes: {
          'master-1': n('master', '172.16.0.192', '203.0.113.10'),
          'master-2': n('master', '172.16.0.157', null),
          'master-3': n('master', '172.16.0.254', null),
          'worker-1': n('worker', '172.16.0.12', null),
          'worker-2': n('worker', '172.16.0.78', null),
          'worker-3': n('worker', '172.16.0.30', null),
        },
        master_lb: { vip: masterVip, public_ip: masterPublic },
        worker_lb: { vip: '172.16.0.8', public_ip: '203.0.113.6' },
        health_check_ips: checks,
      },
    },
  };
}

describe('kpaas connect on kakaocloud', () => {
  it('makes the master LB private VIP the API endpoint and puts it and the public IP into the certificate', () => {
    const inv = parse(connectFromTerraformOutputs(outputs(), config).get('inventory/zz-connection.yaml')!).all;
    expect(config.loadBalancers.master.vip).toBeUndefined();
    for (const name of ['master-1', 'worker-3']) {
      expect(inv.hosts[name].loadbalancer_apiserver).toEqual({ address: '172.16.0.9', port: 6443 });
      expect(inv.hosts[name].supplementary_addresses_in_ssl_keys).toEqual(['172.16.0.9', '172.16.0.192', '172.16.0.157', '172.16.0.254', '203.0.113.5']);
    }
  });

  it('still adds the private VIP to the certificate when the master LB has no public IP', () => {
    const inv = parse(connectFromTerraformOutputs(outputs('172.16.0.9', null), config).get('inventory/zz-connection.yaml')!).all;
    expect(inv.hosts['master-2'].supplementary_addresses_in_ssl_keys).toEqual(['172.16.0.9', '172.16.0.192', '172.16.0.157', '172.16.0.254']);
  });

  it('fails when the VIP is missing or not an address', () => {
    expect(() => connectFromTerraformOutputs(outputs(null), config)).toThrow(/^terraform output "ansible": master_lb\.vip: expected the load balancer's private IPv4 address, got null$/);
    expect(() => connectFromTerraformOutputs(outputs('lb.internal'), config)).toThrow(/master_lb\.vip: expected the load balancer's private IPv4 address, got "lb\.internal"/);
  });

  it('fails when the VIP is outside the subnet', () => {
    expect(() => connectFromTerraformOutputs(outputs('172.16.1.9'), config)).toThrow(/master_lb\.vip is 172\.16\.1\.9, outside the subnet 172\.16\.0\.0\/24 \(network\.subnet\.cidr\)/);
  });

  it('fails when the VIP is a node\'s address, the ingress IP or inside a MetalLB range', () => {
    expect(() => connectFromTerraformOutputs(outputs('172.16.0.157'), config)).toThrow(/master_lb\.vip is 172\.16\.0\.157, the address of master-2/);
    expect(() => connectFromTerraformOutputs(outputs('172.16.0.201'), config)).toThrow(/master_lb\.vip is 172\.16\.0\.201, the ingress IP \(ingress\.ip\)/);
    expect(() => connectFromTerraformOutputs(outputs('172.16.0.230'), config)).toThrow(/master_lb\.vip is 172\.16\.0\.230, inside the MetalLB range metallb\.pool "172\.16\.0\.210-172\.16\.0\.250"/);
    const extra = parseConfig({ metallb: { extraRanges: ['172.16.0.2-172.16.0.9'] } });
    expect(() => connectFromTerraformOutputs(outputs('172.16.0.9'), extra)).toThrow(/inside the MetalLB range metallb\.extraRanges\[0\] "172\.16\.0\.2-172\.16\.0\.9"/);
  });

  it('fails when the NLB health checks come from outside the VPC the security groups admit', () => {
    expect(() => connectFromTerraformOutputs(outputs('172.16.0.9', null, ['172.16.0.3', '100.64.0.7']), config)).toThrow(
      /^terraform output "ansible": health_check_ips: 100\.64\.0\.7 outside the VPC 172\.16\.0\.0\/16 \(network\.vpc\.cidr\), the only source the security groups admit for health checks/,
    );
    expect(() => connectFromTerraformOutputs(outputs('172.16.0.9', null, '172.16.0.3'), config)).toThrow(/health_check_ips: expected a list of IPv4 addresses, got "172\.16\.0\.3"/);
    // absent (the openstack stack has none): nothing to check
    expect(() => connectFromTerraformOutputs(outputs('172.16.0.9', null, null), config)).not.toThrow();
  });
});
