import { Construct } from 'constructs';
import { IntOrString, KubeConfigMap, KubeDeployment, KubeNetworkPolicy, KubePodDisruptionBudget, KubeServiceAccount, NetworkPolicyPeer } from '../../imports/k8s';
import { HarborEndpoint } from './harbor-endpoint';
import { HARBOR_UID, HARBOR_IMAGES } from './harbor-workload';
import { configChecksum, containerSecurityContext, httpProbe, podSecurityContext, resources, ResourceSizes } from '../../constructs/k8s/pod-defaults';
import { spreadOverWorkers } from '../../constructs/k8s/placement';
import { fromIngressController } from '../../constructs/k8s/network-peers';

export interface HarborPortalProps {
  /** Its Service (port `http`). */
  readonly endpoint: HarborEndpoint;
  /**
   * Pods that check the portal's health over HTTP: core's health API probes it
   * (goharbor/harbor v2.15.1 src/controller/health/checker.go, portalHealthChecker).
   */
  readonly healthCheckers: readonly NetworkPolicyPeer[];
  /** Number of workers, to choose required or preferred anti-affinity. */
  readonly workers: number;
  /** @default 2 */
  readonly replicas?: number;
  /** @default 25m/32Mi requested, 128Mi limit */
  readonly resources?: ResourceSizes;
}

/**
 * Harbor's web UI: static files served by the image's nginx as an unprivileged user on a high
 * port, everything it calls going through the ingress to core. Replicated, spread, with a PDB.
 */
export class HarborPortal extends Construct {
  public readonly deployment: KubeDeployment;
  public readonly configMap: KubeConfigMap;

  public constructor(scope: Construct, id: string, props: HarborPortalProps) {
    super(scope, id);
    const name = props.endpoint.name;
    const selector = props.endpoint.selector;
    const http = props.endpoint.port('http');
    const replicas = props.replicas ?? 2;

    const sa = new KubeServiceAccount(this, 'service-account', { metadata: { name }, automountServiceAccountToken: false });
    const config = { 'nginx.conf': nginxConf(http.targetPort) };
    this.configMap = new KubeConfigMap(this, 'config', { metadata: { name }, data: config });

    this.deployment = new KubeDeployment(this, 'Resource', {
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector, annotations: configChecksum(config) },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(HARBOR_UID),
            affinity: spreadOverWorkers(selector, replicas, props.workers),
            containers: [{
              name: 'portal',
              image: HARBOR_IMAGES.portal,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: http.name, containerPort: http.targetPort }],
              readinessProbe: httpProbe('/', http.name),
              livenessProbe: httpProbe('/', http.name, { periodSeconds: 20, failureThreshold: 6 }),
              resources: resources(props.resources ?? { cpu: '25m', memory: '32Mi', memoryLimit: '128Mi' }),
              securityContext: containerSecurityContext(),
              volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf' }],
            }],
            volumes: [{ name: 'config', configMap: { name: this.configMap.name } }],
          },
        },
      },
    });
    new KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
    // serves files only: reached from the ingress and core's health check, calls nothing
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [fromIngressController()], ports: props.endpoint.policyPorts('http') },
          { from: [...props.healthCheckers], ports: props.endpoint.policyPorts('http') },
        ],
      },
    });
  }
}

/**
 * nginx for an unprivileged user: pid and temporary files in /tmp, the single-page app's
 * routes falling back to index.html, which browsers must not cache (it names the hashed bundles).
 */
function nginxConf(port: number): string {
  return `worker_processes auto;
pid /tmp/nginx.pid;

events {
  worker_connections 1024;
}

http {
  client_body_temp_path /tmp/client_body_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;

  server {
    listen ${port};
    server_name localhost;
    root /usr/share/nginx/html;
    index index.html index.htm;
    include /etc/nginx/mime.types;

    gzip on;
    gzip_min_length 1000;
    gzip_proxied expired no-cache no-store private auth;
    gzip_types text/plain text/css application/json application/javascript application/x-javascript text/xml application/xml application/xml+rss text/javascript;

    location /devcenter-api-2.0 {
      try_files $uri $uri/ /swagger-ui-index.html;
    }

    location / {
      try_files $uri $uri/ /index.html;
    }

    location = /index.html {
      add_header Cache-Control "no-store, no-cache, must-revalidate";
    }
  }
}
`;
}
