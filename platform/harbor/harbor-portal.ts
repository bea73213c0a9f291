import { Construct } from 'constructs';
import { KubeConfigMap } from '../../imports/k8s';
import { containerPort, harborProbes, harborWorkload, HarborWorkloadContext, HARBOR_IMAGES } from './harbor-workload';
import { configChecksum, resources, ResourceSizes } from '../../constructs/k8s/pod-defaults';
import type { PlatformWorkload } from '../../constructs/k8s/platform-workload';
import type { ServiceEndpoint } from '../../constructs/k8s/service-endpoint';

export interface HarborPortalProps {
  /** Its Service (port `http`). */
  readonly endpoint: ServiceEndpoint;
  /**
   * The configuration and the connections its NetworkPolicy is derived from: the ingress, and
   * core's health API, which probes the portal.
   */
  readonly context: HarborWorkloadContext;
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
  public readonly workload: PlatformWorkload;
  public readonly configMap: KubeConfigMap;

  public constructor(scope: Construct, id: string, props: HarborPortalProps) {
    super(scope, id);
    const name = props.endpoint.name;
    const http = props.endpoint.port('http');
    const config = { 'nginx.conf': nginxConf(http.targetPort) };
    this.configMap = new KubeConfigMap(this, 'config', { metadata: { name }, data: config });

    // serves files only: reached from the ingress and core's health check, calls nothing
    this.workload = harborWorkload(this, props.endpoint, props.context, {
      replicas: props.replicas ?? 2,
      podAnnotations: configChecksum(config),
      containers: [{
        name: 'portal',
        image: HARBOR_IMAGES.portal,
        ports: [containerPort(http)],
        ...harborProbes('/', http.name),
        resources: resources(props.resources ?? { cpu: '25m', memory: '32Mi', memoryLimit: '128Mi' }),
        volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf' }],
      }],
      volumes: [{ name: 'config', configMap: { name: this.configMap.name } }],
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
