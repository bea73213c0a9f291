/**
 * The step after `terraform apply`: reads `terraform output -json` of the infra stack and writes how
 * ansible reaches the nodes (public IPs, or SSH through the jump host) and the master LB's public
 * address for the API certificate. It writes only files synth never writes, so synth keeps them.
 */
import { parse } from 'yaml';
import { contains, ipToInt, isIpv4, MAX_NODES, parseCidr, parseRange, PlatformConfig, show } from '../config';
import { apiListener } from './checks';
import { CP_CLUSTER_VARS_CONNECTION, installerFormat, renderCpClusterVarsConnection } from './cp-cluster-vars';
import { apiServerSans } from './kubespray-vars';
import { yamlFile } from './yaml-file';

/** Name of the Terraform output the infra stack publishes for this step. */
export const ANSIBLE_OUTPUT = 'ansible';

/**
 * Largest `terraform output -json` read, in bytes: the outputs of a 1,000-node cluster are about
 * 100 KB. Checked before parsing.
 */
export const MAX_OUTPUTS_BYTES = 16 * 1024 * 1024;
/** Deepest nesting of arrays and objects in the outputs (they nest 4 levels). Checked before parsing. */
export const MAX_OUTPUTS_DEPTH = 64;
/** Most nodes the `ansible` output may list: as many as the configuration allows of each role. */
export const MAX_OUTPUT_NODES = MAX_NODES.master + MAX_NODES.worker;
/**
 * Most entries of one array or object in the outputs, checked before parsing (parsing 16 MiB takes
 * a second or more): ten times the most nodes.
 */
export const MAX_OUTPUTS_ENTRIES = 10 * MAX_OUTPUT_NODES;
/** Unknown node names listed in a message at most; the rest are counted. */
const MAX_LISTED = 5;

/**
 * Parses the text of `terraform output -json` after checking its size and nesting, so that a huge
 * or deeply nested input fails at once with one line, not with a stack overflow. `source` names
 * the text in messages (the file, or "standard input"); no message echoes the text.
 */
export function parseTerraformOutputs(text: string, source = 'the text'): unknown {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_OUTPUTS_BYTES) throw new Error(`${source} is ${bytes} bytes; terraform outputs are at most ${MAX_OUTPUTS_BYTES} bytes (16 MiB)`);
  // brackets and commas outside strings: JSON's nesting and entries, exactly
  let depth = 0;
  const commas = new Array<number>(MAX_OUTPUTS_DEPTH + 2).fill(0); // entries - 1 of each open array or object
  for (let i = 0, inString = false; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x2c && depth > 0) {
      if (++commas[depth] >= MAX_OUTPUTS_ENTRIES) {
        throw new Error(`${source} has an array or object of more than ${MAX_OUTPUTS_ENTRIES} entries (at character ${i + 1}); terraform outputs list at most ${MAX_OUTPUT_NODES} nodes`);
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_OUTPUTS_DEPTH) {
        throw new Error(`${source} is nested more than ${MAX_OUTPUTS_DEPTH} levels deep at character ${i + 1}; terraform outputs nest at most a few levels`);
      }
      commas[depth] = 0;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8 quotes the text around the error: name the place instead, never the content
    const why = String((e as Error).message)
      .replace(/^Unexpected end of JSON input$/, 'it ends too early')
      .replace(/^(Unexpected token '.'), .*$/s, '$1')
      .replace(/ in JSON at position (\d+).*$/s, (_m, n: string) => ` at character ${Number(n) + 1}`)
      .replace(/ at position (\d+).*$/s, (_m, n: string) => ` at character ${Number(n) + 1}`)
      .replace(/^./, (c) => c.toLowerCase());
    throw new Error(`${source} is not JSON (expected the output of \`terraform output -json\`): ${why.length > 200 ? 'it is malformed' : why}`);
  }
}

/**
 * Inventory source with the connection settings. Ansible reads an inventory directory's files in
 * name order and later files override host variables, so the name sorts after `hosts.yaml`.
 */
export const CONNECTION_INVENTORY = 'inventory/zz-connection.yaml';

/** Every path (relative to dist/ansible) `kpaas connect` writes; synth must keep them. */
export const CONNECTION_FILES: readonly string[] = Object.freeze([CONNECTION_INVENTORY, CP_CLUSTER_VARS_CONNECTION]);

/** The shape of the `ansible` output's value. */
export interface AnsibleOutput {
  readonly ssh_user: string;
  readonly jump_host: string | null;
  readonly nodes: Readonly<Record<string, { readonly role: string; readonly private_ip: string; readonly public_ip: string | null }>>;
  readonly master_lb: { readonly vip: string; readonly public_ip: string | null };
  readonly worker_lb: { readonly vip: string; readonly public_ip: string | null };
  /** kakaocloud: where the NLBs' health checks come from (the subnet's health_check_ips), known after apply. */
  readonly health_check_ips?: readonly string[];
}

/** Variables the connection file sets on each host. */
interface ConnectionHostVars {
  readonly ansible_host: string;
  readonly ansible_ssh_common_args: string;
  /** Set only when the master LB has a public IP: the certificate then needs it too. */
  readonly supplementary_addresses_in_ssl_keys?: readonly string[];
  /** kakaocloud: the API endpoint is the master LB's private VIP, known only from the outputs. */
  readonly loadbalancer_apiserver?: { readonly address: string; readonly port: number };
}

/**
 * Host key policy: nodes fresh from `terraform apply` are unknown to known_hosts, so their key is
 * recorded on first contact and checked ever after (never disabled).
 */
const HOST_KEY_OPTION = '-o StrictHostKeyChecking=accept-new';

/**
 * Files to add to dist/ansible, from the parsed `terraform output -json` (all outputs, or the
 * `ansible` output's value alone). Throws one line naming the output key when anything is
 * missing, malformed or disagrees with the config.
 */
export function connectFromTerraformOutputs(outputsJson: unknown, config: PlatformConfig): Map<string, string> {
  const out = readAnsibleOutput(outputsJson, config);
  const first = config.nodes.masters.nodes[0];
  // kakaocloud: the private VIP is known only now, so it joins the SANs and becomes the endpoint
  const vipFromOutputs = config.loadBalancers.master.vip === undefined;
  const extraSans = out.master_lb.public_ip ? [out.master_lb.public_ip] : [];
  const sanList = vipFromOutputs
    ? [...new Set([out.master_lb.vip, ...apiServerSans(config, extraSans).filter((a) => a !== undefined)])]
    : apiServerSans(config, extraSans);
  // host variables, because the inventory's group_vars would win over group variables here
  const sans = {
    ...(extraSans.length > 0 || vipFromOutputs ? { supplementary_addresses_in_ssl_keys: sanList } : {}),
    ...(vipFromOutputs ? { loadbalancer_apiserver: { address: out.master_lb.vip, port: apiListener(config).port } } : {}),
  };

  const hosts: Record<string, ConnectionHostVars> = {};
  for (const node of config.nodes.all) {
    const publicIp = out.nodes[node.name].public_ip;
    let target: string;
    let args: string;
    if (publicIp) {
      target = publicIp;
      args = HOST_KEY_OPTION;
    } else if (out.jump_host) {
      target = node.privateIp;
      const proxy = `ssh -W %h:%p -q ${HOST_KEY_OPTION} ${out.ssh_user}@${out.jump_host}`;
      args = `-o ProxyCommand="${proxy}" ${HOST_KEY_OPTION}`;
    } else {
      throw new Error(
        `terraform output "${ANSIBLE_OUTPUT}": nodes.${node.name}.public_ip and jump_host are both null; ansible cannot reach ${node.name} from outside the VPC (give the nodes public IPs, or run ansible inside the VPC with the synthesized inventory alone)`,
      );
    }
    hosts[node.name] = { ansible_host: target, ansible_ssh_common_args: args, ...sans };
  }
  // Records which nodes the file was made for, so a stale file can be recognized (connectionMismatch).
  const made = Object.fromEntries(config.nodes.all.map((n) => [n.name, n.privateIp]));
  const inventory = yamlFile(
    [
      'Loaded after hosts.yaml: its host variables override the private addresses there.',
      out.jump_host ? `Nodes without a public IP are reached through ${out.ssh_user}@${out.jump_host}.` : 'Every node is reached at its public IP.',
      out.master_lb.public_ip ? `The master LB public IP ${out.master_lb.public_ip} is added to the API certificate.` : 'The master LB has no public IP.',
    ],
    { all: { hosts, vars: { kpaas_connection_nodes: made } } },
    {},
    `Written by kpaas connect from \`terraform output -json\` (output "${ANSIBLE_OUTPUT}"); synth keeps it. Run kpaas connect again after terraform apply.`,
  );
  const installer = installerFormat(config);
  return new Map([
    [CONNECTION_INVENTORY, inventory],
    // the installer's part, only on the tracks whose K-PaaS installer reads cp-cluster-vars.sh
    ...(installer
      ? [[CP_CLUSTER_VARS_CONNECTION, renderCpClusterVarsConnection(installer, first, out.nodes[first.name].public_ip, vipFromOutputs ? out.master_lb.vip : undefined)] as [string, string]]
      : []),
  ]);
}

/**
 * Why a connection inventory written earlier does not fit the config (nodes added, removed,
 * renamed or re-addressed since), or undefined when it fits. Lets synth warn about a stale file.
 */
export function connectionMismatch(connectionYaml: string, config: PlatformConfig): string | undefined {
  let made: unknown;
  try {
    made = (parse(connectionYaml) as { all?: { vars?: { kpaas_connection_nodes?: unknown } } })?.all?.vars?.kpaas_connection_nodes;
  } catch (e) {
    return `${CONNECTION_INVENTORY} is not valid YAML (${(e as Error).message.split('\n')[0]}); run kpaas connect again`;
  }
  if (!isRecord(made)) return `${CONNECTION_INVENTORY} does not say which nodes it was made for; run kpaas connect again`;
  const expected = Object.fromEntries(config.nodes.all.map((n) => [n.name, n.privateIp]));
  const names = new Set([...Object.keys(made), ...Object.keys(expected)]);
  for (const name of [...names].sort()) {
    if (made[name] !== expected[name]) {
      const was = made[name] === undefined ? 'absent' : JSON.stringify(made[name]);
      const now = expected[name] === undefined ? 'absent' : JSON.stringify(expected[name]);
      return `${CONNECTION_INVENTORY} was made for other nodes (${name}: ${was} there, ${now} in the config); run terraform apply and kpaas connect again`;
    }
  }
  return undefined;
}

/** Unwraps and checks the `ansible` output against the config; one-line errors name the key. */
export function readAnsibleOutput(outputsJson: unknown, config: PlatformConfig): AnsibleOutput {
  const where = `terraform output "${ANSIBLE_OUTPUT}"`;
  if (!isRecord(outputsJson)) {
    throw new Error(`terraform outputs: expected the JSON object printed by \`terraform output -json\`, got ${describe(outputsJson)}`);
  }
  let value: unknown;
  if ('nodes' in outputsJson && 'ssh_user' in outputsJson) {
    value = outputsJson; // `terraform output -json ansible` prints the value alone
  } else {
    const wrapped = outputsJson[ANSIBLE_OUTPUT];
    if (wrapped === undefined) {
      const found = Object.keys(outputsJson).sort();
      const listed = found.slice(0, MAX_LISTED).map(name);
      const more = found.length > MAX_LISTED ? ` and ${found.length - MAX_LISTED} more` : '';
      throw new Error(
        `terraform outputs: no output "${ANSIBLE_OUTPUT}" (found: ${found.length ? `${listed.join(', ')}${more}` : 'none'}); run terraform apply in dist/terraform/infra first`,
      );
    }
    if (!isRecord(wrapped) || !('value' in wrapped)) throw new Error(`${where}: expected { "value": ... } as terraform output -json prints it, got ${describe(wrapped)}`);
    value = wrapped.value;
  }
  if (!isRecord(value)) throw new Error(`${where}: value: expected an object, got ${describe(value)}`);

  const sshUser = value.ssh_user;
  if (typeof sshUser !== 'string' || sshUser === '') throw new Error(`${where}: ssh_user: expected the login user name, got ${describe(sshUser)}`);
  if (sshUser !== config.nodes.sshUser) {
    throw new Error(`${where}: ssh_user is ${describe(sshUser)} but nodes.sshUser in the config is ${JSON.stringify(config.nodes.sshUser)}; synth and terraform apply again`);
  }
  const jumpHost = optionalIp(value.jump_host, `${where}: jump_host`);

  const nodes = value.nodes;
  if (!isRecord(nodes)) throw new Error(`${where}: nodes: expected an object of nodes by name, got ${describe(nodes)}`);
  const count = Object.keys(nodes).length;
  if (count > MAX_OUTPUT_NODES) {
    throw new Error(`${where}: nodes: has ${count} entries; at most ${MAX_OUTPUT_NODES} are allowed (the configuration has at most ${MAX_NODES.master} masters and ${MAX_NODES.worker} workers)`);
  }
  const checked: Record<string, AnsibleOutput['nodes'][string]> = {};
  for (const node of config.nodes.all) {
    const n = nodes[node.name];
    const key = `${where}: nodes.${node.name}`;
    if (!isRecord(n)) throw new Error(`${key}: missing or not an object (got ${describe(n)}); the applied stack does not have this node: synth and terraform apply again`);
    if (n.role !== node.role) throw new Error(`${key}.role is ${describe(n.role)} but the config makes it a ${node.role}; synth and terraform apply again`);
    if (n.private_ip !== node.privateIp) {
      throw new Error(`${key}.private_ip is ${describe(n.private_ip)} but the config has ${JSON.stringify(node.privateIp)}; synth and terraform apply again`);
    }
    checked[node.name] = { role: node.role, private_ip: node.privateIp, public_ip: optionalIp(n.public_ip, `${key}.public_ip`) };
  }
  const unknown = Object.keys(nodes).filter((name) => !(name in checked)).sort();
  if (unknown.length > 0) {
    const listed = unknown.slice(0, MAX_LISTED).map(name);
    const more = unknown.length > MAX_LISTED ? ` and ${unknown.length - MAX_LISTED} more` : '';
    throw new Error(`${where}: nodes: ${listed.join(', ')}${more} not in the config; the applied stack is from another config: synth and terraform apply again`);
  }
  const lb = (role: 'master' | 'worker') => {
    const key = `${role}_lb`;
    const l = value[key];
    if (!isRecord(l)) throw new Error(`${where}: ${key}: expected { vip, public_ip }, got ${describe(l)}`);
    const vip = config.loadBalancers[role].vip ?? outputVip(l.vip, `${where}: ${key}.vip`, config);
    if (l.vip !== vip) throw new Error(`${where}: ${key}.vip is ${describe(l.vip)} but the config has ${JSON.stringify(vip)}; synth and terraform apply again`);
    return { vip, public_ip: optionalIp(l.public_ip, `${where}: ${key}.public_ip`) };
  };
  const checks = healthCheckIps(value.health_check_ips, `${where}: health_check_ips`, config);
  return { ssh_user: sshUser, jump_host: jumpHost, nodes: checked, master_lb: lb('master'), worker_lb: lb('worker'), ...(checks ? { health_check_ips: checks } : {}) };
}

/**
 * A VIP the cloud chose (kakaocloud): it must be an address of the subnet that no node, the
 * ingress IP or a MetalLB range claims, the checks the loader makes for configured VIPs.
 */
function outputVip(v: unknown, key: string, config: PlatformConfig): string {
  if (typeof v !== 'string' || !isIpv4(v)) throw new Error(`${key}: expected the load balancer's private IPv4 address, got ${describe(v)}`);
  const ip = ipToInt(v);
  const at = { first: ip, last: ip };
  const subnet = parseCidr(config.network.subnet.cidr)!;
  if (!contains(subnet, at)) throw new Error(`${key} is ${v}, outside the subnet ${config.network.subnet.cidr} (network.subnet.cidr); the applied stack is from another config`);
  const node = config.nodes.all.find((n) => n.privateIp === v);
  if (node) throw new Error(`${key} is ${v}, the address of ${node.name}; the cloud gave the VIP a node's address: check the subnet in the console`);
  if (v === config.ingress.ip) throw new Error(`${key} is ${v}, the ingress IP (ingress.ip); move ingress.ip off the load balancer's address, synth and run kpaas connect again`);
  [config.metallb.pool, ...config.metallb.extraRanges].forEach((r, i) => {
    if (contains(parseRange(r)!, at)) {
      const field = i === 0 ? 'metallb.pool' : `metallb.extraRanges[${i - 1}]`;
      throw new Error(`${key} is ${v}, inside the MetalLB range ${field} ${JSON.stringify(r)}; MetalLB would hand the address out again: move the range off it, synth and run kpaas connect again`);
    }
  });
  return v;
}

/**
 * The NLB health checkers' addresses (kakaocloud): the security groups admit them only as part of
 * the VPC CIDR, so an address outside it would mark every member down.
 */
function healthCheckIps(v: unknown, key: string, config: PlatformConfig): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((ip) => typeof ip !== 'string' || !isIpv4(ip))) throw new Error(`${key}: expected a list of IPv4 addresses, got ${describe(v)}`);
  const vpc = parseCidr(config.network.vpc.cidr)!;
  const outside = (v as string[]).filter((ip) => !contains(vpc, { first: ipToInt(ip), last: ipToInt(ip) }));
  if (outside.length > 0) {
    throw new Error(`${key}: ${outside.join(', ')} outside the VPC ${config.network.vpc.cidr} (network.vpc.cidr), the only source the security groups admit for health checks; the load balancers would mark every member down`);
  }
  return v as string[];
}

function optionalIp(v: unknown, key: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || !isIpv4(v)) throw new Error(`${key}: expected an IPv4 address or null, got ${describe(v)}`);
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A name for a message: bare when plain and short, else quoted and cut like any value. */
function name(key: string): string {
  return /^[A-Za-z0-9_.-]{1,60}$/.test(key) ? key : show(key);
}

/** A value for a message: cut to 60 characters with its length, never a private key (config's show). */
function describe(v: unknown): string {
  return show(v);
}
