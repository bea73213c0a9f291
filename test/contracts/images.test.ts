/**
 * The images dist/manifests runs, held against what the images are (config/contracts/images.ts,
 * read from their Dockerfiles): every reference is fully qualified and catalogued at the tag the
 * facts were read at, every program an exec probe, a command or a hook starts exists in the image
 * (no shell script in a shell-less image), and the user a container runs as is the image's own
 * unless a named exception below says why not.
 */
import { IMAGE_FACTS, imageFactsOf, INJECTED_AGENT, SHELL_BUILTINS } from '../../config/contracts';
import type { ImageFacts } from '../../config/contracts';
import { isFullyQualified, parseConfig, parseImageRef, unmirrorImage } from '../../config';
import { activeServices, PLATFORM_SERVICES } from '../../platform';
import { containers, describeObject, renderManifests, workloads } from '../support/k8s-manifests';
import type { IContainer, WorkloadContainer } from '../support/k8s-manifests';

/**
 * Containers (`namespace/workload/container`) that run as another user or group than their
 * image's, and why that works. A stale entry fails the test.
 */
const USER_EXCEPTIONS: Readonly<Record<string, { readonly runAsUser?: string; readonly runAsGroup?: string }>> = {
  'keycloak/keycloak/keycloak': {
    runAsGroup: 'the image\'s user is 1000:0; its files are owned 1000:0 with group rwX, so uid 1000 owns them whatever the group, and group 1000 (with fsGroup 1000) avoids running in the root group',
  },
  ...Object.fromEntries(['common-api', 'api', 'ui'].flatMap((c) => {
    const deployment = c === 'ui' ? 'cp-portal-deployment' : `cp-portal-${c}-deployment`;
    const name = c === 'ui' ? 'cp-portal-ui' : `cp-portal-${c}`;
    const why = {
      runAsUser: 'the image has no USER (root) but needs no root: its jar is world-readable and its home /home/1000 is chowned to 1000 (K-PaaS/cp-portal-* Dockerfile); runAsNonRoot needs a numeric non-root user',
      runAsGroup: 'group 1000 to match the files the image chowns to 1000:1000',
    };
    return [[`cp-portal/${deployment}/${name}`, why], [`cp-portal/${deployment}/truststore`, why]];
  })),
  'cp-portal/cp-portal-metric-api-deployment/cp-portal-metric-api': {
    runAsUser: 'FROM scratch with no USER (root): a static Go binary that reads only its own world-readable files, so any uid runs it; runAsNonRoot needs a numeric non-root user',
    runAsGroup: 'as runAsUser: no group owns anything the program needs',
  },
};

const CONFIGS = [
  { title: 'default config', input: {} },
  { title: 'scaled config', input: { domain: 'paas.example.org', nodes: { workers: { ips: ['172.16.0.12'] } }, openbao: { replicas: 5 }, identity: { keycloakReplicas: 3, realm: 'acme' } } },
  {
    title: 'mirrored config',
    input: { images: { mirrors: { 'docker.io': 'harbor.k-paas.io/dockerhub', 'quay.io': 'harbor.k-paas.io/quay', 'ghcr.io': 'harbor.k-paas.io/ghcr', 'registry.k8s.io': 'harbor.k-paas.io/k8s' } } },
  },
  { title: 'envoy-gateway config', input: { versions: { track: 'kpaas-1.7.0' as const }, ingress: { controller: 'envoy-gateway' as const } } },
];

describe.each(CONFIGS)('image contracts ($title)', ({ input }) => {
  const config = parseConfig(input);
  const portalRegistry = config.portal.registry;
  const out = renderManifests(input);
  const cs = containers(workloads(out.objects));
  const mirrors = config.images.mirrors;
  /** The image a container runs, as pulled from its own registry (before the mirror rewrite). */
  const origin = (image: string | undefined) => parseImageRef(unmirrorImage(image ?? '', mirrors));
  const factsOf = (c: WorkloadContainer): ImageFacts | undefined => {
    const ref = origin(c.container.image);
    return imageFactsOf(ref.registry, ref.repository, portalRegistry);
  };

  it('finds containers to check, so the contracts below do not pass vacuously', () => {
    expect(cs.length).toBeGreaterThan(10);
  });

  it('writes every image fully qualified (registry host, repository, tag), because CRI-O without unqualified search registries refuses short names', () => {
    expect(cs.flatMap((c) => imageReferenceProblems(c.container.image).map((p) => `${where(c)}: ${p}`))).toEqual([]);
  });

  it('pulls every image, and the injected agent\'s, through its registry\'s mirror when mirrors are configured', () => {
    const prefixes = Object.values(mirrors);
    const images = [...cs.map((c) => c.container.image ?? ''), ...cs.flatMap((c) => (c.container.env ?? []).filter((e) => e.name === INJECTED_AGENT.imageEnv).map((e) => e.value ?? ''))];
    const fromMirroredRegistry = images.filter((i) => i && !i.startsWith(`${portalRegistry}/`) && parseImageRef(i).registry in mirrors);
    expect(prefixes.length === 0 ? [] : fromMirroredRegistry).toEqual([]);
  });

  it('runs only catalogued images, at the tag their facts were read at', () => {
    expect(cs.flatMap((c) => {
      const ref = origin(c.container.image);
      const facts = factsOf(c);
      if (!facts) return [`${where(c)}: image ${c.container.image} is not in config/contracts/images.ts`];
      return facts.tag === ref.tag ? [] : [`${where(c)}: image tag ${ref.tag} but its facts were read at ${facts.tag}; read the Dockerfile at the new tag and update the catalog`];
    })).toEqual([]);
  });

  it('execs only programs the image has: probes, commands and lifecycle hooks, and every program a shell script calls', () => {
    expect(cs.flatMap((c) => {
      const facts = factsOf(c);
      return facts ? execProblems(c.container, facts).map((p) => `${where(c)}: ${p}`) : [];
    })).toEqual([]);
  });

  it('runs every container as its image\'s user and group, except the named USER_EXCEPTIONS', () => {
    expect(cs.flatMap((c) => {
      const facts = factsOf(c);
      if (!facts) return [];
      const exception = USER_EXCEPTIONS[c.id] ?? {};
      const { user, group } = runAs(c);
      return [
        user !== undefined && user !== facts.user.uid && !exception.runAsUser
          && `${where(c)}: runAsUser ${user}, the image's user is ${facts.user.uid} (${facts.user.evidence})`,
        group !== undefined && group !== facts.user.gid && !exception.runAsGroup
          && `${where(c)}: runAsGroup ${group}, the image's group is ${facts.user.gid} (${facts.user.evidence})`,
      ].filter((v): v is string => typeof v === 'string');
    })).toEqual([]);
  });

  it('lists only user exceptions that are still needed', () => {
    const byId = new Map(cs.map((c) => [c.id, c]));
    expect(Object.entries(USER_EXCEPTIONS).flatMap(([id, e]) => {
      const c = byId.get(id);
      if (!c) return [`USER_EXCEPTIONS: ${id}: no such container`];
      const facts = factsOf(c);
      const { user, group } = runAs(c);
      return [
        e.runAsUser && (user === undefined || user === facts?.user.uid) && `USER_EXCEPTIONS: ${id}: runAsUser already matches the image`,
        e.runAsGroup && (group === undefined || group === facts?.user.gid) && `USER_EXCEPTIONS: ${id}: runAsGroup already matches the image`,
      ].filter((v): v is string => typeof v === 'string');
    })).toEqual([]);
  });

  it('gives the OpenBao injector an agent image that is qualified, catalogued, has the agent\'s programs and runs as the agent\'s user', () => {
    const injector = cs.filter((c) => (c.container.env ?? []).some((e) => e.name === INJECTED_AGENT.imageEnv));
    expect(injector.map((c) => c.id)).toEqual(['openbao/openbao-agent-injector/sidecar-injector']);
    const env = new Map((injector[0].container.env ?? []).map((e) => [e.name, e.value]));
    const image = env.get(INJECTED_AGENT.imageEnv) ?? '';
    const ref = origin(image);
    const facts = imageFactsOf(ref.registry, ref.repository, portalRegistry);
    expect(imageReferenceProblems(image)).toEqual([]);
    expect(facts && { repository: `${facts.registry}/${facts.repository}`, tag: facts.tag }).toEqual({ repository: `${ref.registry}/${ref.repository}`, tag: ref.tag });
    expect(INJECTED_AGENT.binaries.filter((b) => !hasProgram(facts!, b))).toEqual([]);
    const user = Number(env.get(INJECTED_AGENT.runAsEnv.user) ?? INJECTED_AGENT.runAsUser);
    const group = Number(env.get(INJECTED_AGENT.runAsEnv.group) ?? INJECTED_AGENT.runAsGroup);
    expect({ user, group }).toEqual({ user: facts!.user.uid, group: facts!.user.gid });
  });

  it('catalogues only images the manifests run (or the injector injects), so the catalog does not keep facts nobody checks', () => {
    const used = new Set(cs.map((c) => factsOf(c)).filter((f): f is ImageFacts => f !== undefined));
    const agent = cs.flatMap((c) => (c.container.env ?? []).filter((e) => e.name === INJECTED_AGENT.imageEnv).map((e) => origin(e.value)));
    for (const a of agent) { const f = imageFactsOf(a.registry, a.repository, portalRegistry); if (f) used.add(f); }
    // facts of a service this configuration does not run (Envoy Gateway with ingress-nginx) are checked by the configuration that does
    const elsewhere = new Set(PLATFORM_SERVICES.filter((s) => !activeServices([s], config).length).flatMap((s) => s.images(config))
      .map((r) => { const p = parseImageRef(r); return `${p.registry}/${p.repository}`; }));
    expect(IMAGE_FACTS.filter((f) => !used.has(f)).map((f) => `${f.registry}/${f.repository}`).filter((id) => !elsewhere.has(id))).toEqual([]);
  });
});

describe('the image checks themselves', () => {
  const distroless = IMAGE_FACTS.find((f) => f.repository === 'sig-storage/nfs-subdir-external-provisioner')!;
  const postgres = IMAGE_FACTS.find((f) => f.repository === 'library/postgres')!;

  it('fail on a short image name', () => {
    expect(imageReferenceProblems('postgres:17.6')).toEqual(['image postgres:17.6 has no registry host (CRI-O refuses short names)']);
    expect(imageReferenceProblems('goharbor/harbor-core:v2.15.1')).toHaveLength(1);
    expect(imageReferenceProblems('docker.io/library/postgres')).toEqual(['image docker.io/library/postgres has no tag or digest']);
    expect(imageReferenceProblems('docker.io/library/postgres:17.6')).toEqual([]);
  });

  it('fail on an exec probe through a shell in a shell-less image (the NFS provisioner\'s old probe)', () => {
    const old = ['sh', '-c', 'stat -f /persistentvolumes >/dev/null && test -d /persistentvolumes'];
    expect(execProblems({ name: 'x', livenessProbe: { exec: { command: old } } }, distroless)).toEqual([
      'livenessProbe execs sh, which the image does not have (distroless/scratch: no shell)',
    ]);
  });

  it('fail on a program a shell script calls that the image lacks, and pass on builtins and present programs', () => {
    const script = ['sh', '-c', 'set -e\nexec pg_isready -h 127.0.0.1 && test -n "$(REDISCLI_AUTH=x redis-cli ping)"'];
    expect(execProblems({ name: 'x', readinessProbe: { exec: { command: script } } }, postgres)).toEqual([
      'readinessProbe: its script calls redis-cli, which the image does not have',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

function where(c: WorkloadContainer): string {
  return `${describeObject(c.workload.source)}: ${c.init ? 'init container' : 'container'} ${c.container.name}`;
}

function runAs(c: WorkloadContainer): { user?: number; group?: number } {
  const pod = c.workload.podSpec.securityContext ?? {};
  const own = c.container.securityContext ?? {};
  return { user: own.runAsUser ?? pod.runAsUser, group: own.runAsGroup ?? pod.runAsGroup };
}

/** Why a reference is not fully qualified (registry host, repository, tag or digest). */
function imageReferenceProblems(image: string | undefined): string[] {
  if (!image) return ['no image'];
  if (!isFullyQualified(image)) return [`image ${image} has no registry host (CRI-O refuses short names)`];
  const ref = parseImageRef(image);
  if (!ref.repository) return [`image ${image} has no repository`];
  return ref.tag || ref.digest ? [] : [`image ${image} has no tag or digest`];
}

/** Whether the image has a program, by the name or path a command calls it with. */
function hasProgram(facts: ImageFacts, program: string): boolean {
  if (facts.binaries.includes(program)) return true;
  if (facts.shell && (program === facts.shell || program === 'sh' || program === '/bin/sh')) return true;
  // an absolute path in a standard bin directory names the same program as its base name on PATH
  const m = /^\/(?:usr\/(?:local\/)?)?s?bin\/([^/]+)$/.exec(program);
  return m !== null && facts.binaries.includes(m[1]);
}

const SHELLS = new Set(['sh', '/bin/sh', 'bash', '/bin/bash', 'ash', '/bin/ash']);

/** Every exec the container makes (probes, command, lifecycle hooks), with what is missing in the image. */
function execProblems(container: IContainer, facts: ImageFacts): string[] {
  const execs: Array<[string, readonly string[] | undefined]> = [
    ['livenessProbe', container.livenessProbe?.exec?.command],
    ['readinessProbe', container.readinessProbe?.exec?.command],
    ['startupProbe', container.startupProbe?.exec?.command],
    ['lifecycle.postStart', container.lifecycle?.postStart?.exec?.command],
    ['lifecycle.preStop', container.lifecycle?.preStop?.exec?.command],
    ['command', container.command],
  ];
  return execs.flatMap(([what, argv]) => {
    if (!argv || argv.length === 0) return [];
    const program = argv[0];
    if (!hasProgram(facts, program)) {
      return [`${what} execs ${program}, which the image does not have${facts.shell ? '' : ' (distroless/scratch: no shell)'}`];
    }
    if (!SHELLS.has(program)) return [];
    // a shell script: `sh -c 'script'` (also -ec, -euc); for `command`, the script may be in args
    const flag = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
    const script = flag > 0 ? argv[flag + 1] ?? (what === 'command' ? container.args?.[0] : undefined) : undefined;
    if (script === undefined) return [];
    return scriptPrograms(script).filter((p) => !hasProgram(facts, p))
      .map((p) => `${what}: its script calls ${p}, which the image does not have`);
  });
}

/**
 * The programs a shell script starts, read simply: the first word of each command (after `;`,
 * `&&`, `||`, `|`, newlines, and inside `$(...)`), past variable assignments and `exec`/`!`,
 * without builtins and words that are expansions. Enough for the short scripts of probes.
 */
function scriptPrograms(script: string): string[] {
  const out = new Set<string>();
  for (const segment of script.split(/\n|;|&&|\|\||\||\$\(|`/)) {
    const words = segment.trim().replace(/^[({!\s]+/, '').split(/\s+/).filter(Boolean);
    let i = 0;
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || words[i] === 'exec' || words[i] === '!')) i++;
    const word = words[i]?.replace(/[)"'}]+$/, '');
    if (!word || /^[$"'<>&0-9]/.test(word) || SHELL_BUILTINS.has(word)) continue;
    out.add(word);
  }
  return [...out];
}
