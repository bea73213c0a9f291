import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, VERSIONS } from '../../config';
import { apiServerEgress, PlatformChart, selectorLabels } from '../../constructs/k8s';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeDeployment,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  KubeStorageClass,
  Quantity,
} from '../../imports/k8s';
import { NFS_PROVISIONER_IMAGE } from './nfs-storage-names';

const NAME = 'nfs-subdir-external-provisioner';
/** Where the provisioner mounts the export; it creates one directory per volume below it. */
const MOUNT_PATH = '/persistentvolumes';

export interface NfsStorageChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
}

/**
 * Dynamic NFS provisioning against the export on the NFS server node (master-1 in the seed):
 * nfs-subdir-external-provisioner with its RBAC and leader election (two replicas, one active),
 * and two StorageClasses: the seed's shared class (reclaim Delete, the default) and a Retain
 * class for the platform's databases.
 */
export class NfsStorageChart extends PlatformChart {
  /** The seed's class: the cluster default, volumes deleted with their claims. */
  public readonly sharedClass: StorageClassRef;
  /** Volumes survive their claims; a claim of the same name finds its directory again. */
  public readonly retainClass: StorageClassRef;
  public readonly deployment: KubeDeployment;

  public constructor(scope: Construct, id: string, props: NfsStorageChartProps) {
    const namespace = PLATFORM.storage.namespace;
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.nfsProvisioner, namespace });
    const { config } = props;
    const nfs = { server: config.storage.nfsServer.privateIp, path: config.storage.nfsPath };
    const selector = selectorLabels(NAME);

    const sa = new KubeServiceAccount(this, 'service-account', { metadata: { name: NAME } });
    const subject = { kind: 'ServiceAccount', name: sa.name, namespace };

    // what the provisioner does with volumes, claims and classes, cluster-wide
    const clusterRole = new KubeClusterRole(this, 'cluster-role', {
      metadata: { name: `kpaas:${NAME}` },
      rules: [
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] },
      ],
    });
    new KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `kpaas:${NAME}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [subject],
    });
    // leader election of the replicas: an Endpoints lock in its own namespace only
    const role = new KubeRole(this, 'leader-election-role', {
      metadata: { name: `${NAME}-leader-election` },
      rules: [{ apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] }],
    });
    new KubeRoleBinding(this, 'leader-election-role-binding', {
      metadata: { name: `${NAME}-leader-election` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [subject],
    });

    this.deployment = new KubeDeployment(this, 'deployment', {
      metadata: { name: NAME },
      spec: {
        replicas: 2,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(1), maxSurge: IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: true, // it watches claims and creates volumes
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [{
                  weight: 100,
                  podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
                }],
              },
            },
            containers: [{
              name: NAME,
              image: NFS_PROVISIONER_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'PROVISIONER_NAME', value: PLATFORM.storage.provisionerName },
                { name: 'NFS_SERVER', value: nfs.server },
                { name: 'NFS_PATH', value: nfs.path },
              ],
              volumeMounts: [{ name: 'nfs-root', mountPath: MOUNT_PATH }],
              // No probes, as upstream's deploy manifests and chart have none. The published image
              // is the program alone on gcr.io/distroless/static (Dockerfile at v4.0.2; issue #180):
              // no shell, stat or test to exec. The program opens no port either: it never sets
              // the provision controller's MetricsPort (cmd/nfs-subdir-external-provisioner/
              // provisioner.go), whose default 0 serves nothing (sig-storage-lib-external-provisioner
              // v6.0.0 controller/controller.go). A dead NFS server shows instead where it bites:
              // the kubelet cannot mount nfs-root, so a new pod stays ContainerCreating, and each
              // claim the provisioner cannot make a directory for stays Pending with a
              // ProvisioningFailed event.
              resources: {
                requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('32Mi') },
                limits: { cpu: Quantity.fromString('200m'), memory: Quantity.fromString('128Mi') },
              },
              // root over no_root_squash: it must remove directories written by any user id
              securityContext: {
                runAsUser: 0,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'] },
              },
            }],
            volumes: [{ name: 'nfs-root', nfs: { server: nfs.server, path: nfs.path } }],
          },
        },
      },
    });
    new KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: NAME },
      // one of the two (leader-elected) replicas at a time; a pod that never became Ready (a
      // mount of a dead export) is evictable, so it cannot block a drain
      spec: { minAvailable: IntOrString.fromNumber(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    // the NFS mount itself is the kubelet's (host network); the pod only talks to the API
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: NAME },
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], egress: [apiServerEgress(config)] },
    });

    const common = {
      provisioner: PLATFORM.storage.provisionerName,
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: false, // sizes are not enforced on a shared export
      mountOptions: [...PLATFORM.storage.mountOptions],
    };
    this.sharedClass = new KubeStorageClass(this, 'shared-class', {
      metadata: { name: PLATFORM.storage.sharedClass, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      ...common,
      reclaimPolicy: 'Delete',
      parameters: { archiveOnDelete: 'false' },
    });
    this.retainClass = new KubeStorageClass(this, 'retain-class', {
      metadata: { name: PLATFORM.storage.retainClass, annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      ...common,
      reclaimPolicy: 'Retain',
      // a stable directory per claim: recreating a deleted claim finds its data again
      parameters: { pathPattern: '${.PVC.namespace}/${.PVC.name}' },
    });
  }
}
