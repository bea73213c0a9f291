import { Construct } from 'constructs';
import {
  Container,
  EnvVar,
  IntOrString,
  KubeDeployment,
  KubePodDisruptionBudget,
  KubeService,
  KubeServiceAccount,
  Quantity,
  Volume,
  VolumeMount,
} from '../../imports/k8s';
import { selectorLabels } from '../../constructs/k8s/labels';
import { podAntiAffinity } from '../../constructs/k8s/placement';

/** The user the CP-Portal images prepare their files for (`/home/1000`, owned 1000:1000). */
export const PORTAL_UID = 1000;
/** Where the Java components write their log files (their logback configuration's path). */
const LOG_DIR = '/home/1000/logs';
/** The JVM truststore the init container builds: the image's CAs plus the platform CA. */
const TRUSTSTORE_DIR = '/truststore';
const PLATFORM_CA_DIR = '/platform-ca';
/** The JDK's documented default password of its `cacerts` store; the store holds public certificates only. */
const TRUSTSTORE_PASSWORD = 'changeit';

/** Resource requests and limits of one container. */
export interface PortalResources {
  readonly cpu: string;
  readonly memory: string;
  readonly memoryLimit: string;
}

/** How the pods spread over the workers. */
export interface PortalPlacement {
  /** Number of workers of the cluster. */
  readonly workers: number;
  /** The most replicas the Deployment can have (the HPA's maximum when one scales it). */
  readonly maxReplicas: number;
}

export interface PortalComponentProps {
  /** `app.kubernetes.io/name` of the portal (`cp-portal`). */
  readonly app: string;
  /** `app.kubernetes.io/component` of this component, e.g. `api`. */
  readonly component: string;
  /** Name of the container, the ServiceAccount and the image (`cp-portal-api`). */
  readonly name: string;
  /** Deployment name. @default `<name>-deployment` (the K-PaaS installer's names) */
  readonly deploymentName?: string;
  /** Service name. @default `<name>-service` */
  readonly serviceName?: string;
  readonly image: string;
  /** The port the process listens on (HTTP). */
  readonly port: number;
  /**
   * Fixed replicas; undefined when a HorizontalPodAutoscaler owns the count (a fixed value would
   * fight it on every apply).
   * @default undefined (the HorizontalPodAutoscaler sets the count)
   */
  readonly replicas?: number;
  /** The fewest replicas the component runs with: a PodDisruptionBudget is made above one. */
  readonly minReplicas: number;
  readonly placement: PortalPlacement;
  readonly env: readonly EnvVar[];
  readonly resources: PortalResources;
  /**
   * A Spring Boot (JVM) component: JVM trust of the platform CA (built by an init container from the
   * image's own cacerts), writable /tmp and log directory, and a startup probe for the slow start.
   * When unset, the process gets a writable /tmp only.
   * @default undefined (not a JVM component)
   */
  readonly jvm?: { readonly platformCaSecret: string };
  /**
   * Root filesystem read-only: true where the component writes only to /tmp and its log directory.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/**
 * One CP-Portal component: its own ServiceAccount (no API token: the portal reaches Kubernetes
 * with the cluster token kept in OpenBao), a Deployment of the K-PaaS image running as the image's
 * uid 1000 under the restricted Pod Security profile, a ClusterIP Service, anti-affinity over the
 * workers, and a PodDisruptionBudget when it runs more than one replica.
 */
export class PortalComponent extends Construct {
  public readonly deployment: KubeDeployment;
  public readonly service: KubeService;
  public readonly serviceAccount: KubeServiceAccount;
  /** Labels of the component's pods. */
  public readonly selector: Record<string, string>;
  public readonly port: number;
  /** In-cluster URL of the Service (`http://<service>.<namespace>.svc.cluster.local:<port>`). */
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: PortalComponentProps & { readonly namespace: string }) {
    super(scope, id);
    this.port = props.port;
    this.selector = selectorLabels(props.app, props.component);
    const serviceName = props.serviceName ?? `${props.name}-service`;
    this.url = `http://${serviceName}.${props.namespace}.svc.cluster.local:${props.port}`;

    this.serviceAccount = new KubeServiceAccount(this, 'service-account', {
      metadata: { name: props.name },
      automountServiceAccountToken: false,
    });
    this.service = new KubeService(this, 'service', {
      metadata: { name: serviceName },
      spec: { selector: this.selector, ports: [{ name: 'http', port: props.port, targetPort: IntOrString.fromString('http') }] },
    });

    const health = (group: 'liveness' | 'readiness', failureThreshold: number) => ({
      httpGet: { path: `/actuator/health/${group}`, port: IntOrString.fromString('http'), scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
    });
    const volumes: Volume[] = [{ name: 'tmp', emptyDir: {} }];
    const mounts: VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    const env: EnvVar[] = [...props.env];
    const initContainers: Container[] = [];
    if (props.jvm) {
      volumes.push(
        { name: 'logs', emptyDir: {} },
        { name: 'truststore', emptyDir: {} },
        { name: 'platform-ca', secret: { secretName: props.jvm.platformCaSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      );
      mounts.push({ name: 'logs', mountPath: LOG_DIR }, { name: 'truststore', mountPath: TRUSTSTORE_DIR, readOnly: true });
      env.push(
        // Spring Boot exposes the liveness/readiness groups only where it detects Kubernetes; say so
        { name: 'MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED', value: 'true' },
        // Keycloak, Harbor and OpenBao present platform-CA certificates; heap sized from the limit
        { name: 'JAVA_TOOL_OPTIONS', value: `-Djavax.net.ssl.trustStore=${TRUSTSTORE_DIR}/cacerts -Djavax.net.ssl.trustStorePassword=${TRUSTSTORE_PASSWORD} -XX:MaxRAMPercentage=70` },
      );
      // The image's own keytool and CA store, so the store matches the image's JVM.
      const buildTruststore = [
        'set -eu',
        // the JDK's store, or the distribution's it links to (-L: a link counts as its target)
        'src=$(find -L "${JAVA_HOME:-/usr/lib/jvm}" /usr/lib/jvm /opt/java /etc/ssl/certs/java -name cacerts -type f 2>/dev/null | head -n 1)',
        'test -n "$src"',
        `cp "$src" ${TRUSTSTORE_DIR}/cacerts`,
        `chmod 0644 ${TRUSTSTORE_DIR}/cacerts`,
        `keytool -importcert -noprompt -alias kpaas-platform-ca -file ${PLATFORM_CA_DIR}/ca.crt -keystore ${TRUSTSTORE_DIR}/cacerts -storepass ${TRUSTSTORE_PASSWORD}`,
      ].join('\n');
      initContainers.push({
        name: 'truststore',
        image: props.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', buildTruststore],
        env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx64m' }],
        resources: {
          requests: { cpu: Quantity.fromString('50m'), memory: Quantity.fromString('128Mi') },
          limits: { memory: Quantity.fromString('256Mi') },
        },
        securityContext: containerSecurity(true),
        volumeMounts: [
          { name: 'truststore', mountPath: TRUSTSTORE_DIR },
          { name: 'platform-ca', mountPath: PLATFORM_CA_DIR, readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      });
    }

    // Replicas spread over the workers: required while every replica can have its own, preferred
    // when the count may grow past the workers (an HPA scaling up must not be blocked by it).
    const { maxReplicas, workers } = props.placement;
    const antiAffinity = maxReplicas <= 1 ? undefined : podAntiAffinity(this.selector, maxReplicas, workers);

    this.deployment = new KubeDeployment(this, 'deployment', {
      metadata: { name: props.deploymentName ?? `${props.name}-deployment` },
      spec: {
        ...(props.replicas === undefined ? {} : { replicas: props.replicas }),
        selector: { matchLabels: this.selector },
        template: {
          metadata: { labels: this.selector },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            // The images run as root by default but own their files as 1000:1000 and need no root.
            securityContext: {
              runAsNonRoot: true,
              runAsUser: PORTAL_UID,
              runAsGroup: PORTAL_UID,
              fsGroup: PORTAL_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            affinity: {
              // workers only: kubespray taints the masters, and this keeps it so if the taint goes
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] }],
                },
              },
              ...(antiAffinity ? { podAntiAffinity: antiAffinity } : {}),
            },
            ...(initContainers.length > 0 ? { initContainers } : {}),
            containers: [{
              name: props.name,
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: props.port }],
              env,
              resources: {
                requests: { cpu: Quantity.fromString(props.resources.cpu), memory: Quantity.fromString(props.resources.memory) },
                limits: { memory: Quantity.fromString(props.resources.memoryLimit) },
              },
              ...(props.jvm ? { startupProbe: { ...health('liveness', 36), periodSeconds: 5 } } : {}),
              readinessProbe: health('readiness', 3),
              livenessProbe: health('liveness', 3),
              securityContext: containerSecurity(props.readOnlyRootFilesystem ?? true),
              volumeMounts: mounts,
            }],
            volumes,
          },
        },
      },
    });

    if (props.minReplicas > 1) {
      new KubePodDisruptionBudget(this, 'pdb', {
        metadata: { name: props.name },
        spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: this.selector } },
      });
    }
  }
}

function containerSecurity(readOnlyRootFilesystem: boolean) {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem, capabilities: { drop: ['ALL'] } };
}
