/**
 * The OpenBao agent injector (hashicorp/vault-k8s, run as `agent-inject`) as data: every
 * environment variable it reads at the version the OpenBao chart pins, with the Command field it
 * sets and the flag that field belongs to (what the value means), how it parses the value, and
 * whether our deployment needs it; and the names and paths its code fixes (certificate Secret,
 * leader lock, listen port, health and webhook paths). platform/openbao/openbao-agent-injector.ts
 * takes its names from here; test/contracts/openbao-injector-env.test.ts holds the rendered
 * Deployment against this and, where a fetched copy is at hand in ../.mirror, this against the
 * source.
 *
 * The `AGENT_INJECT_*` names come from kelseyhightower/envconfig (v1.4.0, vault-k8s's go.mod):
 * `envconfig.Process("agent_inject", &Specification{})` names a field AGENT_INJECT_ and the field
 * name in upper case, split into words with `split_words`, or AGENT_INJECT_ and its `envconfig`
 * tag; a tag is also looked up alone when the prefixed name is unset (which is how the tags that
 * already spell AGENT_INJECT_... are read). Only the documented name of each field is recorded.
 *
 * "Required" means the injector fails, or cannot work in this cluster, without the variable.
 */
import type { EnvVarContract, ProgramEnvContract } from './harbor-env';
import type { UpstreamFile, UpstreamText } from './images';

/** The vault-k8s release the facts were read at (config/versions.ts VERSIONS.openbaoAgentInjector, with the tag's "v"). */
export const VAULT_K8S_TAG = 'v1.7.2';
/** operator-lib's release in vault-k8s v1.7.2's go.mod: its leader-for-life election reads POD_NAME. */
export const OPERATOR_LIB_TAG = 'v0.19.0';

const vaultK8s = (path: string, note?: string): UpstreamFile => ({ repo: 'hashicorp/vault-k8s', ref: VAULT_K8S_TAG, path, ...(note ? { note } : {}) });
const FLAGS = vaultK8s('subcommand/injector/flags.go', 'Specification (envconfig prefix agent_inject), Command.init (flags), Command.parseEnvs');
const COMMAND = 'subcommand/injector/command.go';

/** How parseEnvs turns the text into the flag's value (parseutil.ParseBool, parseutil.ParseInt, strconv.ParseFloat, or as is). */
export type InjectorValueKind = 'text' | 'bool' | 'int' | 'float';

/** One variable the injector reads. */
export interface InjectorEnvVar extends EnvVarContract {
  /** The Specification field envconfig fills from it; absent for a variable read with os.Getenv. */
  readonly field?: string;
  /** The Command field parseEnvs sets from the Specification field. */
  readonly sets?: string;
  /** The command-line flag of that Command field: its help text is what the value means. Absent where the field has no flag. */
  readonly flag?: string;
  readonly kind: InjectorValueKind;
  /** The variable is needed when this other variable is set to true (leader election). */
  readonly requiredWith?: string;
  /** The values the injector accepts, where it checks them. */
  readonly accepts?: readonly string[];
  /** For a variable read by name rather than by envconfig: the source text that reads it. */
  readonly text?: string;
}

/** A Specification field: its documented variable, the Command field and flag it sets, how it is parsed. */
function spec(name: string, field: string, sets: string, flag: string | undefined, kind: InjectorValueKind, extra: Partial<InjectorEnvVar> = {}): InjectorEnvVar {
  return { name, field, sets, ...(flag ? { flag } : {}), kind, required: false, source: FLAGS, ...extra };
}
const needed = (because: string) => ({ required: true, because });

const USE_LEADER_ELECTOR = 'AGENT_INJECT_USE_LEADER_ELECTOR';

/** Every variable the injector reads, by a short key the construct uses. */
export const INJECTOR_ENV = {
  listen: spec('AGENT_INJECT_LISTEN', 'Listen', 'flagListen', 'listen', 'text'),
  logLevel: spec('AGENT_INJECT_LOG_LEVEL', 'LogLevel', 'flagLogLevel', 'log-level', 'text', {
    // Command.logLevel: anything else fails the start
    accepts: ['trace', 'debug', 'notice', 'info', 'warn', 'warning', 'err', 'error'],
  }),
  logFormat: spec('AGENT_INJECT_LOG_FORMAT', 'LogFormat', 'flagLogFormat', 'log-format', 'text'),
  templateExitOnRetryFailure: spec('AGENT_INJECT_TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE', 'TemplateConfigExitOnRetryFailure', 'flagExitOnRetryFailure', 'template-config-exit-on-retry-failure', 'bool'),
  templateStaticSecretRenderInterval: spec('AGENT_INJECT_TEMPLATE_STATIC_SECRET_RENDER_INTERVAL', 'TemplateConfigStaticSecretRenderInterval', 'flagStaticSecretRenderInterval', 'template-static-secret-render-interval', 'text'),
  templateMaxConnectionsPerHost: spec('AGENT_INJECT_TEMPLATE_MAX_CONNECTIONS_PER_HOST', 'TemplateConfigMaxConnectionsPerHost', 'flagMaxConnectionsPerHost', undefined, 'int'),
  templateLeaseRenewalThreshold: spec('AGENT_INJECT_TEMPLATE_LEASE_RENEWAL_THRESHOLD', 'TemplateConfigLeaseRenewalThreshold', 'flagLeaseRenewalThreshold', undefined, 'float'),
  tlsAuto: spec('AGENT_INJECT_TLS_AUTO', 'TLSAuto', 'flagAutoName', 'tls-auto', 'text',
    needed('the name of the MutatingWebhookConfiguration whose caBundle it writes; without it (and without certificate files) the API server cannot verify the webhook')),
  tlsAutoHosts: spec('AGENT_INJECT_TLS_AUTO_HOSTS', 'TLSAutoHosts', 'flagAutoHosts', 'tls-auto-hosts', 'text',
    needed('the DNS names of its generated certificate; without them the API server\'s call to the Service fails the name check')),
  tlsCaCertFile: spec('AGENT_INJECT_TLS_CA_CERT_FILE', 'TLSCACertFile', 'flagCACertFile', 'tls-ca-cert-file', 'text'),
  tlsCertFile: spec('AGENT_INJECT_TLS_CERT_FILE', 'TLSCertFile', 'flagCertFile', 'tls-cert-file', 'text'),
  tlsKeyFile: spec('AGENT_INJECT_TLS_KEY_FILE', 'TLSKeyFile', 'flagKeyFile', 'tls-key-file', 'text'),
  vaultAddr: spec('AGENT_INJECT_VAULT_ADDR', 'VaultAddr', 'flagVaultService', 'vault-address', 'text',
    needed('Command.Run stops with "No Vault service configured" without it')),
  vaultCaCertBytes: spec('AGENT_INJECT_VAULT_CACERT_BYTES', 'VaultCACertBytes', 'flagVaultCACertBytes', 'vault-cacert-bytes', 'text',
    needed('the OpenBao listener\'s certificate is signed by the platform CA, which the injected agents must trust')),
  proxyAddr: spec('AGENT_INJECT_PROXY_ADDR', 'ProxyAddr', 'flagProxyAddress', 'proxy-address', 'text'),
  vaultImage: spec('AGENT_INJECT_VAULT_IMAGE', 'VaultImage', 'flagVaultImage', 'vault-image', 'text',
    needed('the default agent image is hashicorp/vault (agent-inject/agent/agent.go DefaultVaultImage), not OpenBao')),
  vaultAuthType: spec('AGENT_INJECT_VAULT_AUTH_TYPE', 'VaultAuthType', 'flagVaultAuthType', 'vault-auth-type', 'text'),
  vaultAuthPath: spec('AGENT_INJECT_VAULT_AUTH_PATH', 'VaultAuthPath', 'flagVaultAuthPath', 'vault-auth-path', 'text'),
  vaultNamespace: spec('AGENT_INJECT_VAULT_NAMESPACE', 'VaultNamespace', 'flagVaultNamespace', 'vault-namespace', 'text'),
  revokeOnShutdown: spec('AGENT_INJECT_REVOKE_ON_SHUTDOWN', 'RevokeOnShutdown', 'flagRevokeOnShutdown', 'revoke-on-shutdown', 'bool'),
  runAsUser: spec('AGENT_INJECT_RUN_AS_USER', 'RunAsUser', 'flagRunAsUser', 'run-as-user', 'text'),
  runAsGroup: spec('AGENT_INJECT_RUN_AS_GROUP', 'RunAsGroup', 'flagRunAsGroup', 'run-as-group', 'text'),
  runAsSameUser: spec('AGENT_INJECT_RUN_AS_SAME_USER', 'RunAsSameUser', 'flagRunAsSameUser', 'run-as-same-user', 'bool'),
  setSecurityContext: spec('AGENT_INJECT_SET_SECURITY_CONTEXT', 'SetSecurityContext', 'flagSetSecurityContext', 'set-security-context', 'bool'),
  telemetryPath: spec('AGENT_INJECT_TELEMETRY_PATH', 'TelemetryPath', 'flagTelemetryPath', 'telemetry-path', 'text'),
  useLeaderElector: spec(USE_LEADER_ELECTOR, 'UseLeaderElector', 'flagUseLeaderElector', 'use-leader-elector', 'bool'),
  defaultTemplate: spec('AGENT_INJECT_DEFAULT_TEMPLATE', 'DefaultTemplate', 'flagDefaultTemplate', 'default-template', 'text', {
    // Command.Run: any other value stops the start ("Invalid default flag type")
    accepts: ['map', 'json'],
  }),
  cpuRequest: spec('AGENT_INJECT_CPU_REQUEST', 'ResourceRequestCPU', 'flagResourceRequestCPU', 'cpu-request', 'text'),
  memRequest: spec('AGENT_INJECT_MEM_REQUEST', 'ResourceRequestMem', 'flagResourceRequestMem', 'memory-request', 'text'),
  ephemeralRequest: spec('AGENT_INJECT_EPHEMERAL_REQUEST', 'ResourceRequestEphemeral', 'flagResourceRequestEphemeral', 'ephemeral-storage-request', 'text'),
  cpuLimit: spec('AGENT_INJECT_CPU_LIMIT', 'ResourceLimitCPU', 'flagResourceLimitCPU', 'cpu-limit', 'text'),
  memLimit: spec('AGENT_INJECT_MEM_LIMIT', 'ResourceLimitMem', 'flagResourceLimitMem', 'memory-limit', 'text'),
  ephemeralLimit: spec('AGENT_INJECT_EPHEMERAL_LIMIT', 'ResourceLimitEphemeral', 'flagResourceLimitEphemeral', 'ephemeral-storage-limit', 'text'),
  tlsMinVersion: spec('AGENT_INJECT_TLS_MIN_VERSION', 'TLSMinVersion', 'flagTLSMinVersion', 'tls-min-version', 'text'),
  tlsCipherSuites: spec('AGENT_INJECT_TLS_CIPHER_SUITES', 'TLSCipherSuites', 'flagTLSCipherSuites', 'tls-cipher-suites', 'text'),
  authMinBackoff: spec('AGENT_INJECT_AUTH_MIN_BACKOFF', 'AuthMinBackoff', 'flagAuthMinBackoff', 'auth-min-backoff', 'text'),
  authMaxBackoff: spec('AGENT_INJECT_AUTH_MAX_BACKOFF', 'AuthMaxBackoff', 'flagAuthMaxBackoff', 'auth-max-backoff', 'text'),
  disableIdleConnections: spec('AGENT_INJECT_DISABLE_IDLE_CONNECTIONS', 'DisableIdleConnections', 'flagDisableIdleConnections', 'disable-idle-connections', 'text'),
  disableKeepAlives: spec('AGENT_INJECT_DISABLE_KEEP_ALIVES', 'DisableKeepAlives', 'flagDisableKeepAlives', 'disable-keep-alives', 'text'),
  /** The namespace of the certificate Secret and of the informer on it (getNamespace: `default` when unset). */
  namespace: {
    name: 'NAMESPACE', kind: 'text', required: false, requiredWith: USE_LEADER_ELECTOR,
    because: 'the leader shares the certificate through a Secret in this namespace; unset, it is `default`',
    source: vaultK8s(COMMAND, 'getNamespace'), text: 'namespace := os.Getenv("NAMESPACE")',
  },
  /** The pod that owns the leader lock (operator-lib leader.Become, through myOwnerRef/getPod). */
  podName: {
    name: 'POD_NAME', kind: 'text', required: false, requiredWith: USE_LEADER_ELECTOR,
    because: 'leader.Become fails with "required env POD_NAME not set" without it',
    source: { repo: 'operator-framework/operator-lib', ref: OPERATOR_LIB_TAG, path: 'leader/leader.go', note: 'podNameEnvVar, getPod' },
    text: 'const podNameEnvVar = "POD_NAME"',
  },
} as const satisfies Readonly<Record<string, InjectorEnvVar>>;

/** The injector as a program of the environment contracts (config/contracts/harbor-env.ts). */
export const OPENBAO_INJECTOR_ENV: ProgramEnvContract = {
  program: 'vault-k8s agent-inject',
  image: 'hashicorp/vault-k8s',
  variables: Object.values(INJECTOR_ENV),
};

/** A value the injector's source fixes, with the text that says so (the value is in the text). */
export interface InjectorFact<T extends string | number> extends UpstreamText {
  readonly value: T;
}
const fact = <const T extends string | number>(value: T, path: string, text: string): InjectorFact<T> => ({ value, source: vaultK8s(path, text), text });

/** Names, paths and the port the injector's code fixes. */
export const OPENBAO_INJECTOR = {
  /** The subcommand that runs the webhook server. */
  subcommand: fact('agent-inject', 'commands.go', '"agent-inject": func() (cli.Command, error) {'),
  /** The port of the default listen address (the `listen` flag). */
  listenPort: fact(8080, FLAGS.path, 'c.flagSet.StringVar(&c.flagListen, "listen", ":8080",'),
  /** The admission review endpoint. */
  mutatePath: fact('/mutate', COMMAND, 'mux.HandleFunc("/mutate", injector.Handle)'),
  /** Readiness: answers 204 once a certificate is served. */
  healthPath: fact('/health/ready', COMMAND, 'mux.HandleFunc("/health/ready", c.handleReady)'),
  /** It serves TLS only, so it is probed with the scheme below. */
  servesTls: fact('ListenAndServeTLS', COMMAND, 'server.ListenAndServeTLS(c.flagCertFile, c.flagKeyFile)'),
  /** The CA goes into the first webhook of the configuration AGENT_INJECT_TLS_AUTO names. */
  caBundlePath: fact('/webhooks/0/clientConfig/caBundle', COMMAND, '"path": "/webhooks/0/clientConfig/caBundle",'),
  /** The Secret through which the leader shares the generated certificate (in NAMESPACE). */
  certSecret: fact('vault-injector-certs', 'helper/cert/source_gen.go', 'const certSecretName = "vault-injector-certs"'),
  /** The leader-for-life lock: a ConfigMap owned by the leader's pod. */
  leaderLock: fact('vault-k8s-leader', 'leader/leader.go', 'operator_leader.Become(ctx, "vault-k8s-leader")'),
} as const;

/** The probes' scheme: the injector serves TLS only (OPENBAO_INJECTOR.servesTls). */
export const OPENBAO_INJECTOR_SCHEME = 'HTTPS';

/** A call the injector makes on its leader lock or certificate Secret: the verb RBAC checks it against. */
export interface InjectorCall extends UpstreamText {
  readonly verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'delete';
  /** Whether the request names the object, so a rule limited by resourceNames covers it (create, list and watch name none). */
  readonly named: boolean;
}
const OPERATOR_LIB_LEADER: UpstreamFile = { repo: 'operator-framework/operator-lib', ref: OPERATOR_LIB_TAG, path: 'leader/leader.go', note: 'Become, deleteLeader: a direct client (crclient.New), no cache' };
const call = (verb: InjectorCall['verb'], named: boolean, source: UpstreamFile, text: string): InjectorCall => ({ verb, named, source: { ...source, note: text }, text });

/**
 * The calls on the leader lock (a ConfigMap, operator-lib's leader-for-life election), the pods and
 * node it reads or deletes there, and on the certificate Secret (helper/cert/source_gen.go;
 * followers read it through an informer).
 */
export const INJECTOR_CALLS = {
  leaderLock: [
    call('get', true, OPERATOR_LIB_LEADER, 'err = config.Client.Get(ctx, key, existing)'),
    call('create', false, OPERATOR_LIB_LEADER, 'err := config.Client.Create(ctx, cm)'),
    // a leader on a NotReady node: its pod and then the lock are deleted, or no follower takes over
    call('delete', true, OPERATOR_LIB_LEADER, 'err = client.Delete(ctx, existing)'),
  ],
  // the pods: its own (the lock's owner), the leader's, and the leader deleted when evicted,
  // preempted or on a NotReady node
  pods: [
    call('get', true, OPERATOR_LIB_LEADER, 'err := client.Get(ctx, key, pod)'),
    call('get', true, OPERATOR_LIB_LEADER, 'err = config.Client.Get(ctx, key, leaderPod)'),
    call('delete', true, OPERATOR_LIB_LEADER, 'err := client.Delete(ctx, leaderPod)'),
  ],
  // the leader's node (cluster-scoped): unreadable, it is taken as Ready and the lock is never deleted
  nodes: [
    call('get', true, OPERATOR_LIB_LEADER, 'err := client.Get(ctx, key, node)'),
  ],
  certSecret: [
    call('list', false, vaultK8s(COMMAND), 'secrets = factory.Core().V1().Secrets()'),
    call('watch', false, vaultK8s(COMMAND), 'go secrets.Informer().Run(ctx.Done())'),
    call('create', false, vaultK8s('helper/cert/source_gen.go'), '_, err = s.K8sClient.CoreV1().Secrets(s.Namespace).Create(ctx, secret, metav1.CreateOptions{})'),
    call('update', true, vaultK8s('helper/cert/source_gen.go'), '_, err = s.K8sClient.CoreV1().Secrets(s.Namespace).Update(ctx, secret, metav1.UpdateOptions{})'),
  ],
} as const satisfies Readonly<Record<'leaderLock' | 'certSecret' | 'pods' | 'nodes', readonly InjectorCall[]>>;

/**
 * The verbs a rule needs for some of INJECTOR_CALLS, in their order, once each: `named` true for a
 * rule limited to the object's name (only calls that name it), false for one that is not (calls
 * that name none), undefined for a rule over every object of the resource (all the calls).
 * The Role and ClusterRole grant these and nothing more.
 */
export function injectorVerbs(calls: readonly InjectorCall[], named?: boolean): InjectorCall['verb'][] {
  return [...new Set(calls.filter((c) => named === undefined || c.named === named).map((c) => c.verb))];
}
