/**
 * The contract with kubespray itself: kubespray's own inventory validation runs over the rendered
 * dist/ansible, and the kubespray templates that carry our settings are rendered with kubespray's
 * own role defaults: kubespray v2.28.1 (ansible-core 2.16.12) for the seed and for a scaled config,
 * and every other release track's kubespray over the seed config on that track (kpaas-1.7.0:
 * v2.29.0 with 2.17.5; upstream: v2.31.0 with 2.17.5, below the 2.18 its version gate wants, which
 * the probe does not run). The assertions read what kubespray would install, not what our
 * group_vars say, so a variable that kubespray ignores (a wrong name, a condition it is not
 * rendered under) fails here.
 * One ansible-playbook process per config (kubespray-probe.ts): the seed's three started together,
 * each other track's when its tests start. Skipped with a visible SKIPPED line where
 * ../shared/upstream or the Python libraries are absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, parse } from 'yaml';
import { parseConfig, type PlatformConfig } from '../../config';
import { DEFAULT_TRACK, offlineAnsibleCore, TRACK_IDS, TRACKS } from '../../config/tracks';
import { connectFromTerraformOutputs, INSTALLER_VARS } from '../../ansible';
import { kubesprayRoute, probeTarget, probeUnavailable, removeProbe, startProbe, type ProbeResult } from './kubespray-probe';
import { KAKAO_APPLIED, kakaoOutputs, renderAnsibleAsCli } from './support';

const unavailable = probeUnavailable();
if (unavailable) console.warn(`SKIPPED: kubespray contract tests: ${unavailable}`);
const describeProbe = unavailable ? describe.skip : describe;

const CIPHERS = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** A document of kubeadm's multi-document configuration, by kind. */
function kubeadmDoc(probe: ProbeResult, kind: string): any {
  const text = probe.rendered.get('kubeadm-config.yaml') ?? '';
  const doc = parseAllDocuments(text).map((d) => d.toJS()).find((d) => d?.kind === kind);
  if (!doc) throw new Error(`kubeadm-config.yaml has no ${kind}`);
  return doc;
}

/** kube-apiserver's flags as kubeadm v1beta4 lists them (name/value pairs). */
function apiServerFlags(probe: ProbeResult): Record<string, string> {
  const args = kubeadmDoc(probe, 'ClusterConfiguration').apiServer.extraArgs as Array<{ name: string; value: unknown }>;
  return Object.fromEntries(args.map((a) => [a.name, String(a.value)]));
}

/** The env of a container (or init container) of the rendered calico-node DaemonSet. */
function calicoEnv(probe: ProbeResult, name: string): Record<string, string> {
  const ds = parseAllDocuments(probe.rendered.get('calico-node.yml') ?? '').map((d) => d.toJS()).find((d) => d?.kind === 'DaemonSet');
  const pod = ds.spec.template.spec;
  const container = [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === name);
  if (!container) throw new Error(`calico-node.yml has no container ${name}`);
  return Object.fromEntries((container.env as Array<{ name: string; value?: string }>).filter((e) => e.value !== undefined).map((e) => [e.name, String(e.value)]));
}

/** The MTUs calico-node is given: the CNI plugin's (install-cni) and Felix's VXLAN device. */
function calicoMtus(probe: ProbeResult): Record<string, string | undefined> {
  return { CNI_MTU: calicoEnv(probe, 'install-cni').CNI_MTU, FELIX_VXLANMTU: calicoEnv(probe, 'calico-node').FELIX_VXLANMTU };
}

/** The Corefile and the hosts file of a rendered DNS ConfigMap. */
function dnsConfig(probe: ProbeResult, file: string): { corefile: string; hosts: string } {
  const cm = parseAllDocuments(probe.rendered.get(file) ?? '').map((d) => d.toJS()).find((d) => d?.kind === 'ConfigMap');
  return { corefile: String(cm.data.Corefile), hosts: String(cm.data.hosts) };
}

function envFile(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const MASTER_LB_VIP = KAKAO_APPLIED.masterLb.vip;

/** Shared assertions: what every config must get from kubespray; `vip` is the master LB's private VIP. */
function commonContract(config: PlatformConfig, vip: string, get: () => ProbeResult): void {
  const hostsLine = `${config.ingress.ip} ${[config.hosts.apex, config.hosts.keycloak, config.hosts.openbao, config.hosts.harbor, config.hosts.chartmuseum, config.hosts.portal].join(' ')}`;

  it("passes kubespray's inventory validation on every host", () => {
    const probe = get();
    expect(probe.log).toContain('validate_inventory : Stop if even number of etcd hosts');
    expect(probe.log).not.toMatch(/fatal:|failed=[1-9]|ERROR!/);
    for (const n of config.nodes.all) expect(probe.log).toMatch(new RegExp(`${n.name}\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0`));
    expect(probe.status).toBe(0);
  });

  it('gives the API server the OIDC, encryption, admission and cipher flags', () => {
    const probe = get();
    const flags = apiServerFlags(probe);
    expect(flags).toMatchObject({
      'oidc-issuer-url': config.identity.issuerUrl,
      'oidc-client-id': config.identity.kubernetesClientId,
      'oidc-ca-file': '/etc/ssl/certs/ca-certificates.crt',
      'oidc-username-claim': config.identity.usernameClaim,
      'oidc-username-prefix': config.identity.usernamePrefix,
      'oidc-groups-claim': config.identity.groupsClaim,
      'oidc-groups-prefix': config.identity.groupsPrefix,
      'encryption-provider-config': '/etc/kubernetes/ssl/secrets_encryption.yaml',
      'enable-admission-plugins': 'NodeRestriction,PodSecurity,EventRateLimit',
      'admission-control-config-file': '/etc/kubernetes/admission-controls.yaml',
      'tls-cipher-suites': CIPHERS.join(','),
      'kubelet-certificate-authority': '/etc/kubernetes/ssl/ca.crt',
      'audit-log-path': '/var/log/audit/kube-apiserver-audit.log',
    });
    const sans = kubeadmDoc(probe, 'ClusterConfiguration').apiServer.certSANs as string[];
    expect(sans).toEqual(expect.arrayContaining(['cluster-endpoint', vip, ...config.nodes.masters.nodes.map((n) => n.privateIp)]));
    const encryption = parse(probe.rendered.get('secrets_encryption.yaml') ?? '');
    expect(Object.keys(encryption.resources[0].providers[0])).toEqual(['secretbox']);
  });

  it('writes the admission configuration K-PaaS uses: Pod Security defaults and event rate limits', () => {
    const probe = get();
    const admission = parse(probe.rendered.get('admission-controls.yaml') ?? '');
    expect(admission.plugins.map((p: any) => p.name)).toEqual(['PodSecurity', 'EventRateLimit']);
    const pss = parse(probe.rendered.get('podsecurity.yaml') ?? '');
    // kubespray pins the policy version to the Kubernetes minor it installs
    const minor = config.versions.kubernetes.replace(/^(v\d+\.\d+)\..*$/, '$1');
    expect(pss.defaults).toEqual({ enforce: 'privileged', 'enforce-version': minor, audit: 'restricted', 'audit-version': minor, warn: 'restricted', 'warn-version': minor });
    expect(pss.exemptions.namespaces).toEqual(['kube-system']);
    expect(parse(probe.rendered.get('eventratelimit.yaml') ?? '').limits).toEqual([
      { type: 'Namespace', qps: 50, burst: 100, cacheSize: 2000 },
      { type: 'User', qps: 10, burst: 50 },
    ]);
  });

  it('keeps the Secrets encryption key outside dist, in the secrets folder', () => {
    const probe = get();
    const creds = path.join(probe.project, config.secrets.dir, 'kubespray-credentials', 'kube_encrypt_token.creds');
    expect(fs.existsSync(creds)).toBe(true);
    expect(fs.existsSync(path.join(probe.project, 'dist', 'ansible', 'inventory', 'credentials'))).toBe(false);
  });

  it("sets calico-node's MTU and the CNI MTU to the VPC MTU minus VXLAN", () => {
    const probe = get();
    expect(calicoMtus(probe)).toEqual({ CNI_MTU: '1450', FELIX_VXLANMTU: '1450' });
    const cm = parseAllDocuments(probe.rendered.get('calico-config.yml') ?? '').map((d) => d.toJS()).find((d) => d?.kind === 'ConfigMap');
    const cni = JSON.parse(cm.data.cni_network_config);
    expect(cni.plugins.find((p: any) => p.type === 'calico').mtu).toBe(1450);
  });

  it('answers the platform names with the ingress IP in CoreDNS and nodelocaldns', () => {
    const probe = get();
    for (const file of ['coredns-config.yml', 'nodelocaldns-config.yml']) {
      const { corefile, hosts } = dnsConfig(probe, file);
      expect(corefile).toMatch(/hosts \/etc\/coredns\/hosts \{\s*fallthrough\s*\}/);
      expect(hosts.trim()).toBe(hostsLine);
    }
  });

  it('lets CRI-O resolve no short image names', () => {
    expect(get().rendered.get('crio-unqualified.conf')?.trim()).toBe('unqualified-search-registries = []');
  });

  it("gives etcd K-PaaS's cipher suites", () => {
    expect(envFile(get().rendered.get('etcd.env') ?? '').ETCD_CIPHER_SUITES).toBe(CIPHERS.join(','));
  });

  it("writes the member settings the README's etcd restore reads from /etc/etcd.env", () => {
    const env = envFile(get().rendered.get('etcd.env') ?? '');
    const masters = config.nodes.masters.nodes;
    expect(env).toMatchObject({
      ETCD_NAME: 'etcd1',
      ETCD_INITIAL_CLUSTER: masters.map((m) => `etcd${m.index}=https://${m.privateIp}:2380`).join(','),
      ETCD_INITIAL_ADVERTISE_PEER_URLS: `https://${masters[0].privateIp}:2380`,
    });
    expect(env.ETCD_INITIAL_CLUSTER_TOKEN).toMatch(/\S/);
    expect(renderAnsibleAsCli(config).get('README.md')).toContain(`For this cluster \`ETCD_INITIAL_CLUSTER\` is \`${env.ETCD_INITIAL_CLUSTER}\``);
  });

  it("has kubelets ask for serving certificates and kubespray's approver approve only this cluster's nodes", () => {
    const probe = get();
    expect(parse(probe.rendered.get('kubelet-config.yaml') ?? '')).toMatchObject({ serverTLSBootstrap: true, rotateCertificates: true });
    const names = config.nodes.all.map((n) => n.name);
    const approver = JSON.parse(probe.rendered.get('kubelet-csr-approver.json') ?? '{}');
    expect(approver).toEqual({ enabled: true, values: { providerRegex: `^(${names.join('|')})$`, providerIpPrefixes: [config.network.subnet.cidr], bypassDnsResolution: true } });
    const regex = new RegExp(approver.values.providerRegex);
    expect(names.every((n) => regex.test(n))).toBe(true);
    expect(regex.test(`${names[0]}.evil`)).toBe(false);
  });

  // only where the track's kubespray has the addon (kubespray v2.31 has none: upstream's ingress is in dist/manifests)
  if (TRACKS[config.versions.track].kubesprayNames.ingressNginxPrefix) {
    it("puts ingress-nginx's Service on the ingress IP and the worker LB's NodePorts", () => {
      const svc = parse(get().rendered.get('svc-ingress-nginx.yml') ?? '');
      expect(svc.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': config.ingress.ip });
      expect(svc.spec.type).toBe('LoadBalancer');
      expect(svc.spec.ports.map((p: any) => [p.name, p.nodePort])).toEqual([['http', config.ingress.httpNodePort], ['https', config.ingress.httpsNodePort]]);
    });
  }
}

/**
 * The three probes, started on first use and run at the same time (each is one Python process
 * that mostly computes): each describe below awaits its own.
 */
const probes = new Map<string, Promise<ProbeResult>>();
function probeOnce(name: string, start: () => Promise<ProbeResult>): Promise<ProbeResult> {
  if (!probes.has(name)) probes.set(name, start());
  return probes.get(name)!;
}
const SEED = parseConfig({});
const SCALED = parseConfig({
  cloud: { provider: 'openstack' },
  domain: 'paas.example.com',
  identity: { realm: 'acme' },
  ingress: { ip: '172.16.0.202' },
  nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } },
});
const startSeed = () => probeOnce('seed', () => startProbe(new Map([...renderAnsibleAsCli(SEED), ...connectFromTerraformOutputs(kakaoOutputs(SEED), SEED)])));
const startScaled = () => probeOnce('scaled', () => startProbe(renderAnsibleAsCli(SCALED)));
const startInstaller = () => probeOnce('installer', () => startProbe(installerInventory(SEED), ['control_plane', 'calico', 'dns', 'metallb']));
beforeAll(() => {
  if (!unavailable) {
    void startSeed();
    void startScaled();
    if (fs.existsSync(KPAAS_STANDALONE)) void startInstaller();
  }
});

describeProbe('kubespray v2.28.1 over dist/ansible, seed config (kakaocloud) with the files of kpaas connect', () => {
  const config = SEED;
  let probe: ProbeResult;
  beforeAll(async () => {
    probe = await startSeed();
  }, 240_000);
  afterAll(() => probe && removeProbe(probe));
  commonContract(config, MASTER_LB_VIP, () => probe);

  it("points kubespray's external API load balancer at the VIP from the outputs", () => {
    const sans = kubeadmDoc(probe, 'ClusterConfiguration').apiServer.certSANs as string[];
    expect(sans).toEqual(expect.arrayContaining([MASTER_LB_VIP, KAKAO_APPLIED.masterLb.publicIp]));
  });
});

describeProbe('kubespray v2.28.1 over dist/ansible, openstack, 5 masters, 7 workers, other domain and ingress IP', () => {
  const config = SCALED;
  let probe: ProbeResult;
  beforeAll(async () => {
    probe = await startScaled();
  }, 240_000);
  afterAll(() => probe && removeProbe(probe));
  commonContract(config, config.loadBalancers.master.vip ?? '', () => probe);

  it('lists all five etcd members for the API server', () => {
    const etcd = kubeadmDoc(probe, 'ClusterConfiguration').etcd.external.endpoints as string[];
    expect(etcd).toEqual(config.nodes.masters.nodes.map((n) => `https://${n.privateIp}:2379`));
  });
});

/**
 * The K-PaaS installer route: the group_vars deploy-cp-cluster.sh writes from its templates (K-PaaS
 * v1.6.2 standalone/inventory/mycluster/group_vars, placeholders filled as its sed lines fill them
 * from cp-cluster-vars.sh) plus installer/zz-kpaas.yml, read by kubespray the way the installer runs
 * it. Stock v2.28.1 templates stand in for the fork's, which are the same for those rendered here.
 */
const KPAAS_STANDALONE = path.resolve(__dirname, '../../../shared/reference/kpaas-cp-deployment-v1.6.2/standalone');
const describeInstaller = unavailable || !fs.existsSync(KPAAS_STANDALONE) ? describe.skip : describe;
if (!unavailable && !fs.existsSync(KPAAS_STANDALONE)) console.warn(`SKIPPED: installer route: ${KPAAS_STANDALONE} not found`);

function installerInventory(config: PlatformConfig): Map<string, string> {
  const ours = renderAnsibleAsCli(config);
  const gv = path.join(KPAAS_STANDALONE, 'inventory/mycluster/group_vars');
  const fill = (text: string) => text.replace('{METALLB_IP_RANGE}', config.metallb.pool).replace('{INGRESS_NGINX_IP}', config.ingress.ip);
  return new Map([
    ['inventory/hosts.yaml', ours.get('inventory/hosts.yaml') ?? ''],
    ['inventory/group_vars/all/all.yml', fs.readFileSync(path.join(gv, 'all/all.yml.tmpl'), 'utf8')],
    ['inventory/group_vars/k8s_cluster/k8s-cluster.yml', fs.readFileSync(path.join(gv, 'k8s_cluster/k8s-cluster.yml'), 'utf8')],
    ['inventory/group_vars/k8s_cluster/addons.yml', fill(fs.readFileSync(path.join(gv, 'k8s_cluster/addons.yml.tmpl'), 'utf8'))],
    ['inventory/group_vars/k8s_cluster/zz-kpaas.yml', ours.get(INSTALLER_VARS) ?? ''],
  ]);
}

describeInstaller('the K-PaaS v1.6.2 installer with installer/zz-kpaas.yml, seed config', () => {
  const config = SEED;
  let probe: ProbeResult;
  beforeAll(async () => {
    probe = await startInstaller();
  }, 240_000);
  afterAll(() => probe && removeProbe(probe));

  it("passes kubespray's inventory validation", () => {
    expect(probe.log).not.toMatch(/fatal:|failed=[1-9]|ERROR!/);
    expect(probe.status).toBe(0);
  });

  it('makes only the ingress pool, auto-assigned, so the installer\'s ingress Service gets the ingress IP and no pool overlaps ours', () => {
    const docs = parseAllDocuments(probe.rendered.get('metallb-pools.yaml') ?? '').map((d) => d.toJS()).filter((d) => d?.kind);
    expect(docs).toEqual([
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { namespace: 'metallb-system', name: 'ingress-nginx' },
        spec: { addresses: [`${config.ingress.ip}/32`], autoAssign: true, avoidBuggyIPs: false },
      },
    ]);
    const l2 = parseAllDocuments(probe.rendered.get('metallb-layer2.yaml') ?? '').map((d) => d.toJS()).filter((d) => d?.kind);
    expect(l2.map((d) => d.spec.ipAddressPools)).toEqual([['ingress-nginx']]);
  });

  it('carries the MTU, the platform names, OIDC and the CSR approver past the installer\'s own group_vars', () => {
    expect(calicoMtus(probe)).toEqual({ CNI_MTU: '1450', FELIX_VXLANMTU: '1450' });
    expect(dnsConfig(probe, 'coredns-config.yml').hosts.trim()).toBe(
      `${config.ingress.ip} ${[config.hosts.apex, config.hosts.keycloak, config.hosts.openbao, config.hosts.harbor, config.hosts.chartmuseum, config.hosts.portal].join(' ')}`,
    );
    expect(apiServerFlags(probe)).toMatchObject({ 'oidc-issuer-url': config.identity.issuerUrl, 'oidc-groups-prefix': config.identity.groupsPrefix });
    expect(JSON.parse(probe.rendered.get('kubelet-csr-approver.json') ?? '{}').enabled).toBe(true);
  });
});

/**
 * Every other release track: the seed config on that track, with the files of kpaas connect, through
 * the track's kubespray and the ansible-core config/tracks.ts names for it offline.
 */
describe.each(TRACK_IDS.filter((id) => id !== DEFAULT_TRACK).map((id) => [id]))('release track %s through its own kubespray', (id) => {
  const track = TRACKS[id];
  const target = probeTarget(id);
  const missing = probeUnavailable(target);
  if (missing) console.warn(`SKIPPED: kubespray contract of track ${id}: ${missing}`);
  (missing ? describe.skip : describe)(`kubespray ${track.kubespray.version} (ansible-core ${offlineAnsibleCore(track)}) over dist/ansible, seed config`, () => {
    const config = parseConfig({ versions: { track: id } });
    let probe: ProbeResult;
    beforeAll(async () => {
      probe = await probeOnce(id, () => startProbe(new Map([...renderAnsibleAsCli(config), ...connectFromTerraformOutputs(kakaoOutputs(config), config)]), kubesprayRoute(id), target));
    }, 240_000);
    afterAll(() => probe && removeProbe(probe));
    commonContract(config, MASTER_LB_VIP, () => probe);

    it("installs the track's Kubernetes version", () => {
      expect(kubeadmDoc(probe, 'ClusterConfiguration').kubernetesVersion).toBe(config.versions.kubernetes);
    });
  });
});
