/**
 * What the pods of dist/manifests reference by name exists: every Secret and ConfigMap (and the
 * keys taken from them) in dist, in what `kpaas secrets` writes (secrets/catalog.ts), or on the
 * named list of objects made outside the project, each with its reason; every Ingress backend
 * is a Service with that port; every Service's selector matches a pod template that has the
 * Service's targetPort.
 */
import { parseConfig } from '../../config';
import { secretCatalog } from '../../secrets/catalog';
import { HARBOR_SECRETS } from '../../platform/harbor';
import { PORTAL_SECRETS } from '../../platform/portal';
import { describeObject, ofKind, renderManifests, selectorMatches, workloads } from '../support/k8s-manifests';
import type { ManifestObject, Workload } from '../support/k8s-manifests';

/**
 * Secrets and ConfigMaps (`Kind namespace/name`) that exist on the cluster without being in dist
 * or the secrets catalog, with their keys and who makes them.
 */
const MADE_ELSEWHERE: Readonly<Record<string, { readonly keys: readonly string[]; readonly madeBy: string }>> = {
  [`Secret cp-portal/${PORTAL_SECRETS.openbao}`]: {
    keys: ['roleId', 'secretId'],
    madeBy: '`kpaas portal register` (docs/portal.md), from OpenBao after its configuration stack is applied: the AppRole\'s role ID and a secret ID go from OpenBao to the cluster without touching a file',
  },
  [`Secret cp-portal/${PORTAL_SECRETS.registry}`]: {
    keys: ['.dockerconfigjson'],
    madeBy: 'dist/ansible/playbooks/portal-images.yml (docs/portal-images.md): the login of a pull-only robot account Harbor creates, applied with kubectl, never written to a file',
  },
};

/** ConfigMaps Kubernetes itself puts in every namespace (kube-controller-manager\'s root CA publisher). */
const CLUSTER_MADE_CONFIGMAPS: Readonly<Record<string, readonly string[]>> = { 'kube-root-ca.crt': ['ca.crt'] };

/**
 * Pod labels a program sets on its own pods at run time (workload `namespace/name` -> label keys),
 * so a Service may select on them though no pod template carries them.
 */
const RUNTIME_POD_LABELS: Readonly<Record<string, { readonly labels: readonly string[]; readonly source: string }>> = {
  'openbao/openbao': {
    labels: ['openbao-active', 'openbao-sealed', 'openbao-perf-standby', 'openbao-initialized', 'openbao-version'],
    source: 'OpenBao\'s Kubernetes service registration patches its own pod\'s labels (openbao/openbao v2.6.2 serviceregistration/kubernetes/service_registration.go: labelActive = "openbao-active", ...)',
  },
};

const CONFIGS = [
  { title: 'default config', input: {} },
  { title: 'scaled config', input: { domain: 'paas.example.org', nodes: { workers: { ips: ['172.16.0.12'] } }, openbao: { replicas: 5 }, identity: { keycloakReplicas: 3, realm: 'acme' } } },
];

/** One reference of a pod (or Ingress) to a Secret or ConfigMap, with the keys it takes (undefined: the whole object). */
interface Reference {
  readonly where: string;
  readonly kind: 'Secret' | 'ConfigMap';
  readonly namespace: string;
  readonly name: string;
  readonly keys?: readonly string[];
  readonly optional: boolean;
}

describe.each(CONFIGS)('references between objects ($title)', ({ input }) => {
  const { objects } = renderManifests(input);
  const available = availableObjects(objects, parseConfig(input));
  const ws = workloads(objects);
  const refs = [...ws.flatMap(podReferences), ...ofKind<IngressObject>(objects, 'Ingress', 'networking.k8s.io/v1').flatMap(ingressTlsReferences)];

  it('finds references to check, so the contract does not pass vacuously', () => {
    expect(refs.filter((r) => r.kind === 'Secret').length).toBeGreaterThan(10);
    expect(refs.filter((r) => r.kind === 'ConfigMap').length).toBeGreaterThan(3);
  });

  it('references only Secrets and ConfigMaps (and keys) that exist: in dist, in the secrets catalog, or on the named list of objects made elsewhere', () => {
    expect(missingReferences(refs, available)).toEqual([]);
  });

  it('lists only objects made elsewhere that a pod references and neither dist nor the catalog holds', () => {
    expect(Object.keys(MADE_ELSEWHERE).flatMap((id) => [
      !refs.some((r) => `${r.kind} ${r.namespace}/${r.name}` === id) && `MADE_ELSEWHERE: ${id} is not referenced`,
      available.fromProject.has(id) && `MADE_ELSEWHERE: ${id} is in dist or the secrets catalog`,
    ].filter((v): v is string => typeof v === 'string'))).toEqual([]);
  });

  it('routes every Ingress backend to a Service of its namespace, on a port the Service has', () => {
    expect(ingressBackendProblems(objects)).toEqual([]);
  });

  it('selects a pod template with every Service, on a targetPort (number or name) its containers have', () => {
    expect(serviceProblems(objects, ws)).toEqual([]);
  });
});

describe('the reference checks themselves', () => {
  const { objects } = renderManifests({});
  const available = availableObjects(objects, parseConfig({}));
  const ws = workloads(objects);

  it('fail on a seeded reference to a Secret key that does not exist, and to a ConfigMap that does not exist', () => {
    const seeded: Reference[] = [
      { where: 'seeded', kind: 'Secret', namespace: 'harbor', name: HARBOR_SECRETS.db, keys: ['pasword'], optional: false },
      { where: 'seeded', kind: 'ConfigMap', namespace: 'harbor', name: 'harbor-core-typo', optional: false },
    ];
    expect(missingReferences(seeded, available)).toEqual([
      expect.stringContaining('seeded: key pasword of Secret harbor/harbor-db does not exist'),
      'seeded: ConfigMap harbor/harbor-core-typo exists neither in dist, the secrets catalog, nor MADE_ELSEWHERE',
    ]);
  });

  it('fail on a seeded typo in a real pod\'s secretKeyRef', () => {
    const w = ws.find((x) => (x.podSpec.containers ?? []).some((c) => (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef)))!;
    const containers = (w.podSpec.containers ?? []).map((c) => ({
      ...c,
      env: (c.env ?? []).map((e) => (e.valueFrom?.secretKeyRef ? { ...e, valueFrom: { secretKeyRef: { ...e.valueFrom.secretKeyRef, key: `${e.valueFrom.secretKeyRef.key}-typo` } } } : e)),
    }));
    expect(missingReferences(podReferences(w), available)).toEqual([]);
    expect(missingReferences(podReferences({ ...w, podSpec: { ...w.podSpec, containers } }), available).length).toBeGreaterThan(0);
  });

  it('fail on a seeded Ingress backend port the Service does not have', () => {
    const ingresses = objects.filter((m) => m.object.kind === 'Ingress');
    const first = ingresses[0];
    const spec = first.object.spec as IngressObject['spec'];
    const rule = spec.rules![0];
    const path = rule.http!.paths[0];
    const seeded = { ...first, object: { ...first.object, spec: { ...spec, rules: [{ ...rule, http: { paths: [{ ...path, backend: { service: { name: path.backend.service!.name, port: { number: 1 } } } }] } }] } } };
    expect(ingressBackendProblems([...objects.filter((m) => m !== first), seeded])).toEqual([expect.stringContaining('has no port 1')]);
  });

  it('fail on a seeded Service targetPort no selected container has, and on a selector that matches no pod', () => {
    const svc = objects.find((m) => m.object.kind === 'Service' && m.object.metadata.name === 'chartmuseum')!;
    const spec = svc.object.spec as ServiceObject['spec'];
    const badPort = { ...svc, object: { ...svc.object, spec: { ...spec, ports: [{ ...spec.ports![0], targetPort: 'htp' }] } } };
    const badSelector = { ...svc, object: { ...svc.object, spec: { ...spec, selector: { 'app.kubernetes.io/name': 'chartmusem' } } } };
    expect(serviceProblems([...objects.filter((m) => m !== svc), badPort], ws)).toEqual([expect.stringContaining('targetPort htp')]);
    expect(serviceProblems([...objects.filter((m) => m !== svc), badSelector], ws)).toEqual([expect.stringContaining('selects no pod template')]);
  });
});

// ---------------------------------------------------------------------------------------------

interface Available {
  /** `Kind namespace/name` -> keys, of what dist and the secrets catalog hold. */
  readonly fromProject: ReadonlyMap<string, ReadonlySet<string>>;
}

function availableObjects(objects: readonly ManifestObject[], config: ReturnType<typeof parseConfig>): Available {
  const out = new Map<string, Set<string>>();
  const add = (id: string, keys: Iterable<string>) => out.set(id, new Set([...(out.get(id) ?? []), ...keys]));
  for (const { object } of ofKind<DataObject>(objects, 'Secret', 'v1')) add(`Secret ${object.metadata.namespace}/${object.metadata.name}`, [...Object.keys(object.data ?? {}), ...Object.keys(object.stringData ?? {})]);
  for (const { object } of ofKind<DataObject>(objects, 'ConfigMap', 'v1')) add(`ConfigMap ${object.metadata.namespace}/${object.metadata.name}`, [...Object.keys(object.data ?? {}), ...Object.keys(object.binaryData ?? {})]);
  for (const s of secretCatalog(config).secrets) add(`Secret ${s.namespace}/${s.name}`, Object.keys(s.keys));
  return { fromProject: out };
}

function keysOf(kind: 'Secret' | 'ConfigMap', namespace: string, name: string, available: Available): ReadonlySet<string> | undefined {
  const id = `${kind} ${namespace}/${name}`;
  const own = available.fromProject.get(id);
  if (own) return own;
  if (MADE_ELSEWHERE[id]) return new Set(MADE_ELSEWHERE[id].keys);
  if (kind === 'ConfigMap' && CLUSTER_MADE_CONFIGMAPS[name]) return new Set(CLUSTER_MADE_CONFIGMAPS[name]);
  return undefined;
}

function missingReferences(refs: readonly Reference[], available: Available): string[] {
  return refs.flatMap((r) => {
    if (r.optional) return [];
    const keys = keysOf(r.kind, r.namespace, r.name, available);
    if (!keys) return [`${r.where}: ${r.kind} ${r.namespace}/${r.name} exists neither in dist, the secrets catalog, nor MADE_ELSEWHERE`];
    return (r.keys ?? []).filter((k) => !keys.has(k))
      .map((k) => `${r.where}: key ${k} of ${r.kind} ${r.namespace}/${r.name} does not exist (it has ${[...keys].sort().join(', ')})`);
  });
}

/** Every Secret and ConfigMap a workload's pods reference: env, envFrom, volumes (incl. projected), imagePullSecrets. */
function podReferences(w: Workload): Reference[] {
  const ns = w.namespace;
  const where = describeObject(w.source);
  const out: Reference[] = [];
  const ref = (kind: Reference['kind'], name: string | undefined, keys: readonly string[] | undefined, optional: boolean | undefined, what: string) =>
    name && out.push({ where: `${where}: ${what}`, kind, namespace: ns, name, keys, optional: optional === true });
  for (const c of [...(w.podSpec.initContainers ?? []), ...(w.podSpec.containers ?? [])]) {
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      const m = e.valueFrom?.configMapKeyRef;
      if (s) ref('Secret', s.name, [s.key], s.optional, `container ${c.name} env ${e.name}`);
      if (m) ref('ConfigMap', m.name, [m.key], m.optional, `container ${c.name} env ${e.name}`);
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef) ref('Secret', e.secretRef.name, undefined, e.secretRef.optional, `container ${c.name} envFrom`);
      if (e.configMapRef) ref('ConfigMap', e.configMapRef.name, undefined, e.configMapRef.optional, `container ${c.name} envFrom`);
    }
  }
  const items = (xs: ReadonlyArray<{ key: string }> | undefined) => xs?.map((i) => i.key);
  for (const v of w.podSpec.volumes ?? []) {
    if (v.secret) ref('Secret', v.secret.secretName, items(v.secret.items), v.secret.optional, `volume ${v.name}`);
    if (v.configMap) ref('ConfigMap', v.configMap.name, items(v.configMap.items), v.configMap.optional, `volume ${v.name}`);
    for (const src of v.projected?.sources ?? []) {
      if (src.secret) ref('Secret', src.secret.name, items(src.secret.items), src.secret.optional, `volume ${v.name} (projected)`);
      if (src.configMap) ref('ConfigMap', src.configMap.name, items(src.configMap.items), src.configMap.optional, `volume ${v.name} (projected)`);
    }
  }
  for (const p of w.podSpec.imagePullSecrets ?? []) ref('Secret', p.name, undefined, false, 'imagePullSecrets');
  return out;
}

interface DataObject {
  readonly metadata: { name?: string; namespace?: string };
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
  readonly binaryData?: Record<string, string>;
}

interface ServicePortRef { readonly name?: string; readonly number?: number }
interface IngressObject {
  readonly metadata: { name?: string; namespace?: string };
  readonly spec: {
    readonly tls?: ReadonlyArray<{ secretName?: string }>;
    readonly defaultBackend?: { service?: { name: string; port: ServicePortRef } };
    readonly rules?: ReadonlyArray<{ host?: string; http?: { paths: ReadonlyArray<{ path?: string; backend: { service?: { name: string; port: ServicePortRef } } }> } }>;
  };
}

interface ServiceObject {
  readonly metadata: { name?: string; namespace?: string };
  readonly spec: {
    readonly selector?: Record<string, string>;
    readonly ports?: ReadonlyArray<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
  };
}

function ingressTlsReferences({ source, object }: { source: ManifestObject; object: IngressObject }): Reference[] {
  return (object.spec.tls ?? []).flatMap((t) => (t.secretName
    ? [{ where: `${describeObject(source)}: tls`, kind: 'Secret' as const, namespace: object.metadata.namespace ?? 'default', name: t.secretName, keys: ['tls.crt', 'tls.key'], optional: false }]
    : []));
}

function ingressBackendProblems(objects: readonly ManifestObject[]): string[] {
  const services = new Map(ofKind<ServiceObject>(objects, 'Service', 'v1').map(({ object }) => [`${object.metadata.namespace}/${object.metadata.name}`, object]));
  return ofKind<IngressObject>(objects, 'Ingress', 'networking.k8s.io/v1').flatMap(({ source, object }) => {
    const backends = [
      ...(object.spec.defaultBackend?.service ? [{ at: 'defaultBackend', svc: object.spec.defaultBackend.service }] : []),
      ...(object.spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).flatMap((p) => (p.backend.service ? [{ at: `${r.host ?? '*'}${p.path ?? ''}`, svc: p.backend.service }] : []))),
    ];
    return backends.flatMap(({ at, svc }) => {
      const s = services.get(`${object.metadata.namespace}/${svc.name}`);
      const port = svc.port.name ?? svc.port.number;
      if (!s) return [`${describeObject(source)}: ${at}: no Service ${object.metadata.namespace}/${svc.name}`];
      const has = (s.spec.ports ?? []).some((p) => (svc.port.name !== undefined ? p.name === svc.port.name : p.port === svc.port.number));
      return has ? [] : [`${describeObject(source)}: ${at}: Service ${object.metadata.namespace}/${svc.name} has no port ${port}`];
    });
  });
}

function serviceProblems(objects: readonly ManifestObject[], ws: readonly Workload[]): string[] {
  return ofKind<ServiceObject>(objects, 'Service', 'v1').flatMap(({ source, object: s }) => {
    if (!s.spec.selector) return []; // endpoints managed by hand or by a controller
    const selected = ws.filter((w) => {
      if (w.namespace !== s.metadata.namespace) return false;
      const runtime = RUNTIME_POD_LABELS[`${w.namespace}/${w.name}`]?.labels ?? [];
      const fixed = Object.fromEntries(Object.entries(s.spec.selector ?? {}).filter(([k]) => !runtime.includes(k)));
      return selectorMatches({ matchLabels: fixed }, w.podLabels);
    });
    if (selected.length === 0) return [`${describeObject(source)}: selects no pod template (selector ${JSON.stringify(s.spec.selector)})`];
    return (s.spec.ports ?? []).flatMap((p) => {
      const target = p.targetPort ?? p.port;
      const protocol = p.protocol ?? 'TCP';
      return selected.flatMap((w) => {
        const ports = [...(w.podSpec.containers ?? [])].flatMap((c) => c.ports ?? []);
        const ok = ports.some((cp) => (cp.protocol ?? 'TCP') === protocol
          && (typeof target === 'number' || /^\d+$/.test(String(target)) ? cp.containerPort === Number(target) : cp.name === target));
        return ok ? [] : [`${describeObject(source)}: port ${p.name ?? p.port}: targetPort ${target} is no ${protocol} container port of ${describeObject(w.source)}`];
      });
    });
  });
}
