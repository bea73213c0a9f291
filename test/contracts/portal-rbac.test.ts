/**
 * RBAC contract of the CP-Portal: the account whose token the portal keeps in OpenBao for the host
 * cluster (cp-portal/cp-portal-cluster-manager) may make every Kubernetes request cp-portal-api and
 * cp-metrics-api make (config/contracts/portal-rbac.ts, from their source), and holds every
 * permission cp-portal-api grants (the Roles it writes, the cluster-admin it binds), since RBAC
 * refuses a grant of what the granter does not hold.
 *
 * The rules are those of the ClusterRoles dist binds to the account; a built-in ClusterRole dist
 * does not render is taken from Kubernetes' bootstrap policy (BUILTIN_CLUSTER_ROLES).
 */
import {
  KubernetesCall,
  PORTAL_API_CALLS,
  PORTAL_API_GRANTS,
  PORTAL_ENV_SOURCES,
  PORTAL_METRIC_API_CALLS,
  PortalGrant,
  requestOf,
} from '../../config/contracts';
import { VERSIONS } from '../../config';
import { PORTAL_CLUSTER_ACCOUNT } from '../../platform/portal/portal-chart';
import { PORTAL_NAMESPACE } from '../../platform/portal/portal-names';
import { ofKind, renderManifests } from '../support/k8s-manifests';

interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}
interface Binding {
  readonly metadata: { readonly name?: string; readonly namespace?: string };
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects?: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly namespace?: string }>;
}

/**
 * ClusterRoles the API server makes itself (kubernetes/kubernetes v1.32.5
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, ClusterRoles(): cluster-admin is
 * every verb on every resource and every non-resource URL).
 */
const BUILTIN_CLUSTER_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
};

const any = (list: readonly string[] | undefined, value: string) => (list ?? []).some((x) => x === '*' || x === value);
/** Kubernetes' RBAC rule match (rbac/v1 helpers: `*` and `<resource>/*`); resourceNames make a rule too narrow for these requests. */
function ruleAllows(rule: PolicyRule, verb: string, apiGroup: string, resource: string): boolean {
  if (rule.nonResourceURLs || (rule.resourceNames ?? []).length > 0) return false;
  const [base] = resource.split('/');
  const resourceMatches = any(rule.resources, resource) || (rule.resources ?? []).includes(`${base}/*`);
  return any(rule.verbs, verb) && any(rule.apiGroups, apiGroup) && resourceMatches;
}
function urlAllows(rule: PolicyRule, verb: string, url: string): boolean {
  return any(rule.verbs, verb) && (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
}

const ref = (c: { source: { repo: string; path: string; note?: string } }) => `${c.source.repo} ${c.source.path} ${c.source.note ?? ''}`.trim();

/** What the rules refuse of a component's calls. */
export function refusedCalls(rules: readonly PolicyRule[], component: string, calls: readonly KubernetesCall[]): string[] {
  return calls.flatMap((c) => {
    const r = requestOf(c);
    const ok = 'nonResourceUrl' in r
      ? rules.some((rule) => urlAllows(rule, r.verb, r.nonResourceUrl))
      : rules.some((rule) => ruleAllows(rule, r.verb, r.apiGroup, r.resource));
    return ok ? [] : [`${component}: ${c.verb} ${c.path} (${ref(c)})`];
  });
}

/** What the rules do not hold of the permissions the portal grants. */
export function unheldGrants(rules: readonly PolicyRule[], grants: readonly PortalGrant[]): string[] {
  return grants.flatMap((g) => g.resources.flatMap((resource) => g.verbs.flatMap((verb) =>
    (rules.some((rule) => ruleAllows(rule, verb, g.apiGroup, resource)) ? [] : [`grant ${verb} ${g.apiGroup || 'core'}/${resource} (${g.source.path})`]))));
}

describe('CP-Portal RBAC contract', () => {
  const { objects } = renderManifests({});
  const clusterRoles = new Map(ofKind<{ metadata: { name: string }; rules?: PolicyRule[] }>(objects, 'ClusterRole').map(({ object }) => [object.metadata.name, object.rules ?? []]));
  const isAccount = (b: Binding) => (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === PORTAL_CLUSTER_ACCOUNT && s.namespace === PORTAL_NAMESPACE);
  const bindings = [...ofKind<Binding>(objects, 'ClusterRoleBinding'), ...ofKind<Binding>(objects, 'RoleBinding')].map(({ object }) => object).filter(isAccount);
  const rulesOf = (name: string): readonly PolicyRule[] => clusterRoles.get(name) ?? BUILTIN_CLUSTER_ROLES[name] ?? [];
  const rules = bindings.flatMap((b) => rulesOf(b.roleRef.name));

  it('binds the account cluster-wide only, to ClusterRoles that exist', () => {
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.map((b) => [b.roleRef.kind, b.metadata.namespace])).toEqual(bindings.map(() => ['ClusterRole', undefined]));
    expect(bindings.filter((b) => rulesOf(b.roleRef.name).length === 0).map((b) => b.roleRef.name)).toEqual([]);
  });

  it('keeps a long-lived token of the account for `kpaas portal register`, and mounts it in no pod', () => {
    const tokens = ofKind<{ metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; type: string }>(objects, 'Secret')
      .map(({ object }) => object)
      .filter((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === PORTAL_CLUSTER_ACCOUNT);
    expect(tokens.map((s) => [s.metadata.namespace ?? PORTAL_NAMESPACE, s.metadata.name])).toEqual([[PORTAL_NAMESPACE, `${PORTAL_CLUSTER_ACCOUNT}-token`]]);
    const sa = ofKind<{ metadata: { name: string }; automountServiceAccountToken?: boolean }>(objects, 'ServiceAccount').find(({ object }) => object.metadata.name === PORTAL_CLUSTER_ACCOUNT);
    expect(sa?.object.automountServiceAccountToken).toBe(false);
  });

  it('allows every request cp-portal-api and cp-metrics-api make', () => {
    expect(PORTAL_API_CALLS.length).toBeGreaterThan(100);
    expect([...refusedCalls(rules, 'cp-portal-api', PORTAL_API_CALLS), ...refusedCalls(rules, 'cp-metrics-api', PORTAL_METRIC_API_CALLS)]).toEqual([]);
  });

  it('holds every permission cp-portal-api grants (Roles it writes, the cluster-admin it binds)', () => {
    expect(unheldGrants(rules, PORTAL_API_GRANTS)).toEqual([]);
  });

  it('reads the requests\' RBAC attributes from their paths', () => {
    const call = (verb: KubernetesCall['verb'], path: string) => requestOf({ verb, path, source: { repo: 'r', ref: 'x', path: 'p' } });
    expect(call('update', '/api/v1/namespaces/{namespace}/secrets/{name}')).toEqual({ verb: 'update', apiGroup: '', resource: 'secrets', namespaced: true });
    expect(call('get', '/api/v1/namespaces/{namespace}')).toEqual({ verb: 'get', apiGroup: '', resource: 'namespaces', namespaced: false });
    expect(call('create', '/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token')).toEqual({ verb: 'create', apiGroup: '', resource: 'serviceaccounts/token', namespaced: true });
    expect(call('delete', '/apis/networking.k8s.io/v1/namespaces/{namespace}//ingresses/{name}')).toEqual({ verb: 'delete', apiGroup: 'networking.k8s.io', resource: 'ingresses', namespaced: true });
    expect(call('list', '/apis/metrics.k8s.io/v1beta1/nodes')).toEqual({ verb: 'list', apiGroup: 'metrics.k8s.io', resource: 'nodes', namespaced: false });
    expect(call('get', '/api')).toEqual({ verb: 'get', nonResourceUrl: '/api' });
    expect(call('get', '/')).toEqual({ verb: 'get', nonResourceUrl: '/' });
  });

  it('was read at the refs the manifests follow', () => {
    expect(PORTAL_ENV_SOURCES.api.commit).toBe(VERSIONS.kpaasPortalSources.api.commit);
    expect(PORTAL_ENV_SOURCES.metricsApi.commit).toBe(VERSIONS.kpaasPortalSources.metricsApi.commit);
  });

  describe('catches', () => {
    /** The ClusterRole the portal's account had before (kpaas:cp-portal): get/create only on Secrets, no impersonate or exec. */
    const previous: PolicyRule[] = [
      { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['cluster-admin'] },
    ];

    it('a role without the Secret verbs the API uses (the issue\'s defect 5)', () => {
      const refused = refusedCalls(previous, 'cp-portal-api', PORTAL_API_CALLS);
      expect(refused).toEqual(expect.arrayContaining([
        'cp-portal-api: list /api/v1/namespaces/{namespace}/secrets (K-PaaS/cp-portal-api src/main/resources/application.yml line 188: cpMaster.api.list.*.list)',
        'cp-portal-api: update /api/v1/namespaces/{namespace}/secrets/{name} (K-PaaS/cp-portal-api src/main/resources/application.yml line 192: cpMaster.api.list.*.update)',
        'cp-portal-api: delete /api/v1/namespaces/{namespace}/secrets/{name} (K-PaaS/cp-portal-api src/main/resources/application.yml line 191: cpMaster.api.list.*.delete)',
      ]));
    });

    it('a role that cannot hold what the portal writes into its Roles', () => {
      expect(unheldGrants(previous, PORTAL_API_GRANTS)).toEqual(expect.arrayContaining([
        'grant impersonate core/serviceaccounts (src/main/resources/templates/create_admin_role.ftl)',
        'grant create core/pods/exec (src/main/resources/templates/create_admin_role.ftl)',
        'grant * */* (src/main/resources/templates/create_clusterRoleBinding.ftl)',
      ]));
    });

    it('a metric-api request outside the role', () => {
      const withoutPv = [{ apiGroups: ['*'], resources: ['nodes', 'namespaces', 'pods', 'persistentvolumeclaims'], verbs: ['list'] }, { nonResourceURLs: ['/'], verbs: ['get'] }];
      expect(refusedCalls(withoutPv, 'cp-metrics-api', PORTAL_METRIC_API_CALLS)).toEqual(['cp-metrics-api: list /api/v1/persistentvolumes (K-PaaS/cp-metrics-api api/requestData.go line 197)']);
    });
  });
});
