import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, configWarnings, loadConfig, parseConfig } from '../../config';
import { configErrorOf } from '../support/config-error';

/** The message of the ConfigError that parsing `input` raises. */

describe('defaults are the seed cluster', () => {
  const c = parseConfig({});

  it('has the seed network', () => {
    expect(c.network.vpc).toEqual({ name: 'test-kpaas', cidr: '172.16.0.0/16' });
    expect(c.network.subnet).toEqual({ name: 'main_subnet', cidr: '172.16.0.0/24', dnsServers: [] });
    expect(c.network.mode).toBe('lookup');
    expect(c.cloud).toEqual({ provider: 'kakaocloud', region: 'kr-central-2', availabilityZone: 'kr-central-2-a' });
    expect(c.network.serviceCidr).toBe('10.233.0.0/18');
    expect(c.network.podCidr).toBe('10.233.64.0/18');
    expect(c.network.kubernetesServiceIp).toBe('10.233.0.1');
    expect(c.network.clusterDnsIp).toBe('10.233.0.3');
    expect(c.network.upstreamDns).toEqual(['8.8.8.8', '8.8.4.4']);
  });

  it('has the seed nodes with their IPs and sizes', () => {
    expect(c.nodes.all.map((n) => [n.name, n.role, n.privateIp])).toEqual([
      ['master-1', 'master', '172.16.0.192'],
      ['master-2', 'master', '172.16.0.157'],
      ['master-3', 'master', '172.16.0.254'],
      ['worker-1', 'worker', '172.16.0.12'],
      ['worker-2', 'worker', '172.16.0.78'],
      ['worker-3', 'worker', '172.16.0.30'],
    ]);
    for (const n of c.nodes.all) {
      expect([n.flavor, n.volumeSize, n.publicIp]).toEqual(['t1i.xlarge', 200, true]);
    }
    expect(c.nodes.image).toEqual({ name: 'Ubuntu 24.04' });
    expect(c.storage.nfsServer.name).toBe('master-1');
    expect(c.nodes.all.filter((n) => n.nfsServer).map((n) => n.name)).toEqual(['master-1']);
  });

  it('has the seed load balancers, ingress and MetalLB pool', () => {
    // Kakao's NLB takes no VIP (it reports one after apply); on openstack the VIPs are the seed's
    expect(c.loadBalancers.master.vip).toBeUndefined();
    expect(c.loadBalancers.worker.vip).toBeUndefined();
    const openstack = parseConfig({ cloud: { provider: 'openstack' } });
    expect(openstack.loadBalancers.master.vip).toBe('172.16.0.176');
    expect(openstack.loadBalancers.worker.vip).toBe('172.16.0.53');
    expect(c.loadBalancers.master.listeners.map((l) => [l.name, l.port, l.targetPort, l.monitor.type])).toEqual([
      ['api', 6443, 6443, 'HTTPS'],
      ['etcd', 2379, 2379, 'TCP'],
    ]);
    expect(c.loadBalancers.worker.listeners.map((l) => [l.name, l.port, l.targetPort])).toEqual([
      ['http', 80, 31080],
      ['https', 443, 31443],
    ]);
    expect(c.ingress).toEqual({ controller: 'ingress-nginx', ip: '172.16.0.201', httpNodePort: 31080, httpsNodePort: 31443 });
    expect(c.metallb).toEqual({ pool: '172.16.0.210-172.16.0.250', extraRanges: [] });
    expect(c.domain).toBe('k-paas.io');
    expect(c.versions).toEqual({ track: 'kpaas-1.6.2', kubernetes: 'v1.32.5', kpaas: 'v1.6.2' });
  });

  it('is deeply frozen', () => {
    expect(() => { (c.nodes.all[0] as { privateIp: string }).privateIp = '1.2.3.4'; }).toThrow(TypeError);
    expect(() => { (c.access.sshSourceCidrs as string[]).push('10.0.0.0/8'); }).toThrow(TypeError);
  });
});

describe('node groups', () => {
  it('takes IPs in order from a range', () => {
    const c = parseConfig({ nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } } });
    expect(c.nodes.masters.nodes.map((n) => `${n.name}=${n.privateIp}`)).toEqual([
      'master-1=172.16.0.100', 'master-2=172.16.0.101', 'master-3=172.16.0.102', 'master-4=172.16.0.103', 'master-5=172.16.0.104',
    ]);
    expect(c.nodes.workers.nodes).toHaveLength(7);
    expect(c.nodes.workers.nodes[6].privateIp).toBe('172.16.0.26');
  });

  it('uses explicit names and per-role flavors', () => {
    const c = parseConfig({ nodes: { workers: { names: ['app-a', 'app-b', 'app-c'], flavor: 't1i.2xlarge', publicIp: false } } });
    expect(c.nodes.workers.nodes.map((n) => [n.name, n.flavor, n.publicIp])).toEqual([
      ['app-a', 't1i.2xlarge', false], ['app-b', 't1i.2xlarge', false], ['app-c', 't1i.2xlarge', false],
    ]);
    expect(c.nodes.masters.nodes[0].flavor).toBe('t1i.xlarge');
  });

  it('moves the NFS server to another node', () => {
    const c = parseConfig({ storage: { nfsServer: 'worker-2', nfsPath: '/srv/nfs' } });
    expect(c.storage.nfsServer.privateIp).toBe('172.16.0.78');
    expect(c.storage.nfsPath).toBe('/srv/nfs');
  });
});

describe('validation', () => {
  it('fails on an unknown key, naming the allowed ones', () => {
    expect(configErrorOf({ nodes: { wokers: {} } })).toMatch(/^kpaas\.config\.yaml: nodes: unknown key "wokers"; allowed: image, sshUser, masters, workers$/);
  });

  it('fails on an unknown top-level key', () => {
    expect(configErrorOf({ clusterName: 'x' })).toMatch(/unknown key "clusterName"; allowed: name, domain, cloud/);
  });

  it('fails on overlapping service and pod CIDRs', () => {
    expect(configErrorOf({ network: { podCidr: '10.233.0.0/16' } }))
      .toMatch(/network\.podCidr: "10\.233\.0\.0\/16" overlaps network\.serviceCidr "10\.233\.0\.0\/18"/);
  });

  it('fails when the service CIDR overlaps the VPC', () => {
    expect(configErrorOf({ network: { serviceCidr: '172.16.128.0/18' } }))
      .toMatch(/network\.serviceCidr: "172\.16\.128\.0\/18" overlaps network\.vpc\.cidr "172\.16\.0\.0\/16"/);
  });

  it('fails on a subnet outside the VPC', () => {
    expect(configErrorOf({ network: { subnet: { cidr: '10.0.0.0/24' } } })).toMatch(/network\.subnet\.cidr: "10\.0\.0\.0\/24" is not inside the VPC/);
  });

  it('fails on a CIDR with host bits set', () => {
    expect(configErrorOf({ network: { vpc: { cidr: '172.16.0.1/16' } } })).toMatch(/network\.vpc\.cidr: "172\.16\.0\.1\/16" is not an IPv4 CIDR block/);
  });

  it('fails on a node IP outside the subnet', () => {
    expect(configErrorOf({ nodes: { workers: { ips: ['172.16.1.5', '172.16.0.78', '172.16.0.30'] } } }))
      .toMatch(/nodes\.workers\.ips\[0\]: "172\.16\.1\.5" is outside the subnet "172\.16\.0\.0\/24"/);
  });

  it('fails on a node on the subnet\'s broadcast address', () => {
    expect(configErrorOf({ nodes: { workers: { ips: ['172.16.0.255', '172.16.0.78', '172.16.0.30'] } } })).toMatch(/nodes\.workers\.ips\[0\]: "172\.16\.0\.255" is outside the subnet/);
  });

  it('fails on an LB VIP outside the subnet', () => {
    expect(configErrorOf({ cloud: { provider: 'openstack' }, loadBalancers: { master: { vip: '172.16.5.176' } } })).toMatch(/loadBalancers\.master\.vip: "172\.16\.5\.176" is outside the subnet/);
  });

  it('fails on a duplicate IP between roles', () => {
    expect(configErrorOf({ nodes: { workers: { ips: ['172.16.0.192', '172.16.0.78', '172.16.0.30'] } } }))
      .toMatch(/nodes\.workers\.ips\[0\]: "172\.16\.0\.192" is already used by nodes\.masters\.ips\[0\]/);
  });

  it('fails on a duplicate IP with a load balancer VIP', () => {
    expect(configErrorOf({ cloud: { provider: 'openstack' }, loadBalancers: { worker: { vip: '172.16.0.12' } } }))
      .toMatch(/loadBalancers\.worker\.vip: "172\.16\.0\.12" is already used by nodes\.workers\.ips\[0\]/);
  });

  it('fails on duplicate node names', () => {
    expect(configErrorOf({ nodes: { workers: { names: ['w1', 'w2', 'w1'] } } })).toMatch(/nodes\.workers\.names\[2\]: "w1" is used twice/);
  });

  it('fails on a node name used by both roles', () => {
    expect(configErrorOf({ nodes: { workers: { namePrefix: 'master' } } })).toMatch(/nodes\.workers\.names\[0\]: "master-1" is used twice \(also nodes\.masters\.names\[0\]\)/);
  });

  it('fails when the MetalLB pool overlaps a node', () => {
    expect(configErrorOf({ metallb: { pool: '172.16.0.190-172.16.0.200' } }))
      .toMatch(/metallb\.pool: "172\.16\.0\.190-172\.16\.0\.200" overlaps nodes\.masters\.ips\[0\] "172\.16\.0\.192"/);
  });

  it('fails when the MetalLB pool contains the ingress IP', () => {
    expect(configErrorOf({ ingress: { ip: '172.16.0.220' } })).toMatch(/metallb\.pool: "172\.16\.0\.210-172\.16\.0\.250" overlaps ingress\.ip "172\.16\.0\.220"/);
  });

  it('fails when the MetalLB pool lies outside the subnet', () => {
    expect(configErrorOf({ metallb: { extraRanges: ['172.16.1.0-172.16.1.50'] } }))
      .toMatch(/metallb\.extraRanges\[0\]: "172\.16\.1\.0-172\.16\.1\.50" is outside the subnet "172\.16\.0\.0\/24"/);
  });

  it('fails when two MetalLB ranges overlap', () => {
    expect(configErrorOf({ metallb: { extraRanges: ['172.16.0.240-172.16.0.252'] } })).toMatch(/metallb\.extraRanges\[0\]: .* overlaps metallb\.pool/);
  });

  it('fails when the ingress IP is a node\'s', () => {
    expect(configErrorOf({ ingress: { ip: '172.16.0.30' } })).toMatch(/ingress\.ip: "172\.16\.0\.30" is already used by nodes\.workers\.ips\[2\]/);
  });

  it('fails when the ingress IP is outside the subnet', () => {
    expect(configErrorOf({ ingress: { ip: '192.168.0.1' } })).toMatch(/ingress\.ip: "192\.168\.0\.1" is outside the subnet/);
  });

  it('fails on an even number of masters', () => {
    expect(configErrorOf({ nodes: { masters: { count: 4, ipRange: '172.16.0.100-172.16.0.110' } } }))
      .toMatch(/nodes\.masters\.count: 4 is even; etcd .* odd number of members/);
  });

  it('fails on an even number of masters given as IPs', () => {
    expect(configErrorOf({ nodes: { masters: { ips: ['172.16.0.192', '172.16.0.157'] } } })).toMatch(/nodes\.masters\.count: 2 is even/);
  });

  it('fails on zero workers', () => {
    expect(configErrorOf({ nodes: { workers: { ips: [] } } })).toMatch(/nodes\.workers\.count: 0 workers/);
  });

  it('fails when count and the IP list disagree', () => {
    expect(configErrorOf({ nodes: { workers: { count: 4 } } })).toMatch(/nodes\.workers\.count: 4 does not match the 3 IPs of the default nodes\.workers\.ips/);
  });

  it('fails when a range is too small for the count', () => {
    expect(configErrorOf({ nodes: { workers: { count: 5, ipRange: '172.16.0.20-172.16.0.22' } } })).toMatch(/nodes\.workers\.ipRange: "172\.16\.0\.20-172\.16\.0\.22" holds 3 addresses but nodes\.workers\.count is 5/);
  });

  it('fails when both ips and ipRange are set', () => {
    expect(configErrorOf({ nodes: { workers: { ips: ['172.16.0.20'], ipRange: '172.16.0.20-172.16.0.22' } } })).toMatch(/nodes\.workers\.ipRange: .* is set together with nodes\.workers\.ips/);
  });

  it('fails on an invalid hostname', () => {
    expect(configErrorOf({ nodes: { masters: { namePrefix: 'Master_' } } })).toMatch(/nodes\.masters\.namePrefix: "Master_" is not a valid hostname/);
  });

  it('fails on an invalid domain', () => {
    expect(configErrorOf({ domain: 'k_paas' })).toMatch(/domain: "k_paas" is not a valid DNS domain/);
  });

  it('fails on a NodePort outside 30000-32767', () => {
    expect(configErrorOf({ ingress: { httpsNodePort: 443 } })).toMatch(/ingress\.httpsNodePort: 443 is outside the NodePort range 30000-32767/);
  });

  it('fails on equal NodePorts', () => {
    expect(configErrorOf({ ingress: { httpsNodePort: 31080 } })).toMatch(/ingress\.httpsNodePort: 31080 equals ingress\.httpNodePort/);
  });

  it('fails on a malformed version string', () => {
    expect(configErrorOf({ versions: { kubernetes: '1.32.5' } })).toMatch(/versions\.kubernetes: "1\.32\.5" is not a version of the form vMAJOR\.MINOR\.PATCH/);
  });

  it('fails on an unknown enum value, listing the allowed ones', () => {
    expect(configErrorOf({ network: { mode: 'existing' } })).toMatch(/network\.mode: "existing" is not allowed; allowed: "lookup", "create"/);
  });

  it('fails on a wrong type', () => {
    expect(configErrorOf({ nodes: { masters: { volumeSize: '200GB' } } })).toMatch(/nodes\.masters\.volumeSize: "200GB" is not a number/);
  });

  it('fails on a version YAML read as a number, saying to quote it', () => {
    expect(configErrorOf({ versions: { kubernetes: 1.32 } })).toMatch(/versions\.kubernetes: 1\.32 is not a string; quote it if you meant the text "1\.32"$/);
  });

  it('fails on an unknown backend type', () => {
    expect(configErrorOf({ terraform: { backend: { type: 'gcs' } } })).toMatch(/terraform\.backend\.type: "gcs" is not allowed; allowed: "local", "s3"/);
  });

  it('fails on an s3 backend without a bucket', () => {
    expect(configErrorOf({ terraform: { backend: { type: 's3' } } })).toMatch(/terraform\.backend\.bucket: is required/);
  });

  it('fails on an absolute local state path', () => {
    expect(configErrorOf({ terraform: { backend: { type: 'local', path: '/var/state.tfstate' } } })).toMatch(/terraform\.backend\.path: "\/var\/state\.tfstate" must be relative/);
  });

  it('fails on an NFS server that is not a node', () => {
    expect(configErrorOf({ storage: { nfsServer: 'nfs-1' } })).toMatch(/storage\.nfsServer: "nfs-1" is not a node name; allowed: master-1, master-2/);
  });

  it('fails on an invalid source CIDR', () => {
    expect(configErrorOf({ access: { sshSourceCidrs: ['203.0.113.7'] } })).toMatch(/access\.sshSourceCidrs\[0\]: "203\.0\.113\.7" is not an IPv4 CIDR block/);
  });

  it('fails on a malformed public key', () => {
    expect(configErrorOf({ access: { keyPair: { publicKey: 'not-a-key' } } })).toMatch(/access\.keyPair\.publicKey: "not-a-key" is not an OpenSSH public key/);
  });

  it('fails on a duplicate master LB port', () => {
    expect(configErrorOf({ loadBalancers: { master: { ports: [6443, 6443] } } })).toMatch(/loadBalancers\.master\.ports\[1\]: 6443 is listed twice/);
  });

  it('fails when the master LB does not forward the API port', () => {
    expect(configErrorOf({ loadBalancers: { master: { ports: [2379] } } })).toMatch(/loadBalancers\.master\.ports: \[2379\] has no 6443; the master LB is the cluster's API endpoint/);
  });

  it('fails when the NFS export is the root file system', () => {
    expect(configErrorOf({ storage: { nfsPath: '/' } })).toMatch(/storage\.nfsPath: "\/" would export the root file system/);
  });

  it('fails when the NFS export climbs out with ..', () => {
    expect(configErrorOf({ storage: { nfsPath: '/data/../etc' } })).toMatch(/storage\.nfsPath: "\/data\/\.\.\/etc" would export/);
  });

  it('fails when the NFS export is a system directory', () => {
    expect(configErrorOf({ storage: { nfsPath: '/etc/' } })).toMatch(/storage\.nfsPath: "\/etc\/" is a system directory/);
  });

  it('fails on an even number of OpenBao servers', () => {
    expect(configErrorOf({ openbao: { replicas: 2 } })).toMatch(/openbao\.replicas: 2 must be odd: Raft needs a majority/);
  });

  it('fails on a secrets folder given as an absolute path', () => {
    expect(configErrorOf({ secrets: { dir: '/etc/kpaas' } })).toMatch(/secrets\.dir: "\/etc\/kpaas" must be relative to the project directory/);
  });

  it('fails on a registry mirror given with a scheme', () => {
    expect(configErrorOf({ images: { mirrors: { 'docker.io': 'https://harbor.k-paas.io/dockerhub' } } }))
      .toMatch(/images\.mirrors\.docker\.io: "https:\/\/harbor\.k-paas\.io\/dockerhub" is not a registry host with an optional project path/);
  });

  it('normalizes the NFS export path', () => {
    expect(parseConfig({ storage: { nfsPath: '/srv//nfs/' } }).storage.nfsPath).toBe('/srv/nfs');
  });

  it('reports every problem, one line each', () => {
    const lines = configErrorOf({ domain: 'BAD', ingress: { httpNodePort: 1 } }).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^kpaas\.config\.yaml: domain: /);
    expect(lines[1]).toMatch(/^kpaas\.config\.yaml: ingress\.httpNodePort: 1 is outside/);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-config-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('uses the defaults without a file', () => {
    expect(loadConfig({ cwd: dir }).nodes.all).toHaveLength(6);
  });

  it('reads kpaas.config.yaml from the working directory', () => {
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), 'domain: example.org\nnodes:\n  workers:\n    count: 4\n    ipRange: 172.16.0.20-172.16.0.29\n');
    const c = loadConfig({ cwd: dir });
    expect(c.domain).toBe('example.org');
    expect(c.nodes.workers.nodes.map((n) => n.privateIp)).toEqual(['172.16.0.20', '172.16.0.21', '172.16.0.22', '172.16.0.23']);
  });

  it('treats an empty file as the defaults', () => {
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), '# nothing yet\n');
    expect(loadConfig({ cwd: dir }).domain).toBe('k-paas.io');
  });

  it('fails on a named file that does not exist', () => {
    expect(() => loadConfig({ cwd: dir, file: 'missing.yaml' })).toThrow(/^missing\.yaml: file not found$/);
  });

  it('fails on invalid YAML with the line', () => {
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), 'domain: [unclosed\n');
    expect(() => loadConfig({ cwd: dir })).toThrow(/^kpaas\.config\.yaml: line \d+, column \d+: invalid YAML/);
  });

  it('fails on a duplicate key in YAML', () => {
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), 'domain: a.io\ndomain: b.io\n');
    expect(() => loadConfig({ cwd: dir })).toThrow(/invalid YAML: Map keys must be unique/);
  });

  it('fails on a file that is not a mapping', () => {
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), '- a\n- b\n');
    expect(() => loadConfig({ cwd: dir })).toThrow(/the file must hold a mapping of settings/);
  });
});

describe('bounded, safe messages', () => {
  /** A private-key header, built from parts: no tracked file may hold it literally. */
  const header = (kind: string) => ['-----BEGIN', kind, 'KEY-----'].filter(Boolean).join(' ');

  it('fails on .inf and .nan, naming the value as written', () => {
    expect(configErrorOf({ nodes: { workers: { count: Infinity } } })).toBe('kpaas.config.yaml: nodes.workers.count: .inf is not a finite number');
    expect(configErrorOf({ nodes: { workers: { count: -Infinity } } })).toBe('kpaas.config.yaml: nodes.workers.count: -.inf is not a finite number');
    expect(configErrorOf({ nodes: { workers: { count: NaN } } })).toBe('kpaas.config.yaml: nodes.workers.count: .nan is not a finite number');
  });

  it('fails on a private key pasted as the public key without echoing it', () => {
    const pem = `${header('RSA PRIVATE')}\nMIIEpAIBAAKCAQEAsecretsecret\n${header('RSA PRIVATE').replace('BEGIN', 'END')}\n`;
    const message = configErrorOf({ access: { keyPair: { publicKey: pem } } });
    expect(message).toBe('kpaas.config.yaml: access.keyPair.publicKey: looks like a PEM private key (not shown); paste the public key instead, the one line of the .pub file ("ssh-ed25519 AAAA... comment")');
    const openssh = `${header('OPENSSH PRIVATE')}\nb3BlbnNzaC1rZXktdjEAAAAAsecret\n`;
    expect(configErrorOf({ access: { keyPair: { publicKey: openssh } } })).toBe('kpaas.config.yaml: access.keyPair.publicKey: looks like an OpenSSH private key (not shown); paste the public key instead, the one line of the .pub file ("ssh-ed25519 AAAA... comment")');
  });

  it('fails on a private key in any other field without echoing it', () => {
    const pem = `${header('PRIVATE')}\nMIIEvQIBADANsecret\n`;
    expect(configErrorOf({ name: pem })).toBe(`kpaas.config.yaml: name: (a PEM private key, ${pem.length} characters, not shown) is not a valid hostname: lower-case letters, digits and "-", 1-63 characters, starting and ending with a letter or digit`);
  });

  it('fails on a 10 MB value, showing it cut, with its length', () => {
    expect(configErrorOf({ domain: 'a'.repeat(10 * 1024 * 1024) }))
      .toBe(`kpaas.config.yaml: domain: "${'a'.repeat(60)}…" (10485760 characters) is not a valid DNS domain (lower-case labels separated by dots, e.g. k-paas.io)`);
  });

  it('fails on an unknown key of 1 MB, showing it cut', () => {
    expect(configErrorOf({ [`x${'y'.repeat(1000000)}`]: 1 }))
      .toMatch(new RegExp(`^kpaas\\.config\\.yaml: unknown key "xy{59}…" \\(1000001 characters\\); allowed: name, domain, cloud, `));
  });

  it('lists at most 20 problems and counts the rest', () => {
    const lines = configErrorOf({ network: { upstreamDns: Array.from({ length: 30 }, (_, i) => `bad-${i}`) } }).split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('kpaas.config.yaml: ... and 10 more problems (fix these first)');
  });

  it('fails on a bad registry mirror key, saying what a key may be', () => {
    expect(configErrorOf({ images: { mirrors: { 'HTTPS://Docker.io': 'harbor.k-paas.io/dockerhub' } } }))
      .toBe('kpaas.config.yaml: images.mirrors: key "HTTPS://Docker.io" is not a registry host: lower-case letters, digits, "." and "-", with an optional ":port" (e.g. docker.io, quay.io, registry.k8s.io)');
  });

  it('fails on an unknown backend key, listing the keys of that backend', () => {
    expect(configErrorOf({ terraform: { backend: { type: 's3', bucket: 'b', regoin: 'x' } } }))
      .toBe('kpaas.config.yaml: terraform.backend: unknown key "regoin"; allowed: type, bucket, key, endpoint, region');
    expect(configErrorOf({ terraform: { backend: { type: 'local', bucket: 'b' } } }))
      .toBe('kpaas.config.yaml: terraform.backend: unknown key "bucket"; allowed: type, path');
  });

  it('fails on a backend without a type, saying which are allowed', () => {
    expect(configErrorOf({ terraform: { backend: { bucket: 'b' } } }))
      .toBe('kpaas.config.yaml: terraform.backend.type: is required; allowed: "local", "s3"');
  });

  it('fails on a setting with no value, saying what it needs', () => {
    expect(configErrorOf({ nodes: { workers: { count: null } } })).toBe('kpaas.config.yaml: nodes.workers.count: has no value; give a number or remove the key');
    expect(configErrorOf({ access: { sshSourceCidrs: null } })).toBe('kpaas.config.yaml: access.sshSourceCidrs: has no value; give a list or remove the key');
  });
});

describe('empty files and sections', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-config-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (text: string) => {
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), text);
    return loadConfig({ cwd: dir });
  };

  it('accepts an empty file as the seed defaults, with one warning', () => {
    const c = load('# nothing yet\n');
    expect(c.nodes.all).toHaveLength(6);
    expect(configWarnings(c)[0]).toBe("kpaas.config.yaml: the file is empty: using the seed's defaults");
    expect(configWarnings(c).filter((w) => w.includes('empty'))).toHaveLength(1);
  });

  it('accepts a section with nothing under it as absent, with a warning naming it', () => {
    const c = load('domain: example.org\nnodes:\n  # workers:\n  #   count: 5\nimages:\n  mirrors:\n');
    expect(c.nodes.workers.nodes).toHaveLength(3);
    expect(c.domain).toBe('example.org');
    expect(configWarnings(c).slice(0, 2)).toEqual([
      'kpaas.config.yaml: nodes: has nothing under it: using its defaults, as when it is absent',
      'kpaas.config.yaml: images.mirrors: has nothing under it: using its defaults, as when it is absent',
    ]);
  });

  it('accepts a nested section with nothing under it the same way', () => {
    const c = load('nodes:\n  workers:\n  masters:\n    namePrefix: cp\n');
    expect(c.nodes.workers.nodes).toHaveLength(3);
    expect(c.nodes.masters.nodes.map((n) => n.name)).toEqual(['cp-1', 'cp-2', 'cp-3']);
    expect(configWarnings(c)[0]).toBe('kpaas.config.yaml: nodes.workers: has nothing under it: using its defaults, as when it is absent');
  });

  it('warns about nothing in a complete file on a track whose Kubernetes is supported', () => {
    const c = load('domain: example.org\naccess:\n  sshSourceCidrs: [203.0.113.0/24]\n  apiSourceCidrs: [203.0.113.0/24]\n');
    // kpaas-1.6.2's Kubernetes 1.32 is past its end of life after 2026-02-28 (test/config/tracks.test.ts)
    expect(configWarnings(c, new Date('2026-01-15T00:00:00Z'))).toEqual([]);
  });
});

describe('limits', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-config-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const failure = (text: string) => {
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), text);
    // CPU time of this process, not wall time: other processes on a shared machine do not count
    const t = process.cpuUsage();
    try {
      loadConfig({ cwd: dir });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const used = process.cpuUsage(t);
      return { message: (e as Error).message, ms: (used.user + used.system) / 1000 };
    }
    throw new Error('expected a ConfigError');
  };

  it('fails fast on a file over 1 MiB', () => {
    const r = failure(`name: ${'a'.repeat(1024 * 1024)}\n`);
    expect(r.message).toBe('kpaas.config.yaml: the file is 1048583 bytes; a configuration is at most 1048576 bytes (1 MiB)');
    expect(r.ms).toBeLessThan(1000);
  });

  it('accepts a list of 500 entries and nesting of 64 levels', () => {
    const ips = Array.from({ length: 500 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    fs.writeFileSync(path.join(dir, 'kpaas.config.yaml'), `network:\n  upstreamDns: [${ips.join(', ')}]\n`);
    expect(loadConfig({ cwd: dir }).network.upstreamDns).toHaveLength(500);
    // 64 levels: the root mapping and 63 lists; the schema then rejects the key
    expect(failure(`x: ${'['.repeat(63)}${']'.repeat(63)}\n`).message).toMatch(/^kpaas\.config\.yaml: unknown key "x"/);
  });

  it('fails fast on flow nesting deeper than 64 levels', () => {
    const r = failure(`a:\n  b: ${'{c: '.repeat(100)}1${'}'.repeat(100)}\n`);
    expect(r.message).toBe('kpaas.config.yaml: line 2, column 254: nested more than 64 levels deep; the settings nest at most 4 levels');
    expect(r.ms).toBeLessThan(1000);
  });

  it('fails on nesting the scan misses, by the check of the parsed tree', () => {
    // a quote inside a plain value (x 'y) is no quote to YAML, but hides the rest from the scan
    let text = "a: x 'y\n";
    for (let i = 0; i < 70; i++) text += `${' '.repeat(i)}k${i}:\n`;
    expect(failure(text).message).toBe('kpaas.config.yaml: line 66, column 65: nested more than 64 levels deep; the settings nest at most 4 levels');
  });

  it('fails on an alias inside the value it refers to, and on one before its anchor', () => {
    expect(failure('a: &a [1, *a]\n').message).toBe('kpaas.config.yaml: line 1, column 11: invalid YAML: the alias *a is inside the value it refers to');
    expect(failure('a: *b\nb: &b 1\n').message).toBe('kpaas.config.yaml: line 1, column 4: invalid YAML: the alias *b has no anchor &b before it');
  });

  it('fails on a mapping with more than 500 keys', () => {
    const r = failure(`images:\n  mirrors:\n${Array.from({ length: 501 }, (_, i) => `    r${i}.io: m.io\n`).join('')}`);
    expect(r.message).toBe('kpaas.config.yaml: images.mirrors: has 501 entries; a list or mapping holds at most 500');
  });

  it('fails fast on many aliases of one value', () => {
    const r = failure(`a: &a x\nb: [${Array(20000).fill('*a').join(', ')}]\n`);
    expect(r.message).toBe('kpaas.config.yaml: b: has 20000 entries; a list or mapping holds at most 500');
    expect(r.ms).toBeLessThan(1000);
  });
});
