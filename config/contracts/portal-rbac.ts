/**
 * What the CP-Portal's components do on a cluster, as data from their source (at the refs of
 * config/versions.ts VERSIONS.kpaasPortalSources): the Kubernetes API requests each makes, and the
 * permissions it grants to others (RBAC lets a subject grant only what it holds, unless it may
 * `escalate` or `bind`). Both act with the token the portal keeps in OpenBao for the cluster
 * (secret/cluster/<id>, clusterToken): for the host cluster, the token of the cp-portal-cluster-manager
 * ServiceAccount. No component uses its pod's own token.
 *
 * test/contracts/portal-rbac.test.ts holds the ClusterRoles dist binds to that account against
 * these lists.
 */
import type { UpstreamFile } from './images';
import { PORTAL_ENV_SOURCES } from './portal-env';

/** One Kubernetes API request: the HTTP operation as RBAC names its verb, and the URL path below the cluster's API URL. */
export interface KubernetesCall {
  /** RBAC verb of the request (`list` for a collection GET, `update` for a PUT). */
  readonly verb: 'get' | 'list' | 'create' | 'update' | 'delete';
  /** Path template as the source writes it (`{namespace}`, `{name}` filled at run time). */
  readonly path: string;
  readonly source: UpstreamFile;
}

/** A permission the component writes into objects it creates (a Role's rule, or a binding's role). */
export interface PortalGrant {
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly source: UpstreamFile;
}

const API = PORTAL_ENV_SOURCES.api;
const METRICS = PORTAL_ENV_SOURCES.metricsApi;
const apiYml = (line: number, key: string): UpstreamFile => ({ repo: API.repo, ref: API.commit, path: 'src/main/resources/application.yml', note: `line ${line}: cpMaster.api.list.*.${key}` });

/** cp-portal-api's operation names in application.yml (cpMaster.api.list.<resource>.<operation>) as RBAC verbs. */
const OPERATION_VERBS: Readonly<Record<string, KubernetesCall['verb']>> = {
  access: 'get', list: 'list', listAllNamespaces: 'list', get: 'get', create: 'create', delete: 'delete', update: 'update',
};

/**
 * cp-portal-api: every request path of its application.yml (cpMaster.api, lines 90-226), each sent
 * by RestTemplateService to the cluster's API URL with the cluster's token; `access` is the bare
 * `/api` it checks a cluster with.
 */
const API_PATHS: ReadonlyArray<readonly [number, string, string]> = [
  [93, 'access', '/api'],
  [96, 'list', '/api/v1/namespaces/{namespace}/services'],
  [97, 'get', '/api/v1/namespaces/{namespace}/services/{name}'],
  [98, 'create', '/api/v1/namespaces/{namespace}/services'],
  [99, 'delete', '/api/v1/namespaces/{namespace}/services/{name}'],
  [100, 'update', '/api/v1/namespaces/{namespace}/services/{name}'],
  [101, 'listAllNamespaces', '/api/v1/services'],
  [103, 'list', '/api/v1/namespaces/{namespace}/endpoints'],
  [104, 'get', '/api/v1/namespaces/{namespace}/endpoints/{name}'],
  [105, 'listAllNamespaces', '/api/v1/endpoints'],
  [107, 'list', '/api/v1/namespaces/{namespace}/pods'],
  [108, 'get', '/api/v1/namespaces/{namespace}/pods/{name}'],
  [109, 'create', '/api/v1/namespaces/{namespace}/pods'],
  [110, 'delete', '/api/v1/namespaces/{namespace}/pods/{name}'],
  [111, 'update', '/api/v1/namespaces/{namespace}/pods/{name}'],
  [112, 'listAllNamespaces', '/api/v1/pods'],
  [114, 'list', '/api/v1/nodes'],
  [115, 'get', '/api/v1/nodes/{name}'],
  [117, 'list', '/apis/apps/v1/namespaces/{namespace}/replicasets'],
  [118, 'get', '/apis/apps/v1/namespaces/{namespace}/replicasets/{name}'],
  [119, 'create', '/apis/apps/v1/namespaces/{namespace}/replicasets'],
  [120, 'delete', '/apis/apps/v1/namespaces/{namespace}/replicasets/{name}'],
  [121, 'update', '/apis/apps/v1/namespaces/{namespace}/replicasets/{name}'],
  [122, 'listAllNamespaces', '/apis/apps/v1/replicasets'],
  [124, 'list', '/api/v1/persistentvolumes'],
  [125, 'get', '/api/v1/persistentvolumes/{name}'],
  [126, 'create', '/api/v1/persistentvolumes'],
  [127, 'delete', '/api/v1/persistentvolumes/{name}'],
  [128, 'update', '/api/v1/persistentvolumes/{name}'],
  [129, 'listAllNamespaces', '/api/v1/persistentvolumes'],
  [131, 'list', '/api/v1/namespaces/{namespace}/persistentvolumeclaims'],
  [132, 'get', '/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}'],
  [133, 'create', '/api/v1/namespaces/{namespace}/persistentvolumeclaims'],
  [134, 'delete', '/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}'],
  [135, 'update', '/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}'],
  [136, 'listAllNamespaces', '/api/v1/persistentvolumeclaims'],
  [138, 'list', '/apis/storage.k8s.io/v1/storageclasses'],
  [139, 'get', '/apis/storage.k8s.io/v1/storageclasses/{name}'],
  [140, 'create', '/apis/storage.k8s.io/v1/storageclasses'],
  [141, 'delete', '/apis/storage.k8s.io/v1/storageclasses/{name}'],
  [142, 'update', '/apis/storage.k8s.io/v1/storageclasses/{name}'],
  [144, 'list', '/api/v1/namespaces/{namespace}/events'],
  [145, 'get', '/api/v1/namespaces/{namespace}/events/{name}'],
  [146, 'listAllNamespaces', '/api/v1/events'],
  [148, 'list', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles'],
  [149, 'get', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}'],
  [150, 'create', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles'],
  [151, 'delete', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}'],
  [152, 'update', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}'],
  [153, 'listAllNamespaces', '/apis/rbac.authorization.k8s.io/v1/roles'],
  [155, 'list', '/apis/apps/v1/namespaces/{namespace}/deployments'],
  [156, 'get', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'],
  [157, 'create', '/apis/apps/v1/namespaces/{namespace}/deployments'],
  [158, 'delete', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'],
  [159, 'update', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'],
  [160, 'listAllNamespaces', '/apis/apps/v1/deployments'],
  [162, 'list', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings'],
  [163, 'get', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings/{name}'],
  [164, 'create', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings'],
  [165, 'delete', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings/{name}'],
  [166, 'update', '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings/{name}'],
  [167, 'listAllNamespaces', '/apis/rbac.authorization.k8s.io/v1/rolebindings'],
  [169, 'list', '/api/v1/namespaces/{namespace}/serviceaccounts'],
  [170, 'get', '/api/v1/namespaces/{namespace}/serviceaccounts/{name}'],
  [171, 'create', '/api/v1/namespaces/{namespace}/serviceaccounts'],
  [172, 'delete', '/api/v1/namespaces/{namespace}/serviceaccounts/{name}'],
  [173, 'listAllNamespaces', '/api/v1/serviceaccounts'],
  [175, 'list', '/api/v1/namespaces'],
  [176, 'get', '/api/v1/namespaces/{namespace}'],
  [177, 'create', '/api/v1/namespaces'],
  [178, 'delete', '/api/v1/namespaces/{namespace}'],
  [179, 'update', '/api/v1/namespaces/{namespace}'],
  [181, 'list', '/api/v1/namespaces/{namespace}/resourcequotas'],
  [182, 'get', '/api/v1/namespaces/{namespace}/resourcequotas/{name}'],
  [183, 'create', '/api/v1/namespaces/{namespace}/resourcequotas'],
  [184, 'delete', '/api/v1/namespaces/{namespace}/resourcequotas/{name}'],
  [185, 'update', '/api/v1/namespaces/{namespace}/resourcequotas/{name}'],
  [186, 'listAllNamespaces', '/api/v1/resourcequotas'],
  [188, 'list', '/api/v1/namespaces/{namespace}/secrets'],
  [189, 'get', '/api/v1/namespaces/{namespace}/secrets/{name}'],
  [190, 'create', '/api/v1/namespaces/{namespace}/secrets'],
  [191, 'delete', '/api/v1/namespaces/{namespace}/secrets/{name}'],
  [192, 'update', '/api/v1/namespaces/{namespace}/secrets/{name}'],
  [193, 'listAllNamespaces', '/api/v1/secrets'],
  [195, 'create', '/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'],
  [197, 'create', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'],
  [198, 'delete', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{name}'],
  [200, 'list', '/api/v1/namespaces/{namespace}/limitranges'],
  [201, 'get', '/api/v1/namespaces/{namespace}/limitranges/{name}'],
  [202, 'create', '/api/v1/namespaces/{namespace}/limitranges'],
  [203, 'delete', '/api/v1/namespaces/{namespace}/limitranges/{name}'],
  [204, 'update', '/api/v1/namespaces/{namespace}/limitranges/{name}'],
  [205, 'listAllNamespaces', '/api/v1/limitranges'],
  [207, 'list', '/api/v1/namespaces/{namespace}/configmaps'],
  [208, 'get', '/api/v1/namespaces/{namespace}/configmaps/{name}'],
  [209, 'create', '/api/v1/namespaces/{namespace}/configmaps'],
  [210, 'delete', '/api/v1/namespaces/{namespace}/configmaps/{name}'],
  [211, 'update', '/api/v1/namespaces/{namespace}/configmaps/{name}'],
  [212, 'listAllNamespaces', '/api/v1/configmaps'],
  [214, 'list', '/apis/networking.k8s.io/v1/namespaces/{namespace}/ingresses'],
  [215, 'get', '/apis/networking.k8s.io/v1/namespaces/{namespace}/ingresses/{name}'],
  [216, 'create', '/apis/networking.k8s.io/v1/namespaces/{namespace}/ingresses'],
  [217, 'delete', '/apis/networking.k8s.io/v1/namespaces/{namespace}//ingresses/{name}'],
  [218, 'update', '/apis/networking.k8s.io/v1/namespaces/{namespace}/ingresses/{name}'],
  [219, 'listAllNamespaces', '/apis/networking.k8s.io/v1/ingresses'],
  [222, 'list', '/apis/metrics.k8s.io/v1beta1/nodes'],
  [223, 'get', '/apis/metrics.k8s.io/v1beta1/nodes/{name}'],
  [225, 'list', '/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods'],
  [226, 'get', '/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}'],
];

export const PORTAL_API_CALLS: readonly KubernetesCall[] = API_PATHS.map(([line, operation, path]) => ({
  verb: OPERATION_VERBS[operation], path, source: apiYml(line, operation),
}));

const metrics = (line: number, path: string): KubernetesCall => ({
  verb: path === '/' ? 'get' : 'list', path, source: { repo: METRICS.repo, ref: METRICS.commit, path: 'api/requestData.go', note: `line ${line}` },
});

/** cp-metrics-api: the collector's GETs on the cluster's API URL (its ping GETs the URL itself). */
export const PORTAL_METRIC_API_CALLS: readonly KubernetesCall[] = [
  metrics(15, '/apis/metrics.k8s.io/v1beta1/nodes'),
  metrics(56, '/'),
  metrics(78, '/api/v1/nodes'),
  metrics(133, '/api/v1/namespaces'),
  metrics(162, '/api/v1/pods'),
  metrics(197, '/api/v1/persistentvolumes'),
  metrics(226, '/api/v1/persistentvolumeclaims'),
];

const template = (name: string, note: string): UpstreamFile => ({ repo: API.repo, ref: API.commit, path: `src/main/resources/templates/${name}`, note });
const rules = (name: string, list: ReadonlyArray<readonly [string, readonly string[], readonly string[]]>): PortalGrant[] =>
  list.map(([apiGroup, resources, verbs]) => ({ apiGroup, resources, verbs, source: template(name, 'a rule of the Role the portal writes into each namespace it manages') }));

/**
 * What cp-portal-api grants: the Roles it writes per namespace (cp-admin-role for namespace
 * administrators, cp-init-role for users), and cluster-admin, which it binds its cluster
 * administrators to (create_clusterRoleBinding.ftl, roleRef ClusterRole cluster-admin).
 */
export const PORTAL_API_GRANTS: readonly PortalGrant[] = [
  ...rules('create_admin_role.ftl', [
    ['', ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], ['get', 'list', 'watch']],
    ['', ['serviceaccounts'], ['impersonate']],
    ['', ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['', ['pods/eviction'], ['create']],
    ['', ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['', ['serviceaccounts/token'], ['create']],
    ['apps', ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['autoscaling', ['horizontalpodautoscalers'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['batch', ['cronjobs', 'jobs'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['extensions', ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['policy', ['poddisruptionbudgets'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['networking.k8s.io', ['ingresses', 'networkpolicies'], ['create', 'delete', 'deletecollection', 'patch', 'update']],
    ['coordination.k8s.io', ['leases'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']],
    ['', ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], ['get', 'list', 'watch']],
    ['', ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], ['get', 'list', 'watch']],
    ['', ['namespaces'], ['get', 'list', 'watch']],
    ['discovery.k8s.io', ['endpointslices'], ['get', 'list', 'watch']],
    ['apps', ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], ['get', 'list', 'watch']],
    ['autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], ['get', 'list', 'watch']],
    ['batch', ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], ['get', 'list', 'watch']],
    ['extensions', ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], ['get', 'list', 'watch']],
    ['policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status'], ['get', 'list', 'watch']],
    ['networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies'], ['get', 'list', 'watch']],
    ['authorization.k8s.io', ['localsubjectaccessreviews'], ['create']],
    ['rbac.authorization.k8s.io', ['rolebindings', 'roles'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']],
  ]),
  ...rules('create_init_role.ftl', [
    ['', ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'secrets'], ['get', 'list', 'watch']],
    ['', ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], ['get', 'list', 'watch']],
    ['', ['namespaces'], ['get', 'list', 'watch']],
    ['discovery.k8s.io', ['endpointslices'], ['get', 'list', 'watch']],
    ['apps', ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], ['get', 'list', 'watch']],
    ['autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], ['get', 'list', 'watch']],
    ['batch', ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], ['get', 'list', 'watch']],
    ['extensions', ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], ['get', 'list', 'watch']],
    ['policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status'], ['get', 'list', 'watch']],
    ['networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies'], ['get', 'list', 'watch']],
    ['rbac.authorization.k8s.io', ['rolebindings', 'roles'], ['get', 'list', 'watch']],
  ]),
  { apiGroup: '*', resources: ['*'], verbs: ['*'], source: template('create_clusterRoleBinding.ftl', 'roleRef: ClusterRole cluster-admin (its rules are everything)') },
];

/** A resource request: API group, resource (with its subresource), and whether it names a namespace. */
export interface ResourceRequest {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

/**
 * The RBAC attributes of a call (Kubernetes' request info: /api/v1/... is the core group,
 * /apis/<group>/<version>/...; `namespaces/{namespace}` scopes the rest; a path without a resource is
 * a non-resource URL).
 */
export function requestOf(call: KubernetesCall): ResourceRequest | { readonly verb: string; readonly nonResourceUrl: string } {
  const parts = call.path.split('/').filter((p) => p !== '');
  let rest: string[];
  let apiGroup: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiGroup = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiGroup = parts[1];
    rest = parts.slice(3);
  } else {
    return { verb: call.verb, nonResourceUrl: `/${parts.join('/')}` };
  }
  // namespaces/{namespace}/<resource>/... is namespaced; namespaces/{namespace} alone is the namespace itself
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  if (namespaced) rest = rest.slice(2);
  const [resource, , subresource] = rest;
  return { verb: call.verb, apiGroup, resource: subresource ? `${resource}/${subresource}` : resource, namespaced };
}
