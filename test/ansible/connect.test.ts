import { parse } from 'yaml';
import { parseConfig as parseAnyConfig } from '../../config';
import * as path from 'path';
import { CONNECTION_FILES, CONNECTION_INVENTORY, connectFromTerraformOutputs, connectionMismatch } from '../../ansible';
import { parseTerraformOutputs } from '../../ansible/connect';
import { renderAnsibleAsCli } from './support';

/**
 * These tests render for the OpenStack target, where the master LB's VIP is in the config; the
 * default kakaocloud target learns it from `kpaas connect` (connect-kakaocloud.test.ts).
 */
function parseConfig(input: Record<string, unknown>) {
  return parseAnyConfig({ cloud: { provider: 'openstack' }, ...input });
}

const seed = parseConfig({});

/** The `ansible` output value as the infra stack publishes it for the seed. */
function outputValue(over: Record<string, unknown> = {}): Record<string, any> {
  return {
    ssh_user: 'ubuntu',
    jump_host: '203.0.113.10',
    nodes: {
      'master-1': { role: 'master', private_ip: '172.16.0.192', public_ip: '203.0.113.10' },
      'master-2': { role: 'master', private_ip: '172.16.0.157', public_ip: null },
      'master-3': { role: 'master', private_ip: '172.16.0.254', public_ip: null },
      'worker-1': { role: 'worker', private_ip: '172.16.0.12', public_ip: '203.0.113.21' },
      'worker-2': { role: 'worker', private_ip: '172.16.0.78', public_ip: null },
      'worker-3': { role: 'worker', private_ip: '172.16.0.30', public_ip: null },
    },
    master_lb: { vip: '172.16.0.176', public_ip: '203.0.113.5' },
    worker_lb: { vip: '172.16.0.53', public_ip: '203.0.113.6' },
    ...over,
  };
}

/** `terraform output -json` of the whole stack. */
function outputs(value: unknown = outputValue()): Record<string, unknown> {
  return {
    ansible: { sensitive: false, type: ['object', {}], value },
    master_lb: { sensitive: false, type: ['object', {}], value: { vip: '172.16.0.176', public_ip: '203.0.113.5' } },
  };
}

function withNode(name: string, patch: Record<string, unknown>): Record<string, any> {
  const v = outputValue();
  v.nodes = { ...v.nodes, [name]: { ...v.nodes[name], ...patch } };
  return v;
}

const PROXY = '-o ProxyCommand="ssh -W %h:%p -q -o StrictHostKeyChecking=accept-new ubuntu@203.0.113.10" -o StrictHostKeyChecking=accept-new';

describe('connectFromTerraformOutputs', () => {
  const files = connectFromTerraformOutputs(outputs(), seed);
  const inv = parse(files.get('inventory/zz-connection.yaml') ?? '');

  it('writes exactly the connection files, none of which synth writes', () => {
    expect([...files.keys()]).toEqual(['inventory/zz-connection.yaml', 'cp-cluster-vars.connection.sh']);
    expect([...files.keys()]).toEqual([...CONNECTION_FILES]);
    const synth = renderAnsibleAsCli(seed);
    for (const p of CONNECTION_FILES) expect(synth.has(p)).toBe(false);
    // sorts after hosts.yaml, so ansible loads it later and its host variables win
    expect(path.posix.basename(CONNECTION_INVENTORY) > 'hosts.yaml').toBe(true);
  });

  it('matches the snapshot', () => {
    expect(files).toMatchSnapshot();
  });

  it('connects directly where a node has a public IP and through the jump host elsewhere', () => {
    expect(inv.all.hosts['master-1'].ansible_host).toBe('203.0.113.10');
    expect(inv.all.hosts['master-1'].ansible_ssh_common_args).toBe('-o StrictHostKeyChecking=accept-new');
    expect(inv.all.hosts['worker-1'].ansible_host).toBe('203.0.113.21');
    for (const [name, ip] of [['master-2', '172.16.0.157'], ['master-3', '172.16.0.254'], ['worker-2', '172.16.0.78'], ['worker-3', '172.16.0.30']]) {
      expect(inv.all.hosts[name].ansible_host).toBe(ip);
      expect(inv.all.hosts[name].ansible_ssh_common_args).toBe(PROXY);
    }
  });

  it('adds the master LB public IP to the API certificate addresses on every host', () => {
    for (const name of Object.keys(inv.all.hosts)) {
      expect(inv.all.hosts[name].supplementary_addresses_in_ssl_keys).toEqual(['172.16.0.176', '172.16.0.192', '172.16.0.157', '172.16.0.254', '203.0.113.5']);
    }
    expect(files.get('inventory/zz-connection.yaml')).not.toContain('203.0.113.6');
  });

  it('leaves the certificate addresses to group_vars when the master LB has no public IP', () => {
    const f = connectFromTerraformOutputs(outputs(outputValue({ master_lb: { vip: '172.16.0.176', public_ip: null } })), seed);
    const i = parse(f.get('inventory/zz-connection.yaml') ?? '');
    expect(i.all.hosts['master-1']).not.toHaveProperty('supplementary_addresses_in_ssl_keys');
  });

  it('exports the first master public IP for the K-PaaS installer', () => {
    expect(files.get('cp-cluster-vars.connection.sh')).toContain('\nexport MASTER1_NODE_PUBLIC_IP=203.0.113.10\n');
    const f = connectFromTerraformOutputs(outputs(withNode('master-1', { public_ip: null })), seed);
    expect(f.get('cp-cluster-vars.connection.sh')).not.toContain('export MASTER1_NODE_PUBLIC_IP');
  });

  it('accepts the value alone, as `terraform output -json ansible` prints it', () => {
    expect(connectFromTerraformOutputs(outputValue(), seed)).toEqual(files);
  });

  it('records the nodes it was made for, so a stale file is recognized', () => {
    const text = files.get('inventory/zz-connection.yaml') ?? '';
    expect(connectionMismatch(text, seed)).toBeUndefined();
    const grown = parseConfig({ nodes: { workers: { ips: ['172.16.0.12', '172.16.0.78', '172.16.0.30', '172.16.0.31'] } } });
    expect(connectionMismatch(text, grown)).toMatch(/made for other nodes \(worker-4: absent there, "172\.16\.0\.31" in the config\)/);
    expect(connectionMismatch('all: {}', seed)).toMatch(/does not say which nodes/);
    expect(connectionMismatch(': : :\n  - [', seed)).toMatch(/is not valid YAML/);
  });
});

describe('connectFromTerraformOutputs rejects', () => {
  it('fails when the outputs are not an object', () => {
    expect(() => connectFromTerraformOutputs([], seed)).toThrow(/^terraform outputs: expected the JSON object printed by `terraform output -json`, got \[\]$/);
  });

  it('fails when the ansible output is missing', () => {
    expect(() => connectFromTerraformOutputs({ nodes: { value: {} } }, seed)).toThrow(/^terraform outputs: no output "ansible" \(found: nodes\); run terraform apply/);
    expect(() => connectFromTerraformOutputs({}, seed)).toThrow(/no output "ansible" \(found: none\)/);
  });

  it('fails when the ansible output has no value', () => {
    expect(() => connectFromTerraformOutputs({ ansible: { sensitive: false } }, seed)).toThrow(/^terraform output "ansible": expected \{ "value": \.\.\. \}/);
  });

  it('fails when ssh_user is missing or differs from the config', () => {
    const v = outputValue();
    delete v.ssh_user;
    expect(() => connectFromTerraformOutputs(outputs(v), seed)).toThrow(/^terraform output "ansible": ssh_user: expected the login user name, got nothing/);
    expect(() => connectFromTerraformOutputs(outputs(outputValue({ ssh_user: 'root' })), seed)).toThrow(/ssh_user is "root" but nodes\.sshUser in the config is "ubuntu"/);
  });

  it('fails when nodes is missing', () => {
    const v = outputValue();
    delete v.nodes;
    expect(() => connectFromTerraformOutputs(outputs(v), seed)).toThrow(/^terraform output "ansible": nodes: expected an object of nodes by name, got nothing/);
  });

  it('fails when a node of the config is missing', () => {
    const v = outputValue();
    delete v.nodes['worker-3'];
    expect(() => connectFromTerraformOutputs(outputs(v), seed)).toThrow(/nodes\.worker-3: missing or not an object/);
  });

  it('fails when the stack has a node the config does not', () => {
    const v = outputValue();
    v.nodes['worker-9'] = { role: 'worker', private_ip: '172.16.0.99', public_ip: null };
    expect(() => connectFromTerraformOutputs(outputs(v), seed)).toThrow(/nodes: worker-9 not in the config/);
  });

  it('fails when a node private IP or role differs from the config', () => {
    expect(() => connectFromTerraformOutputs(outputs(withNode('worker-2', { private_ip: '172.16.0.79' })), seed)).toThrow(
      /nodes\.worker-2\.private_ip is "172\.16\.0\.79" but the config has "172\.16\.0\.78"/,
    );
    expect(() => connectFromTerraformOutputs(outputs(withNode('master-2', { role: 'worker' })), seed)).toThrow(/nodes\.master-2\.role is "worker" but the config makes it a master/);
  });

  it('fails on a public IP that is not an address', () => {
    expect(() => connectFromTerraformOutputs(outputs(withNode('worker-1', { public_ip: 'example.com' })), seed)).toThrow(
      /nodes\.worker-1\.public_ip: expected an IPv4 address or null, got "example\.com"/,
    );
    expect(() => connectFromTerraformOutputs(outputs(outputValue({ jump_host: 42 })), seed)).toThrow(/jump_host: expected an IPv4 address or null, got 42/);
  });

  it('fails when a node has neither a public IP nor a jump host', () => {
    expect(() => connectFromTerraformOutputs(outputs(outputValue({ jump_host: null })), seed)).toThrow(
      /nodes\.master-2\.public_ip and jump_host are both null; ansible cannot reach master-2/,
    );
  });

  it('fails when a load balancer is missing or has another VIP', () => {
    const v = outputValue();
    delete v.worker_lb;
    expect(() => connectFromTerraformOutputs(outputs(v), seed)).toThrow(/^terraform output "ansible": worker_lb: expected \{ vip, public_ip \}, got nothing/);
    expect(() => connectFromTerraformOutputs(outputs(outputValue({ master_lb: { vip: '172.16.0.177', public_ip: null } })), seed)).toThrow(
      /master_lb\.vip is "172\.16\.0\.177" but the config has "172\.16\.0\.176"/,
    );
  });

  it('gives one-line messages', () => {
    try {
      connectFromTerraformOutputs({}, seed);
      throw new Error('did not throw');
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});

describe('limits on terraform outputs', () => {
  const ms = (f: () => void) => {
    const t = Date.now();
    f();
    return Date.now() - t;
  };

  it('parses outputs within the limits, brackets inside strings included', () => {
    expect(parseTerraformOutputs(JSON.stringify(outputs()))).toEqual(outputs());
    expect(parseTerraformOutputs(`{"a": "${'['.repeat(100)}"}`)).toEqual({ a: '['.repeat(100) });
    const tricky = { a: '\\', b: `"${'{'.repeat(100)}`, c: [[1]] };
    expect(parseTerraformOutputs(JSON.stringify(tricky))).toEqual(tricky);
    expect(parseTerraformOutputs(`${'['.repeat(64)}${']'.repeat(64)}`)).toHaveLength(1);
  });

  it('fails fast on more than 16 MiB', () => {
    const text = `{"a": "${'x'.repeat(16 * 1024 * 1024)}"}`;
    expect(ms(() => expect(() => parseTerraformOutputs(text)).toThrow(
      `the text is ${text.length} bytes; terraform outputs are at most 16777216 bytes (16 MiB)`,
    ))).toBeLessThan(1000);
  });

  it('fails fast on nesting deeper than 64 levels', () => {
    const text = `{"a": ${'['.repeat(200000)}${']'.repeat(200000)}}`;
    expect(ms(() => expect(() => parseTerraformOutputs(text)).toThrow(
      /^the text is nested more than 64 levels deep at character 70; terraform outputs nest at most a few levels$/,
    ))).toBeLessThan(1000);
  });

  it('fails fast on an array or object of more than 15000 entries, before parsing', () => {
    expect(() => parseTerraformOutputs(`[${'1,'.repeat(200000)}1]`)).toThrow(
      /^the text has an array or object of more than 15000 entries \(at character 30001\); terraform outputs list at most 1500 nodes$/,
    );
    expect(parseTerraformOutputs(`[${'1,'.repeat(14999)}1]`)).toHaveLength(15000);
    expect(parseTerraformOutputs(JSON.stringify({ a: ','.repeat(20000) }))).toEqual({ a: ','.repeat(20000) });
  });

  it('fails on text that is not JSON without echoing it', () => {
    expect(() => parseTerraformOutputs('{"a": secret-value}')).toThrow(/^the text is not JSON \(expected the output of `terraform output -json`\): unexpected token 's'$/);
    expect(() => parseTerraformOutputs('{"a": ')).toThrow(/^the text is not JSON \(expected the output of `terraform output -json`\): it ends too early$/);
    expect(() => parseTerraformOutputs('{"a" 1}')).toThrow(/^the text is not JSON \(expected the output of `terraform output -json`\): expected ':' after property name at character 6$/);
  });

  it('fails fast on more than 1500 nodes', () => {
    const v = outputValue();
    for (let i = 0; i < 200000; i++) v.nodes[`extra-${i}`] = { role: 'worker', private_ip: '172.16.0.9', public_ip: null };
    expect(ms(() => expect(() => connectFromTerraformOutputs(outputs(v), seed)).toThrow(
      /^terraform output "ansible": nodes: has 200006 entries; at most 1500 are allowed \(the configuration has at most 500 masters and 1000 workers\)$/,
    ))).toBeLessThan(1000);
  });

  it('lists at most 5 unknown nodes, each name cut', () => {
    const v = outputValue();
    for (let i = 0; i < 900; i++) v.nodes[`extra-${String(i).padStart(3, '0')}-${'n'.repeat(10000)}`] = { role: 'worker', private_ip: '172.16.0.9', public_ip: null };
    let message = '';
    try { connectFromTerraformOutputs(outputs(v), seed); } catch (e) { message = (e as Error).message; }
    const name = (i: number) => `"extra-00${i}-${'n'.repeat(50)}…" (10010 characters)`;
    expect(message).toBe(`terraform output "ansible": nodes: ${[0, 1, 2, 3, 4].map(name).join(', ')} and 895 more not in the config; the applied stack is from another config: synth and terraform apply again`);
  });

  it('shows a long ssh_user cut, with its length', () => {
    expect(() => connectFromTerraformOutputs(outputs(outputValue({ ssh_user: 'u'.repeat(100000) })), seed)).toThrow(
      `terraform output "ansible": ssh_user is "${'u'.repeat(60)}…" (100000 characters) but nodes.sshUser in the config is "ubuntu"; synth and terraform apply again`,
    );
  });
});
