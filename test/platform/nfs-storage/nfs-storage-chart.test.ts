import { Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import { PodSecurityLevel } from '../../../constructs/k8s';
import { NfsStorageChart } from '../../../platform/nfs-storage/nfs-storage-chart';
import { NFS_STORAGE_CONNECTIONS } from '../../../platform/nfs-storage/nfs-storage-connections';
import { NFS_STORAGE } from '../../../platform/nfs-storage/nfs-storage-service';
import { find, manifestFiles, objectsOf } from '../../support/manifests';

describe('NFS storage chart', () => {
  const objects = objectsOf(manifestFiles().get('20-nfs-storage.yaml')!);
  const deployment = find(objects, 'Deployment', 'nfs-subdir-external-provisioner');
  const pod = deployment.spec.template.spec;

  it('points the provisioner at the export on master-1', () => {
    expect(pod.volumes).toEqual([{ name: 'nfs-root', nfs: { server: '172.16.0.192', path: '/data' } }]);
    expect(pod.containers[0].env).toEqual([
      { name: 'PROVISIONER_NAME', value: 'cp-nfs-provisioner' },
      { name: 'NFS_SERVER', value: '172.16.0.192' },
      { name: 'NFS_PATH', value: '/data' },
    ]);
    expect(pod.containers[0].image).toBe('registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2');
  });

  it('follows the configured NFS server and path', () => {
    const o = objectsOf(manifestFiles({ storage: { nfsServer: 'master-3', nfsPath: '/srv/k8s' } }).get('20-nfs-storage.yaml')!);
    const spec = find(o, 'Deployment', 'nfs-subdir-external-provisioner').spec.template.spec;
    expect(spec.volumes[0].nfs).toEqual({ server: '172.16.0.254', path: '/srv/k8s' });
  });

  it('has the seed\'s default class: reclaim Delete, NFS tuning, default', () => {
    expect(find(objects, 'StorageClass', 'cp-storageclass')).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'cp-nfs-provisioner',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      mountOptions: ['nfsvers=4.1', 'rsize=1048576', 'wsize=1048576', 'hard', 'noatime'],
      parameters: { archiveOnDelete: 'false' },
    });
  });

  it('has a Retain class for databases, with a stable directory per claim, not the default', () => {
    expect(find(objects, 'StorageClass', 'cp-storageclass-retain')).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      provisioner: 'cp-nfs-provisioner',
      reclaimPolicy: 'Retain',
      parameters: { pathPattern: '${.PVC.namespace}/${.PVC.name}' },
    });
  });

  it('grants the provisioner exactly what it uses', () => {
    expect(find(objects, 'ClusterRole', 'kpaas:nfs-subdir-external-provisioner').rules).toEqual([
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] },
    ]);
    expect(find(objects, 'Role', 'nfs-subdir-external-provisioner-leader-election').rules).toEqual([
      { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
    ]);
    for (const binding of [find(objects, 'ClusterRoleBinding', 'kpaas:nfs-subdir-external-provisioner'), find(objects, 'RoleBinding', 'nfs-subdir-external-provisioner-leader-election')]) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'nfs-subdir-external-provisioner', namespace: 'nfs-provisioner' }]);
    }
    expect(pod.serviceAccountName).toBe('nfs-subdir-external-provisioner');
  });

  it('runs two replicas spread over nodes, with a PDB that a never-Ready pod cannot hold up', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'nfs-subdir-external-provisioner').spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'nfs-subdir-external-provisioner' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  it('has no probes: the distroless image has no shell or tools to exec, and the program serves no port', () => {
    const c = pod.containers[0];
    expect([c.livenessProbe, c.readinessProbe, c.startupProbe]).toEqual([undefined, undefined, undefined]);
    expect(c.ports).toBeUndefined();
  });

  it('lets the provisioner reach only the API servers, on their own port, and nothing in', () => {
    const np = find(objects, 'NetworkPolicy', 'nfs-subdir-external-provisioner').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toBeUndefined();
    expect(np.egress).toEqual([{
      to: ['172.16.0.192/32', '172.16.0.157/32', '172.16.0.254/32'].map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ protocol: 'TCP', port: 6443 }],
    }]);
  });

  it('runs as root with three capabilities only, in a namespace whose level allows it', () => {
    expect(NFS_STORAGE.namespace?.podSecurity).toBe(PodSecurityLevel.BASELINE);
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'] },
    });
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(find(objects, 'ServiceAccount', 'nfs-subdir-external-provisioner').automountServiceAccountToken).toBe(true);
  });
});

describe('NfsStorageChart', () => {
  const synth = (connections = NFS_STORAGE_CONNECTIONS) => {
    const app = Testing.app();
    return Testing.synth(new NfsStorageChart(app, 'nfs', { config: parseConfig({}), connections }));
  };

  it('makes the workload\'s objects and the two classes from NFS_STORAGE_CLASSES', () => {
    const objects = synth();
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ServiceAccount nfs-subdir-external-provisioner',
      'Deployment nfs-subdir-external-provisioner',
      'PodDisruptionBudget nfs-subdir-external-provisioner',
      'NetworkPolicy nfs-subdir-external-provisioner',
      'ClusterRole kpaas:nfs-subdir-external-provisioner',
      'ClusterRoleBinding kpaas:nfs-subdir-external-provisioner',
      'Role nfs-subdir-external-provisioner-leader-election',
      'RoleBinding nfs-subdir-external-provisioner-leader-election',
      'StorageClass cp-storageclass',
      'StorageClass cp-storageclass-retain',
    ]);
  });

  it('keeps its budget evictable when a pod never became ready (a dead export)', () => {
    const pdb = synth().find((o) => o.kind === 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'nfs-subdir-external-provisioner' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  it('opens no egress that its connections do not declare', () => {
    const np = synth([]).find((o) => o.kind === 'NetworkPolicy');
    expect(np.spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nfs-subdir-external-provisioner' } }, policyTypes: ['Ingress', 'Egress'] });
  });
});
