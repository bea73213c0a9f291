import { Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import type { Connection } from '../../../config/contracts/connections';
import { PLATFORM_SERVICES, platformConnections } from '../../../platform';
import { ChartmuseumChart } from '../../../platform/chartmuseum/chartmuseum-chart';
import { CHARTMUSEUM_CONNECTIONS } from '../../../platform/chartmuseum/chartmuseum-connections';
import { CHARTMUSEUM_ENDPOINTS } from '../../../platform/chartmuseum/chartmuseum-names';
import { CHARTMUSEUM } from '../../../platform/chartmuseum/chartmuseum-service';
import { secretCatalog } from '../../../secrets/catalog';
import { find, manifestFiles, objectsOf } from '../../support/manifests';

describe('ChartMuseum chart', () => {
  const yaml = manifestFiles().get('60-chartmuseum.yaml')!;
  const objects = objectsOf(yaml);
  const deployment = find(objects, 'Deployment', 'chartmuseum');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map((e: { name: string; value?: string; valueFrom?: { secretKeyRef: unknown } }) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]));

  it('runs one pinned ChartMuseum with local storage, the upload API on and basic auth from chartmuseum-auth', () => {
    expect(container.image).toBe('ghcr.io/helm/chartmuseum:v0.16.6');
    expect(env).toEqual({
      PORT: '8080',
      STORAGE: 'local',
      STORAGE_LOCAL_ROOTDIR: '/charts',
      DISABLE_API: 'false',
      ALLOW_OVERWRITE: 'false',
      MAX_UPLOAD_SIZE: String(20 * 1024 * 1024),
      DISABLE_METRICS: 'true',
      LOG_JSON: 'true',
      BASIC_AUTH_USER: { name: 'chartmuseum-auth', key: 'username' },
      BASIC_AUTH_PASS: { name: 'chartmuseum-auth', key: 'password' },
    });
    const auth = secretCatalog(parseConfig({})).secrets.find((s) => s.name === 'chartmuseum-auth')!;
    expect([auth.namespace, Object.keys(auth.keys).sort()]).toEqual(['chartmuseum', ['password', 'username']]);
  });

  it('keeps a single replica that is stopped before its successor starts (one writer of the index)', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });

  it('stores charts on the shared class, mounted at the storage root', () => {
    expect(find(objects, 'PersistentVolumeClaim', 'chartmuseum-pvc').spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'cp-storageclass', resources: { requests: { storage: '5Gi' } },
    });
    expect(pod.volumes).toContainEqual({ name: 'storage', persistentVolumeClaim: { claimName: 'chartmuseum-pvc' } });
    expect(container.volumeMounts).toContainEqual({ name: 'storage', mountPath: env.STORAGE_LOCAL_ROOTDIR });
  });

  it('probes /health and runs as a non-root user with a read-only root filesystem and no token', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual(['chartmuseum', false]);
  });

  it('routes chartmuseum.<domain> with its certificate and lets through the largest upload it accepts', () => {
    const ingress = find(objects, 'Ingress', 'chartmuseum');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['chartmuseum.k-paas.io'], secretName: 'chartmuseum-tls' }],
      rules: [{ host: 'chartmuseum.k-paas.io', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'chartmuseum', port: { number: 8080 } } } }] } }],
    });
    const bodyMiB = Number(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-body-size'].replace(/m$/, ''));
    expect(bodyMiB * 1024 * 1024).toBe(Number(env.MAX_UPLOAD_SIZE));
  });

  it('accepts traffic only from the ingress controller, on its port, and sends none', () => {
    expect(find(objects, 'NetworkPolicy', 'chartmuseum').spec).toEqual({
      podSelector: { matchLabels: deployment.spec.selector.matchLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });

  it('follows the configured domain', () => {
    const o = objectsOf(manifestFiles({ domain: 'example.org' }).get('60-chartmuseum.yaml')!);
    expect(find(o, 'Ingress', 'chartmuseum').spec.rules[0].host).toBe('chartmuseum.example.org');
  });

  it('has no secret values in its output', () => {
    expect(yaml).not.toMatch(/kind: Secret\b/);
  });
});

describe('ChartmuseumChart', () => {
  const config = parseConfig({});
  const synth = (connections: readonly Connection[], size?: string) => {
    const chart = new ChartmuseumChart(Testing.app(), 'chartmuseum', { config, connections, storageClass: { name: 'shared' }, size });
    const objects = Testing.synth(chart);
    return { objects, get: (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) };
  };
  const { objects, get } = synth(platformConnections(PLATFORM_SERVICES, config));
  const selector = { 'app.kubernetes.io/name': 'chartmuseum', 'app.kubernetes.io/component': 'server' };

  it('builds its Service from the address the descriptor declares, on the container\'s port', () => {
    expect(CHARTMUSEUM.endpoints).toBe(CHARTMUSEUM_ENDPOINTS);
    expect(get('Service', 'chartmuseum').spec).toEqual({ selector, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
    const container = get('Deployment', 'chartmuseum').spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(container.env).toContainEqual({ name: 'PORT', value: '8080' });
  });

  it('derives its policy from the connections: the ingress controller on http, nothing out', () => {
    const ingress = [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }];
    expect(get('NetworkPolicy', 'chartmuseum').spec).toEqual({ podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress });
    expect(synth(CHARTMUSEUM_CONNECTIONS).get('NetworkPolicy', 'chartmuseum').spec.ingress).toEqual(ingress);
    // without the declared connection, nothing gets in
    expect(synth([]).get('NetworkPolicy', 'chartmuseum').spec).toEqual({ podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'] });
  });

  it('is one workload: a ServiceAccount without a token, the Deployment, a claim of the given size, no budget', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/chartmuseum', 'Ingress/chartmuseum', 'NetworkPolicy/chartmuseum', 'PersistentVolumeClaim/chartmuseum-pvc', 'Service/chartmuseum', 'ServiceAccount/chartmuseum',
    ]);
    expect(get('ServiceAccount', 'chartmuseum').automountServiceAccountToken).toBe(false);
    expect(synth([], '9Gi').get('PersistentVolumeClaim', 'chartmuseum-pvc').spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'shared', resources: { requests: { storage: '9Gi' } },
    });
  });

  it('hands the volume to the image\'s user, changing ownership only when its root differs', () => {
    expect(get('Deployment', 'chartmuseum').spec.template.spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('probes less often for liveness than for readiness, and tolerates more failures', () => {
    const c = get('Deployment', 'chartmuseum').spec.template.spec.containers[0];
    expect([c.readinessProbe.periodSeconds, c.readinessProbe.failureThreshold, c.livenessProbe.periodSeconds, c.livenessProbe.failureThreshold]).toEqual([10, 3, 20, 6]);
  });
});
