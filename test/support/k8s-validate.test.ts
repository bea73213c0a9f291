/**
 * The validation harness itself, on small fixtures: each check must be able to fail (otherwise
 * the tests over the real output would prove nothing), and valid objects must pass.
 */
import { K8sValidator, loadCrds, loadDefinitions, parseCrd, pointerToPath, strictSchema, CRD_SOURCES, K8S_DEFINITIONS_FILE } from './k8s-validate';
import type { JsonSchema } from './k8s-validate';
import type { K8sObject, ManifestObject } from './k8s-manifests';

const definitions = loadDefinitions();
const metallb = loadCrds(CRD_SOURCES);
if (!definitions) console.warn(`SKIPPED: ${K8S_DEFINITIONS_FILE} not found; the strict schema self-tests do not run`);
if (metallb.length === 0) console.warn(`SKIPPED: no CRDs under ${CRD_SOURCES.join(', ')}; the MetalLB self-tests do not run`);
const withDefs = definitions ? it : it.skip;
const withMetallb = definitions && metallb.length > 0 ? it : it.skip;

const validator = new K8sValidator({ definitions, crds: metallb });

function at(object: object, file = 'manifests/99-fixture.yaml'): ManifestObject {
  return { file, index: 0, object: object as K8sObject };
}

function deployment(patch: { spec?: Record<string, unknown>; container?: Record<string, unknown>; containers?: unknown[] } = {}): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: patch.containers ?? [{
            name: 'web',
            image: 'nginx:1.27.3',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 8080, name: 'http' }],
            readinessProbe: { httpGet: { path: '/', port: 'http' } },
            livenessProbe: { httpGet: { path: '/', port: 8080 } },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: 128974848 } },
            ...patch.container,
          }],
        },
      },
      ...patch.spec,
    },
  };
}

function pool(spec: Record<string, unknown>): object {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: 'default', namespace: 'metallb-system' },
    spec,
  };
}

const check = (o: object) => validator.validateAll([at(o)]);

describe('strict Kubernetes schema (1.32 definitions)', () => {
  withDefs('passes a valid Deployment', () => {
    expect(check(deployment())).toEqual([]);
  });

  withDefs('fails an unknown field (replcas), naming file, object and path', () => {
    expect(check(deployment({ spec: { replcas: 3 } }))).toEqual([
      'manifests/99-fixture.yaml: Deployment demo/web: .spec.replcas: unknown field [schema]',
    ]);
  });

  withDefs('fails an unknown field deep in the pod template', () => {
    expect(check(deployment({ container: { resources: { request: { cpu: '1' } } } }))).toEqual([
      'manifests/99-fixture.yaml: Deployment demo/web: .spec.template.spec.containers[0].resources.request: unknown field [schema]',
    ]);
  });

  withDefs('fails a missing required field (a container without a name)', () => {
    const issues = check(deployment({ containers: [{ image: 'nginx:1.27.3' }] }));
    expect(issues).toContain('manifests/99-fixture.yaml: Deployment demo/web: .spec.template.spec.containers[0].name: required field is missing [schema]');
  });

  withDefs('fails a wrong type (replicas as a string)', () => {
    expect(check(deployment({ spec: { replicas: 'two' } }))).toContain(
      'manifests/99-fixture.yaml: Deployment demo/web: .spec.replicas: must be integer [schema]',
    );
  });

  withDefs('fails an int32 out of range', () => {
    expect(check(deployment({ spec: { replicas: 2 ** 31 } }))).toContain(
      'manifests/99-fixture.yaml: Deployment demo/web: .spec.replicas: must match format "int32" [schema]',
    );
  });

  withDefs('accepts int-or-string and quantities both as numbers and strings', () => {
    expect(check(deployment({ spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } } }))).toEqual([]);
    expect(check(deployment({ spec: { strategy: { rollingUpdate: { maxSurge: true } } } }))).toContain(
      'manifests/99-fixture.yaml: Deployment demo/web: .spec.strategy.rollingUpdate.maxSurge: must be string [schema]',
    );
  });

  withDefs('fails an unknown metadata field and leaves label maps open', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', label: { a: 'b' }, labels: { 'x.io/any': 'v' } }, data: { k: 'v' } };
    expect(check(o)).toEqual(['manifests/99-fixture.yaml: ConfigMap n/c: .metadata.label: unknown field [schema]']);
  });

  withDefs('fails Secret data that is not base64', () => {
    const o = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { ok: 'aGk=', bad: 'not base64!' } };
    expect(check(o)).toEqual([
      'manifests/99-fixture.yaml: Secret n/s: .data.bad: must match format "byte" [schema]',
      'manifests/99-fixture.yaml: Secret n/s: .data.bad: must match format "byte" [kubernetes-models]',
    ]);
  });

  withDefs('knows built-in kinds by apiVersion, not by kind alone', () => {
    expect(validator.isBuiltIn('apps/v1', 'Deployment')).toBe(true);
    expect(validator.isBuiltIn('v1', 'Namespace')).toBe(true);
    expect(validator.isBuiltIn('apps/v2', 'Deployment')).toBe(false);
    expect(validator.isNamespaced('v1', 'Namespace')).toBe(false);
    expect(validator.isNamespaced('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(false);
    expect(validator.isNamespaced('apps/v1', 'Deployment')).toBe(true);
  });
});

describe('kubernetes-models', () => {
  it('fails a bad enum value (imagePullPolicy: Sometimes)', () => {
    expect(check(deployment({ container: { imagePullPolicy: 'Sometimes' } }))).toEqual([
      'manifests/99-fixture.yaml: Deployment demo/web: .spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never" [kubernetes-models]',
    ]);
  });

  it('runs without the definitions too (kinds then come from kubernetes-models)', () => {
    const bare = new K8sValidator();
    expect(bare.validateAll([at(deployment())])).toEqual([]);
    expect(bare.validateAll([at(deployment({ container: { imagePullPolicy: 'Sometimes' } }))])).toHaveLength(1);
    expect(bare.isBuiltIn('apps/v1', 'Deployment')).toBe(true);
    expect(bare.isBuiltIn('example.com/v1', 'Widget')).toBe(false);
  });
});

describe('custom resources against their CRD', () => {
  withMetallb('loads the MetalLB CRDs from the reference folder', () => {
    expect(metallb.map((c) => c.name)).toEqual(expect.arrayContaining(['ipaddresspools.metallb.io', 'l2advertisements.metallb.io']));
    expect(validator.isNamespaced('metallb.io/v1beta1', 'IPAddressPool')).toBe(true);
  });

  withMetallb('passes a valid IPAddressPool and L2Advertisement', () => {
    expect(check(pool({ addresses: ['172.16.0.210-172.16.0.250'], autoAssign: true }))).toEqual([]);
    expect(check({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'l2', namespace: 'metallb-system' },
      spec: { ipAddressPools: ['default'], nodeSelectors: [{ matchLabels: { 'node-role.kubernetes.io/worker': '' } }] },
    })).toEqual([]);
  });

  withMetallb('fails an IPAddressPool with an unknown spec field', () => {
    expect(check(pool({ addresses: ['172.16.0.210-172.16.0.250'], autoAsign: false }))).toEqual([
      'manifests/99-fixture.yaml: IPAddressPool metallb-system/default: .spec.autoAsign: unknown field [crd]',
    ]);
  });

  withMetallb('fails an IPAddressPool with a field of the wrong type', () => {
    expect(check(pool({ addresses: '172.16.0.210-172.16.0.250' }))).toEqual([
      'manifests/99-fixture.yaml: IPAddressPool metallb-system/default: .spec.addresses: must be array [crd]',
    ]);
  });

  withMetallb('fails an unknown field in a custom resource\'s metadata', () => {
    expect(check({ ...pool({ addresses: ['172.16.0.210/32'] }), metadata: { name: 'p', namespace: 'metallb-system', lables: {} } })).toEqual([
      'manifests/99-fixture.yaml: IPAddressPool metallb-system/p: .metadata.lables: unknown field [crd]',
    ]);
  });

  withMetallb('fails a version the CRD does not have', () => {
    expect(check({ ...pool({ addresses: [] }), apiVersion: 'metallb.io/v9' })).toEqual([
      'manifests/99-fixture.yaml: IPAddressPool metallb-system/default: .apiVersion: CRD ipaddresspools.metallb.io has no version v9 (it has v1beta1) [crd]',
    ]);
  });

  it('fails an unknown kind (neither built in nor a known CRD)', () => {
    const o = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'demo' }, spec: {} };
    expect(check(o)).toEqual([
      'manifests/99-fixture.yaml: Widget demo/w: (object): unknown kind example.com/v1 Widget: neither a Kubernetes 1.32 built-in nor defined by a known CRD [kind]',
    ]);
  });
});

describe('CRDs in the output itself, and the structural-schema rules', () => {
  // A CRD exercising what MetalLB's do not: preserve-unknown-fields, int-or-string, nullable, unserved versions.
  const widgetCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      scope: 'Cluster',
      versions: [
        { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { 'x-kubernetes-int-or-string': true },
                    note: { type: 'string', nullable: true },
                    mode: { type: 'string', enum: ['a', 'b'] },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  const widget = (spec: Record<string, unknown>, apiVersion = 'example.com/v1') =>
    at({ apiVersion, kind: 'Widget', metadata: { name: 'w' }, spec }, 'manifests/50-widgets.yaml');
  const crdObject = at(widgetCrd, 'manifests/00-crds.yaml');
  const withWidgets = new K8sValidator({ definitions }); // its own, so the shared one never learns Widget
  const run = (o: ManifestObject) => withWidgets.validateAll([crdObject, o]);

  it('validates custom resources of a CRD the output installs', () => {
    expect(run(widget({ size: 3, note: null, mode: 'a', extra: { anything: { goes: 1 } } }))).toEqual([]);
    expect(run(widget({ size: '50%' }))).toEqual([]);
  });

  it('fails unknown fields, missing required fields, wrong int-or-string and enum values', () => {
    expect(run(widget({ sise: 3 }))).toEqual([
      'manifests/50-widgets.yaml: Widget w: .spec.size: required field is missing [crd]',
      'manifests/50-widgets.yaml: Widget w: .spec.sise: unknown field [crd]',
    ]);
    expect(run(widget({ size: 1.5, mode: 'c' }))).toEqual([
      'manifests/50-widgets.yaml: Widget w: .spec.size: must be integer,string [crd]',
      'manifests/50-widgets.yaml: Widget w: .spec.mode: must be one of "a", "b" [crd]',
    ]);
  });

  it('fails a version that is not served', () => {
    expect(run(widget({ size: 1 }, 'example.com/v1alpha1'))).toEqual([
      'manifests/50-widgets.yaml: Widget w: .apiVersion: version v1alpha1 of CRD widgets.example.com is not served [crd]',
    ]);
  });

  it('takes the scope from the CRD', () => {
    const v = new K8sValidator({ crds: [parseCrd(widgetCrd, 'fixture')] });
    expect(v.isNamespaced('example.com/v1', 'Widget')).toBe(false);
    expect(v.isNamespaced('example.com/v1', 'Gadget')).toBeUndefined();
  });

  it('refuses two different CRDs of the same name', () => {
    const other = { ...widgetCrd, spec: { ...widgetCrd.spec, versions: [widgetCrd.spec.versions[1]] } };
    expect(() => new K8sValidator({ crds: [parseCrd(widgetCrd, 'a.yaml'), parseCrd(other, 'b.yaml')] }))
      .toThrow('CRD widgets.example.com is defined twice, differently: a.yaml and b.yaml');
  });
});

describe('strictSchema', () => {
  it('closes object schemas with properties, and only those', () => {
    const s = strictSchema({
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } } },
        open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { c: { type: 'string' } } },
        map: { type: 'object', additionalProperties: { type: 'object', properties: { d: { type: 'integer' } } } },
        list: { type: 'array', items: { type: 'object', properties: { e: { type: 'string' } } } },
        any: { type: 'object' },
        // a property called "properties" (as in JSONSchemaProps) is a schema, not a keyword
        properties: { type: 'object', additionalProperties: { $ref: '#/definitions/x' } },
      },
      enum: [{ properties: {} }],
    });
    const p = s.properties as Record<string, JsonSchema>;
    expect(s.additionalProperties).toBe(false);
    expect((p.a as JsonSchema).additionalProperties).toBe(false);
    expect(p.open.additionalProperties).toBeUndefined();
    expect((p.map.additionalProperties as JsonSchema).additionalProperties).toBe(false);
    expect((p.list.items as JsonSchema).additionalProperties).toBe(false);
    expect(p.any.additionalProperties).toBeUndefined();
    expect(p.properties.additionalProperties).toEqual({ $ref: '#/definitions/x' });
    expect(s.enum).toEqual([{ properties: {} }]); // values are not schemas
  });

  it('turns both int-or-string spellings into integer-or-string and drops unknown formats', () => {
    expect(strictSchema({ 'x-kubernetes-int-or-string': true }).type).toEqual(['integer', 'string']);
    expect(strictSchema({ type: 'string', format: 'int-or-string' })).toEqual({ type: ['integer', 'string'] });
    expect(strictSchema({ type: 'string', format: 'hostname' })).toEqual({ type: 'string' });
    expect(strictSchema({ type: 'integer', format: 'int32' })).toEqual({ type: 'integer', format: 'int32' });
  });
});

describe('pointerToPath', () => {
  it('writes JSON pointers kubectl-style', () => {
    expect(pointerToPath('')).toBe('');
    expect(pointerToPath('/spec/containers/0/name')).toBe('.spec.containers[0].name');
    expect(pointerToPath('/metadata/labels/app.kubernetes.io~1name')).toBe('.metadata.labels["app.kubernetes.io/name"]');
  });
});
