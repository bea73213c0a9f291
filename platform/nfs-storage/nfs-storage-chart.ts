import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { containerSecurityContext, env, PlatformChart, PlatformWorkload } from '../../constructs/k8s';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeDeployment,
  KubeRole,
  KubeRoleBinding,
  KubeStorageClass,
  Quantity,
} from '../../imports/k8s';
import { NFS_NAMESPACE, NFS_PROVISIONER_IMAGE, NFS_PROVISIONER_NAME, NFS_PROVISIONER_SELECTOR, NFS_STORAGE_CLASSES } from './nfs-storage-names';

const NAME = NFS_PROVISIONER_NAME;
/** Where the provisioner mounts the export; it creates one directory per volume below it. */
const MOUNT_PATH = '/persistentvolumes';

export interface NfsStorageChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** Every connection of the platform: the provisioner's policy opens exactly those it makes. */
  readonly connections: readonly Connection[];
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
  public readonly workload: PlatformWorkload;
  public readonly deployment: KubeDeployment;

  public constructor(scope: Construct, id: string, props: NfsStorageChartProps) {
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.nfsProvisioner, namespace: NFS_NAMESPACE });
    const { config } = props;
    const nfs = { server: config.storage.nfsServer.privateIp, path: config.storage.nfsPath };
    const selector = { ...NFS_PROVISIONER_SELECTOR };

    this.workload = new PlatformWorkload(this, 'deployment', {
      name: NAME,
      selector,
      replicas: 2,
      // one of the two (leader-elected) replicas at a time; a pod that never became Ready (a
      // mount of a dead export) is evictable, so it cannot block a drain
      disruptionBudget: { minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      serviceAccount: { automountToken: true }, // it watches claims and creates volumes
      // root (below): the restricted profile's non-root pod context cannot apply; the namespace is baseline
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      deploymentSpec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(1), maxSurge: IntOrString.fromNumber(0) } },
      },
      // Preferred on any cluster size: only the leader works, so two replicas on one node cost
      // nothing, and a drain can always place the evicted replica beside the other.
      placement: { workers: props.config.nodes.workers.nodes.length, spread: 'preferred' },
      containers: [{
        name: NAME,
        image: NFS_PROVISIONER_IMAGE,
        env: [
          env('PROVISIONER_NAME', PLATFORM.storage.provisionerName),
          env('NFS_SERVER', nfs.server),
          env('NFS_PATH', nfs.path),
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
          ...containerSecurityContext(true),
          capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'] },
        },
      }],
      volumes: [{ name: 'nfs-root', nfs: { server: nfs.server, path: nfs.path } }],
      // the NFS mount itself is the kubelet's (host network); the pod only talks to the API
      networkPolicy: { connections: props.connections, config },
    });
    this.deployment = this.workload.resource as KubeDeployment;
    const subject = { kind: 'ServiceAccount', name: this.workload.serviceAccountName, namespace: NFS_NAMESPACE };

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

    const common = {
      provisioner: PLATFORM.storage.provisionerName,
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: false, // sizes are not enforced on a shared export
      mountOptions: [...PLATFORM.storage.mountOptions],
    };
    this.sharedClass = new KubeStorageClass(this, 'shared-class', {
      metadata: { name: NFS_STORAGE_CLASSES.shared.name, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      ...common,
      reclaimPolicy: 'Delete',
      parameters: { archiveOnDelete: 'false' },
    });
    this.retainClass = new KubeStorageClass(this, 'retain-class', {
      metadata: { name: NFS_STORAGE_CLASSES.retain.name, annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      ...common,
      reclaimPolicy: 'Retain',
      // a stable directory per claim: recreating a deleted claim finds its data again
      parameters: { pathPattern: '${.PVC.namespace}/${.PVC.name}' },
    });
  }
}
