/**
 * Image facts: for every image dist/manifests runs, what the image itself provides, read from
 * its Dockerfile at the version we pin. A probe, a command or a securityContext that assumes
 * something the image does not have fails on the cluster, not in review; the contract test
 * (test/contracts/images.test.ts) holds the manifests against these facts.
 *
 * Each entry names the Dockerfile it was read from (repository, tag or commit, path). Facts that
 * could not be read from source offline are listed in `unverified`, each with the reason; a fact
 * derived from the Dockerfile rather than written in it (a uid allocated by `adduser -S`) says so
 * in `user.evidence`.
 *
 * `tag` is the tag the facts were read at, not VERSIONS: bumping a version fails the contract
 * test until the facts are read again at the new tag.
 */

import { HARBOR_TAG } from './harbor-env';
import { KEYCLOAK_TAG } from './keycloak-env';
import { INJECTOR_ENV, VAULT_K8S_TAG } from './openbao-injector-env';

/** Where a fact was read: a file of a public repository at a tag or commit. */
export interface UpstreamFile {
  /** `owner/name` on GitHub. */
  readonly repo: string;
  /** Tag or commit the file was read at. */
  readonly ref: string;
  readonly path: string;
  /** What in the file, or how the file is chosen (e.g. which build target the published image is). */
  readonly note?: string;
}

/** A fact read in a file: the file, and the text in it that says so (the contract tests find the text there). */
export interface UpstreamText {
  readonly source: UpstreamFile;
  readonly text: string;
}

/** A fact read in a file through several of its texts, each of which the contract tests find there. */
export interface UpstreamTexts {
  readonly source: UpstreamFile;
  readonly texts: readonly string[];
}

/**
 * A fact read in a stored copy of a file (the `search` tool's), which may not be the release the
 * program runs: `pinned` names that release, `matched` whether the copy was matched to it.
 */
export interface StoredCopyRead extends UpstreamTexts {
  readonly pinned: string;
  readonly matched: boolean;
}

export interface ImageUser {
  readonly uid: number;
  readonly gid: number;
  /** The user's name in the image, where it has one. */
  readonly name?: string;
  /** How the ids follow from the Dockerfile (USER line, useradd flags, allocation rule). */
  readonly evidence: string;
}

export interface ImageFacts {
  /**
   * Registry host, or `portal.registry` for the CP-Portal images (pulled from a configured registry,
   * `<portal.registry>/<name>:<tag>`).
   */
  readonly registry: string;
  /** Repository below the registry (`library/postgres`), or the image name below `portal.registry`. */
  readonly repository: string;
  /** Tag the facts were read at. */
  readonly tag: string;
  /** The user the image runs as when the pod does not say otherwise. */
  readonly user: ImageUser;
  /** Absolute path of the image's POSIX shell, or undefined when it has none (distroless, scratch). */
  readonly shell?: string;
  /**
   * Programs an exec probe, a command or a lifecycle hook may start, by the name they are called
   * with (`pg_isready`, or an absolute path). With a shell, its builtins (test, exec, set, echo) are
   * available too; `distroless/scratch: none` images list only their own program.
   */
  readonly binaries: readonly string[];
  /** ENTRYPOINT (and CMD) as the Dockerfile writes them. */
  readonly entrypoint: readonly string[];
  readonly cmd?: readonly string[];
  /** The Dockerfile the facts come from (the stage the published image is built from). */
  readonly dockerfile: UpstreamFile;
  /** Facts that could not be verified from source offline, each with the reason. */
  readonly unverified?: readonly string[];
}

/** Shell builtins a `sh -c` script may call without a binary of that name (POSIX special and regular builtins). */
export const SHELL_BUILTINS: ReadonlySet<string> = new Set([
  ':', '.', '[', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false',
  'getopts', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'test', 'times', 'trap', 'true',
  'type', 'ulimit', 'umask', 'unset', 'wait', 'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'do', 'done',
  'case', 'esac', 'until', '!',
]);

/** The applets of busybox an Alpine base image links into /bin and /usr/bin (the ones our commands use). */
const BUSYBOX = ['sh', 'ash', 'cat', 'cp', 'chmod', 'find', 'head', 'ls', 'mkdir', 'rm', 'sleep', 'stat', 'test', 'base64', 'touch', 'wget'];

/** What every goharbor photon image shows it has: its entrypoint script's `#!/bin/sh`, and the HEALTHCHECK's curl. */
const PHOTON = ['sh', '/bin/sh', 'curl'];
const PHOTON_UNVERIFIED = 'goharbor/photon:5.0-legacy (the base; make/photon/common/Dockerfile: FROM photon:5.0-20260214 updated from photon-snapshot) is a published Photon OS image: its tools are inferred from what the image\'s own scripts and HEALTHCHECK run (/bin/sh, curl), not read from a package list';

/**
 * The OpenBao release whose source the image facts below and the key formats (key-formats.ts) were
 * read at. Written here, not taken from VERSIONS.openbao, for the reason in the header: a bump of
 * VERSIONS.openbao fails test/contracts/images.test.ts (and test/config/versions.test.ts) until the
 * Dockerfile and the listener are read again and this is moved. Harbor's and Keycloak's are
 * HARBOR_TAG and KEYCLOAK_TAG, the tags their environment contracts were read at, for the same reason.
 */
export const OPENBAO_TAG = 'v2.6.2';
const harbor = (repository: string, dir: string, facts: Omit<ImageFacts, 'registry' | 'repository' | 'tag' | 'dockerfile' | 'user'> & { user?: ImageUser; baseNote?: string }): ImageFacts => ({
  registry: 'docker.io',
  repository: `goharbor/${repository}`,
  tag: HARBOR_TAG,
  user: facts.user ?? {
    uid: 10000,
    gid: 10000,
    name: 'harbor',
    evidence: `USER harbor; make/photon/${dir}/Dockerfile.base runs groupadd -g 10000 harbor and useradd -u 10000 -g 10000 harbor`,
  },
  shell: facts.shell,
  binaries: facts.binaries,
  entrypoint: facts.entrypoint,
  ...(facts.cmd ? { cmd: facts.cmd } : {}),
  dockerfile: { repo: 'goharbor/harbor', ref: HARBOR_TAG, path: `make/photon/${dir}/Dockerfile`, note: `base: make/photon/${dir}/Dockerfile.base${facts.baseNote ? `; ${facts.baseNote}` : ''}` },
  unverified: [PHOTON_UNVERIFIED, ...(facts.unverified ?? [])],
});

/** A CP-Portal component image: `<portal.registry>/<name>:v1.6.2`, as the K-PaaS installer pushes it. */
const PORTAL_UNVERIFIED_TAG = 'the images in the K-PaaS registry are built by K-PaaS\'s CI from a v1.6.2 source no stored repository tags; the facts come from the Dockerfile at the ref named, the nearest release the snapshot holds';
const PORTAL_ROOT = {
  uid: 0,
  gid: 0,
  name: 'root',
  evidence: 'no USER line: the image runs as root. It creates a user named "1000" (busybox addgroup -S 1000 && adduser -S 1000 -G 1000) and chowns /home/1000 to 1000:1000, but never switches to it',
} as const satisfies ImageUser;
const PORTAL_JAVA = [...BUSYBOX, 'java', 'keytool'];

/** Every image the manifests reference, by `registry/repository`. */
export const IMAGE_FACTS: readonly ImageFacts[] = [
  {
    registry: 'registry.k8s.io',
    repository: 'sig-storage/nfs-subdir-external-provisioner',
    tag: 'v4.0.2',
    user: { uid: 0, gid: 0, name: 'root', evidence: 'FROM gcr.io/distroless/static:latest with no USER line: distroless/static runs as root (its :nonroot variant is the one with 65532)' },
    shell: undefined,
    binaries: ['/nfs-subdir-external-provisioner'],
    entrypoint: ['/nfs-subdir-external-provisioner'],
    dockerfile: {
      repo: 'kubernetes-sigs/nfs-subdir-external-provisioner',
      ref: 'v4.0.2',
      path: 'Dockerfile',
      note: 'the published image: cloudbuild.yaml runs release-tools\' push-multiarch, which builds ./cmd/<cmd>/Dockerfile if present, else ./Dockerfile (release-tools/build.make); Dockerfile.multiarch (alpine) is not used. distroless/scratch: none (issue #180)',
    },
  },
  {
    registry: 'quay.io',
    repository: 'keycloak/keycloak',
    tag: KEYCLOAK_TAG,
    user: { uid: 1000, gid: 0, name: 'keycloak', evidence: 'USER 1000; /etc/passwd gets keycloak:x:1000:0 and /opt/keycloak is copied --chown=1000:0 with g+rwX' },
    shell: '/bin/bash',
    binaries: ['bash', '/bin/bash', '/opt/keycloak/bin/kc.sh', 'java'],
    entrypoint: ['/opt/keycloak/bin/kc.sh'],
    dockerfile: { repo: 'keycloak/keycloak', ref: KEYCLOAK_TAG, path: 'quarkus/container/Dockerfile', note: 'ubi9-micro with the packages ubi-null.sh installs (java-*-openjdk-headless); kc.sh is #!/bin/bash' },
    unverified: [
      `read from stored versions of quarkus/container/Dockerfile (the 22.0.x line, 0463815b), not at tag ${KEYCLOAK_TAG}: the keycloak repository (870 MB) is over what can be fetched here. USER 1000, the 1000:0 owner and kc.sh as ENTRYPOINT are unchanged across the versions the index holds; no probe or command execs in this image`,
    ],
  },
  {
    registry: 'quay.io',
    repository: 'openbao/openbao',
    tag: OPENBAO_TAG.replace(/^v/, ''), // quay.io tags carry no "v"
    user: {
      uid: 100,
      gid: 1000,
      name: 'openbao',
      evidence: 'USER openbao; addgroup openbao (busybox: first free gid from 1000) and adduser -S -G openbao openbao (system user: first free uid from 100) on alpine, in the `default` stage; the upstream chart runs it as 100:1000',
    },
    shell: '/bin/sh',
    binaries: [...BUSYBOX, 'bao', '/usr/bin/bao', 'vault', '/usr/bin/vault', 'dumb-init', 'su-exec', 'docker-entrypoint.sh', '/usr/local/bin/docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['server', '-dev', '-dev-no-store-token'],
    dockerfile: {
      repo: 'openbao/openbao',
      ref: OPENBAO_TAG,
      path: 'Dockerfile',
      note: 'stage `default` (alpine), the one .github/workflows/release-images.yml publishes as openbao/openbao on quay.io; /usr/bin/vault is a symlink to bao; .release/docker/docker-entrypoint.sh is #!/usr/bin/dumb-init /bin/sh',
    },
  },
  {
    registry: 'docker.io',
    repository: 'hashicorp/vault-k8s',
    tag: VAULT_K8S_TAG.replace(/^v/, ''), // docker.io tags carry no "v"
    user: {
      uid: 100,
      gid: 1000,
      name: 'vault',
      evidence: 'USER vault; addgroup vault (first free gid from 1000) and adduser -S -G vault vault (first free system uid from 100) on alpine, stage `default`',
    },
    shell: '/bin/sh',
    binaries: [...BUSYBOX, '/bin/vault-k8s', 'vault-k8s'],
    entrypoint: ['/bin/vault-k8s'],
    dockerfile: { repo: 'hashicorp/vault-k8s', ref: VAULT_K8S_TAG, path: 'Dockerfile', note: 'stage `default`, the one .github/workflows/build.yml publishes as docker.io/hashicorp/vault-k8s:<version>' },
  },
  {
    registry: 'docker.io',
    repository: 'library/postgres',
    tag: '17.11',
    user: { uid: 999, gid: 999, name: 'postgres', evidence: 'groupadd -r postgres --gid=999; useradd -r -g postgres --uid=999; the entrypoint steps down to it with gosu when started as root' },
    shell: '/bin/sh',
    binaries: ['sh', '/bin/sh', 'bash', 'postgres', 'pg_isready', 'psql', 'pg_ctl', 'gosu', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    dockerfile: {
      repo: 'docker-library/postgres',
      ref: '2603e26e245e558218728ee14e0a42dcb020dc7f',
      path: '17/trixie/Dockerfile',
      note: 'the GitCommit docker-library/official-images library/postgres gives the tags 17.11, 17.11-trixie (PG_VERSION 17.11-1.pgdg13+2): the plain 17.11 tag is the trixie variant. ENV PATH adds /usr/lib/postgresql/17/bin (pg_isready, postgres)',
    },
    unverified: ['docker-entrypoint.sh (the gosu step-down, POSTGRES_* and the flag-first argument rule) was read at 6edb0a8 (17.9), the newest commit the fetched docker-library/postgres snapshot holds; the Dockerfile at 2603e26 comes from the search index'],
  },
  {
    registry: 'docker.io',
    repository: 'library/mariadb',
    tag: '11.4.12',
    user: {
      uid: 999,
      gid: 999,
      name: 'mysql',
      evidence: 'groupadd -r mysql && useradd -r -g mysql mysql on ubuntu:noble after userdel ubuntu: system ids are allocated downward from 999, and the base has no other system user there; the entrypoint steps down to mysql with gosu when started as root',
    },
    shell: '/bin/sh',
    binaries: ['sh', '/bin/sh', 'bash', 'mariadbd', 'mariadb', 'mariadb-admin', 'mariadb-install-db', 'healthcheck.sh', 'docker-entrypoint.sh', 'gosu'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mariadbd'],
    dockerfile: { repo: 'MariaDB/mariadb-docker', ref: '53935c78b82bff912b361357d59db11d7246ea96', path: '11.4/Dockerfile', note: 'the GitCommit docker-library/official-images library/mariadb gives the tags 11.4.12, 11.4.12-noble: MARIADB_VERSION=1:11.4.12+maria~ubu2404; docker-entrypoint.sh and healthcheck.sh are #!/bin/bash' },
    unverified: [
      'uid/gid 999 are allocated by useradd -r/groupadd -r, not written in the Dockerfile: derived from the allocation rule and ubuntu:noble\'s base users, not observed in the image',
      'mariadb-admin comes from the mariadb-client package that mariadb-server depends on (the Dockerfile installs mariadb-server); the package dependency is not in this repository',
    ],
  },
  harbor('harbor-core', 'core', {
    shell: '/bin/sh',
    binaries: [...PHOTON, '/harbor/entrypoint.sh', '/harbor/harbor_core', '/harbor/install_cert.sh'],
    entrypoint: ['/harbor/entrypoint.sh'],
  }),
  harbor('harbor-portal', 'portal', {
    user: {
      uid: 10000,
      gid: 10000,
      name: 'nginx',
      evidence: 'USER nginx; make/photon/portal/Dockerfile.base runs groupmod -g 10000 nginx and usermod -g 10000 -u 10000 nginx',
    },
    shell: '/bin/sh',
    binaries: [...PHOTON, 'nginx'],
    entrypoint: [],
    cmd: ['nginx', '-g', 'daemon off;'],
  }),
  harbor('registry-photon', 'registry', {
    shell: '/bin/sh',
    binaries: [...PHOTON, '/home/harbor/entrypoint.sh', '/usr/bin/registry_DO_NOT_USE_GC', '/home/harbor/install_cert.sh'],
    entrypoint: ['/home/harbor/entrypoint.sh'],
  }),
  harbor('harbor-registryctl', 'registryctl', {
    shell: '/bin/sh',
    binaries: [...PHOTON, '/home/harbor/start.sh', '/home/harbor/harbor_registryctl', '/usr/bin/registry_DO_NOT_USE_GC'],
    entrypoint: ['/home/harbor/start.sh'],
  }),
  harbor('harbor-jobservice', 'jobservice', {
    shell: '/bin/sh',
    binaries: [...PHOTON, '/harbor/entrypoint.sh', '/harbor/harbor_jobservice'],
    entrypoint: ['/harbor/entrypoint.sh'],
  }),
  // Harbor v2.15.2 replaced redis-photon with valkey-photon (make/photon/Makefile VALKEY); the config file keeps its name
  harbor('valkey-photon', 'valkey', {
    user: {
      uid: 999,
      gid: 999,
      name: 'valkey',
      evidence: 'USER valkey; make/photon/valkey/Dockerfile.base runs groupadd -g 999 valkey and useradd -u 999 -g 999 valkey',
    },
    shell: '/bin/sh',
    binaries: [...PHOTON, 'bash', 'valkey-server', 'valkey-cli', 'docker-healthcheck'],
    entrypoint: [],
    cmd: ['valkey-server', '/etc/redis.conf'],
    baseNote: 'valkey-cli: the image\'s own HEALTHCHECK script (make/photon/valkey/docker-healthcheck, #!/bin/bash) runs it; Photon\'s valkey package (vmware/photon SPECS/valkey/valkey.spec, 9.0.3) also links redis-server and redis-cli, which our manifests do not rely on',
  }),
  harbor('trivy-adapter-photon', 'trivy-adapter', {
    user: {
      uid: 10000,
      gid: 10000,
      name: 'scanner',
      evidence: 'USER scanner; make/photon/trivy-adapter/Dockerfile.base runs groupadd -g 10000 scanner and useradd -u 10000 -g 10000 scanner',
    },
    shell: '/bin/sh',
    binaries: [...PHOTON, '/home/scanner/entrypoint.sh', '/home/scanner/bin/scanner-trivy', 'trivy', '/usr/local/bin/trivy'],
    entrypoint: ['/home/scanner/entrypoint.sh'],
  }),
  {
    registry: 'ghcr.io',
    repository: 'helm/chartmuseum',
    tag: 'v0.16.6',
    user: { uid: 1000, gid: 1000, evidence: 'USER 1000:1000' },
    shell: '/bin/sh',
    binaries: [...BUSYBOX, '/chartmuseum'],
    entrypoint: ['/chartmuseum'],
    dockerfile: { repo: 'helm/chartmuseum', ref: '09d63b8', path: 'Dockerfile', note: 'FROM alpine:latest; the file is unchanged since 6fbfc6e (2022)' },
    unverified: ['the stored snapshot of helm/chartmuseum has tags up to v0.16.5, not v0.16.6: the Dockerfile was read at its newest commit, where it has not changed since 2022'],
  },
  {
    registry: 'portal.registry',
    repository: 'cp-portal-ui',
    tag: 'v1.6.2',
    user: PORTAL_ROOT,
    shell: '/bin/sh',
    binaries: PORTAL_JAVA,
    entrypoint: ['java', '-jar', '-Dspring.profiles.active=prod', '/home/1000/cp-portal-ui.war'],
    dockerfile: { repo: 'K-PaaS/cp-portal-ui', ref: 'b82e08541c2b36d672ce009b4654131b5dfe9217', path: 'Dockerfile', note: 'runtime stage FROM registry.k-paas.org/library/openjdk:17-jdk-alpine (keytool runs in the build)' },
    unverified: [PORTAL_UNVERIFIED_TAG, 'the base registry.k-paas.org/library/openjdk:17-jdk-alpine is K-PaaS\'s copy of openjdk:17-jdk-alpine; its contents (busybox, keytool) are assumed to be those of the Docker Hub image'],
  },
  {
    registry: 'portal.registry',
    repository: 'cp-portal-api',
    tag: 'v1.6.2',
    user: PORTAL_ROOT,
    shell: '/bin/sh',
    binaries: PORTAL_JAVA,
    entrypoint: ['java', '-jar', '-Dspring.profiles.active=prod', '/home/1000/container-platform-api.jar'],
    dockerfile: { repo: 'K-PaaS/cp-portal-api', ref: 'v1.6.1.1', path: 'Dockerfile', note: 'FROM openjdk:8-jdk-alpine' },
    unverified: [PORTAL_UNVERIFIED_TAG],
  },
  {
    registry: 'portal.registry',
    repository: 'cp-portal-common-api',
    tag: 'v1.6.2',
    user: { uid: 0, gid: 0, name: 'root', evidence: 'no USER line and no user created: the image runs as root; its jar is at /container-platform-common-api.jar' },
    shell: '/bin/sh',
    binaries: [...PORTAL_JAVA, 'bash'],
    entrypoint: ['java', '-jar', '-Dspring.profiles.active=prod', '/container-platform-common-api.jar'],
    dockerfile: { repo: 'K-PaaS/cp-portal-common-api', ref: '9bd529a', path: 'Dockerfile', note: 'FROM openjdk:17-alpine, apk add bash' },
    unverified: [PORTAL_UNVERIFIED_TAG],
  },
  {
    registry: 'portal.registry',
    repository: 'cp-portal-metric-api',
    tag: 'v1.6.2',
    user: { uid: 0, gid: 0, evidence: 'FROM scratch with no USER line: root; the Go binary needs no user database' },
    shell: undefined,
    binaries: ['/main'],
    entrypoint: ['/main'],
    dockerfile: { repo: 'K-PaaS/cp-metrics-api', ref: '0a2f60749348709bc3f4f7275918983069c6415d', path: 'Dockerfile', note: 'runtime stage FROM scratch: the binary and its .properties only. distroless/scratch: none' },
    unverified: [PORTAL_UNVERIFIED_TAG],
  },
  {
    registry: 'docker.io',
    repository: 'envoyproxy/gateway',
    tag: 'v1.9.0',
    user: { uid: 65532, gid: 65532, name: 'nonroot', evidence: 'USER 65532:65532 on gcr.io/distroless/base-nossl:nonroot' },
    shell: undefined,
    binaries: ['/usr/local/bin/envoy-gateway', 'envoy-gateway'],
    entrypoint: ['/usr/local/bin/envoy-gateway'],
    dockerfile: {
      repo: 'envoyproxy/gateway',
      ref: 'v1.9.0',
      path: 'tools/docker/envoy-gateway/Dockerfile',
      note: 'distroless/base-nossl:nonroot (no shell); the binary is copied to /usr/local/bin (on the PATH, so `envoy-gateway certgen` as the chart runs it); /var/lib/eg made 0777 in a busybox stage and copied in',
    },
  },
];

/**
 * The facts of an image reference, or undefined when the catalog has none for it. A reference
 * under `portalRegistry` is looked up as a CP-Portal image; the tag must match the catalog's.
 */
export function imageFactsOf(registry: string, repository: string, portalRegistry: string): ImageFacts | undefined {
  const full = `${registry}/${repository}`;
  return IMAGE_FACTS.find((f) => (f.registry === 'portal.registry'
    ? full === `${portalRegistry}/${f.repository}`
    : f.registry === registry && f.repository === repository));
}

/**
 * What vault-k8s (the OpenBao agent injector) runs in every pod it injects, with the image named
 * by AGENT_INJECT_VAULT_IMAGE: the agent container's command and the user it sets when the
 * injector's AGENT_INJECT_RUN_AS_USER / _GROUP are not given. The agent image must have these
 * programs and run as this user.
 */
export const INJECTED_AGENT = {
  /** The env var of the injector that names the agent image. */
  imageEnv: INJECTOR_ENV.vaultImage.name,
  /** Container command: a shell script that decodes the config and starts `vault agent`. */
  command: ['/bin/sh', '-ec'],
  /** Programs the script starts: base64 decodes the config, `vault agent` runs the agent. */
  binaries: ['/bin/sh', 'base64', 'vault'],
  /** DefaultAgentRunAsUser and DefaultAgentRunAsGroup. */
  runAsUser: 100,
  runAsGroup: 1000,
  /** Env vars of the injector that override the user. */
  runAsEnv: { user: INJECTOR_ENV.runAsUser.name, group: INJECTOR_ENV.runAsGroup.name },
  sources: [
    { repo: 'hashicorp/vault-k8s', ref: VAULT_K8S_TAG, path: 'agent-inject/agent/container_sidecar.go', note: 'DefaultContainerArg: echo ${VAULT_CONFIG?} | base64 -d > /home/vault/config.json && vault agent ...; Command /bin/sh -ec. The preStop hook that calls /bin/vault only exists with revoke-on-shutdown, which the injector turns off' },
    { repo: 'hashicorp/vault-k8s', ref: VAULT_K8S_TAG, path: 'agent-inject/agent/agent.go', note: 'DefaultAgentRunAsUser = 100, DefaultAgentRunAsGroup = 1000' },
  ] satisfies readonly UpstreamFile[],
} as const;
