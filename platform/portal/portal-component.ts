import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { PORTAL_SPRING_PROPERTIES, springEnvName } from '../../config/contracts/portal-env';
import { selectorLabels } from '../../constructs/k8s/labels';
import { PlatformWorkload, WorkloadPlacement } from '../../constructs/k8s/platform-workload';
import { containerSecurityContext, env, httpProbe, podSecurityContext, resources, ResourceSizes } from '../../constructs/k8s/pod-defaults';
import { ServiceAddress, ServiceEndpoint } from '../../constructs/k8s/service-endpoint';
import { Container, EnvVar, Volume, VolumeMount } from '../../imports/k8s';
import { PORTAL_APP, PORTAL_SECRETS } from './portal-names';

/** The user the CP-Portal images prepare their files for (`/home/1000`, owned 1000:1000). */
export const PORTAL_UID = 1000;
/** Where the Java components write their log files (their logback configuration's path). */
const LOG_DIR = '/home/1000/logs';
/** The JVM truststore the init container builds: the image's CAs plus the platform CA. */
const TRUSTSTORE_DIR = '/truststore';
const PLATFORM_CA_DIR = '/platform-ca';
/** The JDK's documented default password of its `cacerts` store; the store holds public certificates only. */
const TRUSTSTORE_PASSWORD = 'changeit';
/** The one port of a component's Service, and the name of its container port and probes. */
const HTTP = 'http';

export interface PortalComponentProps {
  /** `app.kubernetes.io/component` of this component, e.g. `api`. */
  readonly component: string;
  /** Name of the container, the ServiceAccount, the PodDisruptionBudget and the NetworkPolicy (`cp-portal-api`). */
  readonly name: string;
  /** Deployment name. @default `<name>-deployment` (the K-PaaS installer's names) */
  readonly deploymentName?: string;
  /** The component's Service, as portal-names.ts declares it: one port named `http`. */
  readonly address: ServiceAddress;
  readonly image: string;
  /** Fixed replicas, or `autoscaled` where a HorizontalPodAutoscaler owns the count. */
  readonly replicas: number | 'autoscaled';
  /** The fewest replicas the component runs with: a PodDisruptionBudget is made above one. @default the replicas */
  readonly minReplicas?: number;
  /** Spreading over the workers (the component always stays off the control plane). */
  readonly placement: Omit<WorkloadPlacement, 'workersOnly'>;
  readonly env: readonly EnvVar[];
  readonly resources: ResourceSizes;
  /**
   * A Spring Boot (JVM) component: JVM trust of the platform CA (built by an init container from the
   * image's own cacerts), writable /tmp and log directory, and a startup probe for the slow start.
   * When unset, the process gets a writable /tmp only.
   * @default undefined (not a JVM component)
   */
  readonly jvm?: { readonly platformCaSecret: string };
  /**
   * A non-JVM component that trusts the CAs of one PEM file: the platform CA Secret's `ca.crt`
   * mounted at /platform-ca/ca.crt and named by the variable given (Go's crypto/x509 reads
   * SSL_CERT_FILE). @default undefined
   */
  readonly caFile?: { readonly platformCaSecret: string; readonly env: string };
  /**
   * Root filesystem read-only: true where the component writes only to /tmp and its log directory.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /** The declared connections its NetworkPolicy admits and opens. */
  readonly networkPolicy: { readonly connections: readonly Connection[]; readonly config: PlatformConfig };
}

/**
 * One CP-Portal component: its Service from the declared address, and a PlatformWorkload of the
 * K-PaaS image running as the image's uid 1000 on workers only, with its own ServiceAccount (no API
 * token: the portal reaches Kubernetes with the cluster token kept in OpenBao), anti-affinity,
 * a PodDisruptionBudget above one replica and the NetworkPolicy of its connections.
 */
export class PortalComponent extends Construct {
  public readonly endpoint: ServiceEndpoint;
  public readonly workload: PlatformWorkload;
  /** Labels of the component's pods. */
  public readonly selector: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: PortalComponentProps) {
    super(scope, id);
    this.selector = selectorLabels(PORTAL_APP, props.component);
    this.endpoint = new ServiceEndpoint(this, 'service', { address: props.address, selector: this.selector });

    const health = (group: 'liveness' | 'readiness', failureThreshold: number, periodSeconds?: number) =>
      httpProbe(`/actuator/health/${group}`, HTTP, { failureThreshold, periodSeconds });
    const volumes: Volume[] = [{ name: 'tmp', emptyDir: {} }];
    const mounts: VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    const envVars: EnvVar[] = [...props.env];
    const initContainers: Container[] = [];
    if (props.caFile) {
      volumes.push({ name: 'platform-ca', secret: { secretName: props.caFile.platformCaSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
      mounts.push({ name: 'platform-ca', mountPath: PLATFORM_CA_DIR, readOnly: true });
      envVars.push(env(props.caFile.env, `${PLATFORM_CA_DIR}/ca.crt`));
    }
    if (props.jvm) {
      volumes.push(
        { name: 'logs', emptyDir: {} },
        { name: 'truststore', emptyDir: {} },
        { name: 'platform-ca', secret: { secretName: props.jvm.platformCaSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      );
      mounts.push({ name: 'logs', mountPath: LOG_DIR }, { name: 'truststore', mountPath: TRUSTSTORE_DIR, readOnly: true });
      envVars.push(
        // Spring Boot exposes the liveness/readiness groups only where it detects Kubernetes; say so
        env(springEnvName(PORTAL_SPRING_PROPERTIES.probes.property), true),
        // Keycloak, Harbor and OpenBao present platform-CA certificates; heap sized from the limit
        env('JAVA_TOOL_OPTIONS', `-Djavax.net.ssl.trustStore=${TRUSTSTORE_DIR}/cacerts -Djavax.net.ssl.trustStorePassword=${TRUSTSTORE_PASSWORD} -XX:MaxRAMPercentage=70`),
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
        command: ['sh', '-c', buildTruststore],
        env: [env('JAVA_TOOL_OPTIONS', '-Xmx64m')],
        resources: resources({ cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' }),
        securityContext: containerSecurityContext(true),
        volumeMounts: [
          { name: 'truststore', mountPath: TRUSTSTORE_DIR },
          { name: 'platform-ca', mountPath: PLATFORM_CA_DIR, readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      });
    }

    this.workload = new PlatformWorkload(this, 'workload', {
      name: props.name,
      workloadName: props.deploymentName ?? `${props.name}-deployment`,
      selector: this.selector,
      replicas: props.replicas,
      minReplicas: props.minReplicas,
      // workers only: kubespray taints the masters, and this keeps it so if the taint goes
      placement: { ...props.placement, workersOnly: true },
      // The images run as root by default but own their files as 1000:1000 and need no root; the
      // volumes are emptyDirs, so no ownership change policy
      securityContext: podSecurityContext(PORTAL_UID, { onRootMismatch: false }),
      // the images are in Harbor's private project; the images playbook writes this Secret
      podSpec: { imagePullSecrets: [{ name: PORTAL_SECRETS.registry }] },
      initContainers,
      containers: [{
        name: props.name,
        image: props.image,
        ports: [{ name: HTTP, containerPort: props.address.port(HTTP).targetPort }],
        env: envVars,
        resources: resources(props.resources),
        ...(props.jvm ? { startupProbe: health('liveness', 36, 5) } : {}),
        readinessProbe: health('readiness', 3),
        livenessProbe: health('liveness', 3),
        securityContext: containerSecurityContext(props.readOnlyRootFilesystem ?? true),
        volumeMounts: mounts,
      }],
      volumes,
      networkPolicy: props.networkPolicy,
    });
  }

  /** Name of the Deployment. */
  public get deploymentName(): string {
    return this.workload.resource.name;
  }

  /** The component's Service. */
  public get service() {
    return this.endpoint.service;
  }
}
