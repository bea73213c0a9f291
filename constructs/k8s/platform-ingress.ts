import { Construct } from 'constructs';
import { PLATFORM } from '../../config';
import { KubeIngress, KubeService } from '../../imports/k8s';

/** A Service port as an Ingress backend names it: by number or by name. */
export type IngressBackendPort = number | string;

/** One routed path of an Ingress. */
export interface IngressRoute {
  /** URL path prefix, e.g. `/` or `/api/`. */
  readonly path: string;
  /** @default 'Prefix' */
  readonly pathType?: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  /** The Service traffic goes to. */
  readonly service: KubeService;
  /** Port of that Service, by number or name. */
  readonly port: IngressBackendPort;
}

export interface PlatformIngressProps {
  /** Name of the Ingress. */
  readonly name: string;
  /** Public host name (`<service>.<domain>`). */
  readonly host: string;
  /** Secret holding the host's certificate (made by `kpaas secrets`). */
  readonly tlsSecretName: string;
  readonly routes: readonly IngressRoute[];
  /** ingress-nginx annotations (body size, backend protocol, ...). @default none */
  readonly annotations?: Record<string, string>;
}

/**
 * A platform host behind ingress-nginx: TLS from the platform certificate, HTTP redirected to
 * HTTPS, routes to Services of the same namespace. Routes are validated against the Services
 * (the port must exist on the Service) before anything is written.
 */
export class PlatformIngress extends Construct {
  public readonly resource: KubeIngress;
  public readonly host: string;

  public constructor(scope: Construct, id: string, props: PlatformIngressProps) {
    super(scope, id);
    this.host = props.host;
    this.resource = new KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true', ...props.annotations },
      },
      spec: {
        ingressClassName: PLATFORM.ingress.className,
        tls: [{ hosts: [props.host], secretName: props.tlsSecretName }],
        rules: [{
          host: props.host,
          http: {
            paths: props.routes.map((r) => ({
              path: r.path,
              pathType: r.pathType ?? 'Prefix',
              backend: { service: { name: r.service.name, port: typeof r.port === 'number' ? { number: r.port } : { name: r.port } } },
            })),
          },
        }],
      },
    });
    this.node.addValidation({
      validate: () => props.routes.flatMap((r) => {
        const ports = (r.service.toJson().spec?.ports ?? []) as Array<{ port: number; name?: string }>;
        const ok = ports.some((p) => (typeof r.port === 'number' ? p.port === r.port : p.name === r.port));
        return ok ? [] : [`Ingress ${props.name}: route ${r.path} targets port ${r.port}, which Service ${r.service.name} does not expose`];
      }),
    });
  }
}
