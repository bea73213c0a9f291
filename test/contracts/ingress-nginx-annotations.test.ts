/**
 * The ingress-nginx annotations of dist/manifests against the controller the track pins
 * (config/contracts/ingress-nginx-annotations.ts): on every track that offers ingress-nginx,
 * every annotation with the controller's prefix is one its parsers read, its value passes that
 * parser's validator, and its risk is at most the controller's default annotations-risk-level
 * (above it the controller refuses the Ingress). Where a fetched copy of kubernetes/ingress-nginx
 * is at hand (../.mirror), the recorded rules are also found in the source at each release's tag;
 * SKIPPED otherwise.
 */
import {
  INGRESS_NGINX_ANNOTATIONS,
  INGRESS_NGINX_PREFIX,
  INGRESS_NGINX_REGEXES,
  INGRESS_NGINX_PROXY_TIMEOUT,
  INGRESS_NGINX_RELEASES,
  INGRESS_NGINX_RISK_LEVEL,
  INGRESS_NGINX_RISKS,
  ingressNginxTag,
  passesIngressNginxValidator,
  type IngressNginxAnnotation,
} from '../../config/contracts/ingress-nginx-annotations';
import { INGRESS_PLACEMENTS } from '../../config';
import { TRACKS } from '../../config/tracks';
import { renderManifests } from '../support/k8s-manifests';
import { hasMirror, mirrorOf, showAt } from '../support/mirror';

const BY_NAME = new Map<string, IngressNginxAnnotation>(Object.values(INGRESS_NGINX_ANNOTATIONS).map((a) => [a.name, a]));
const NGINX_TRACKS = Object.values(TRACKS).filter((t) => t.ingress.controllers.includes('ingress-nginx'));
const rank = (r: string) => INGRESS_NGINX_RISKS.indexOf(r as (typeof INGRESS_NGINX_RISKS)[number]);

/** Every problem of one Ingress's controller annotations, as messages. */
function annotationProblems(namespace: string, name: string, annotations: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(`${INGRESS_NGINX_PREFIX.value}/`)) continue;
    const where = `Ingress ${namespace}/${name}: ${key}=${JSON.stringify(value)}`;
    const a = BY_NAME.get(key.slice(INGRESS_NGINX_PREFIX.value.length + 1));
    if (!a) { out.push(`${where}: not an annotation the pinned controller parses (config/contracts/ingress-nginx-annotations.ts)`); continue; }
    if (!passesIngressNginxValidator(a.validator, value)) out.push(`${where}: rejected by ${a.validatorGo}`);
    if (rank(a.risk) > rank(INGRESS_NGINX_RISK_LEVEL.value)) out.push(`${where}: risk ${a.risk} above the controller's annotations-risk-level ${INGRESS_NGINX_RISK_LEVEL.value}`);
    if (a.name === INGRESS_NGINX_ANNOTATIONS.proxySslSecret.name) {
      const parts = value.split('/');
      if (parts.length !== 2 || parts[0] !== namespace || !parts[1]) out.push(`${where}: must be ${namespace}/<secret> (${a.also})`);
    }
  }
  return out;
}

describe('the pinned ingress-nginx releases', () => {
  it('are every track\'s (and every upgrade step\'s) ingressNginx that the contract was read at', () => {
    const pinned = Object.values(TRACKS).flatMap((t) => [t.ingressNginx, ...(t.moveVia ?? []).map((s) => s.ingressNginx)]).filter((v): v is string => v !== undefined);
    expect(pinned.filter((v) => !(INGRESS_NGINX_RELEASES as readonly string[]).includes(v))).toEqual([]);
    for (const t of NGINX_TRACKS) expect(t.ingressNginx).toBeDefined();
  });

  it('the recorded validators accept and reject as the controller does', () => {
    const v = INGRESS_NGINX_ANNOTATIONS;
    expect(passesIngressNginxValidator(v.proxyBodySize.validator, '10M')).toBe(true);
    expect(passesIngressNginxValidator(v.proxyBodySize.validator, '10mb')).toBe(false);
    expect(passesIngressNginxValidator(v.proxyReadTimeout.validator, '60s')).toBe(false);
    expect(passesIngressNginxValidator(v.proxySslSecret.validator, 'ns/na me')).toBe(true); // spaces removed first
    expect(passesIngressNginxValidator(v.proxySslName.validator, 'a_b.svc')).toBe(true);
    expect(passesIngressNginxValidator(v.proxySslName.validator, 'a b')).toBe(false);
    expect(passesIngressNginxValidator(v.backendProtocol.validator, ' HTTPS ')).toBe(true);
    expect(passesIngressNginxValidator(v.affinityMode.validator, 'Persistent')).toBe(false);
    expect(passesIngressNginxValidator(v.rewriteTarget.validator, '/$2')).toBe(true);
    expect(passesIngressNginxValidator(v.rewriteTarget.validator, '/a b')).toBe(false);
    expect(passesIngressNginxValidator(v.sslRedirect.validator, 'yes')).toBe(false);
  });
});

describe.each(NGINX_TRACKS.map((t) => ({ track: t.id, version: t.ingressNginx! })))('Ingress objects of $track (ingress-nginx $version)', ({ track }) => {
  const { objects } = renderManifests({ versions: { track }, ingress: { controller: 'ingress-nginx' } });
  const ingresses = objects.map((m) => m.object).filter((o) => o.kind === 'Ingress');

  it('are rendered', () => {
    expect(ingresses.length).toBeGreaterThan(0);
  });

  it('carry only annotations the controller parses, with values its validators pass, at most its default risk', () => {
    expect(ingresses.flatMap((o) => annotationProblems(o.metadata.namespace ?? '', o.metadata.name ?? '', o.metadata.annotations ?? {}))).toEqual([]);
  });

  it('use every annotation of the contract (no recorded rule is dead) and the addon\'s class', () => {
    const used = new Set(ingresses.flatMap((o) => Object.keys(o.metadata.annotations ?? {})));
    expect(Object.values(INGRESS_NGINX_ANNOTATIONS).map((a) => `${INGRESS_NGINX_PREFIX.value}/${a.name}`).filter((k) => !used.has(k))).toEqual([]);
    expect([...new Set(ingresses.map((o) => (o as any).spec.ingressClassName))]).toEqual([INGRESS_PLACEMENTS['ingress-nginx'].className]);
  });
});

describe('the seeded defects the checks above catch', () => {
  it('fails an unknown name, a rejected value, a risk above the level, a foreign proxy-ssl-secret', () => {
    const p = INGRESS_NGINX_PREFIX.value;
    expect(annotationProblems('ns', 'x', { [`${p}/proxy-body-size`]: '10mb' })).toHaveLength(1);
    expect(annotationProblems('ns', 'x', { [`${p}/affinity-mode`]: 'sticky' })).toHaveLength(1);
    expect(annotationProblems('ns', 'x', { [`${p}/proxy-read-timeout`]: '60s' })).toHaveLength(1);
    expect(annotationProblems('ns', 'x', { [`${p}/session-affinity`]: 'cookie' })).toHaveLength(1);
    expect(annotationProblems('ns', 'x', { [`${p}/proxy-ssl-secret`]: 'other/tls' })).toHaveLength(1);
  });
});

const INGRESS_NGINX_REPO = 'kubernetes/ingress-nginx';
const haveMirror = hasMirror(INGRESS_NGINX_REPO);
if (!haveMirror) console.warn(`SKIPPED: ${mirrorOf(INGRESS_NGINX_REPO)} not found; the ingress-nginx annotation contract is not compared with the controller's source`);

(haveMirror ? describe.each([...INGRESS_NGINX_RELEASES]) : describe.skip.each([...INGRESS_NGINX_RELEASES]))('the contract against kubernetes/ingress-nginx@controller-v%s', (version) => {
  const tag = ingressNginxTag(version);
  // whitespace collapsed, so alignment in the Go source does not matter
  const show = (file: string) => showAt({ repo: INGRESS_NGINX_REPO, ref: tag, path: file }).replace(/\s+/g, ' ');
  const flat = (s: string) => s.replace(/\s+/g, ' ');

  it.each(Object.entries(INGRESS_NGINX_ANNOTATIONS))('%s: name constant, AnnotationFields validator and risk, getter', (_key, a) => {
    const src = show(a.file);
    expect(src).toContain(flat(`${a.constant} = "${a.name}"`));
    const entry = src.indexOf(`${a.constant}: {`);
    expect(entry).toBeGreaterThan(-1);
    const body = src.slice(entry, src.indexOf('}, ', src.indexOf('Risk:', entry)) + 1);
    expect(body).toContain(flat(`Validator: ${a.validatorGo},`));
    expect(body).toContain(`Risk: parser.AnnotationRisk${a.risk},`);
    expect(src).toContain(`parser.${a.getter}(${a.constant}, ing,`);
    if (a.validator.kind === 'options' && a.validatorGo.includes('validProtocols')) {
      expect(src).toContain(`var validProtocols = []string{${a.validator.options.map((o) => `"${o}"`).join(', ')}}`);
    }
    if (a.validatorGo.includes('cookieAffinity')) expect(src).toContain('cookieAffinity = "cookie"');
  });

  it('the regexes, the risk order, the default risk level, the prefix, no cross-namespace secrets', () => {
    const sources = [show('internal/ingress/annotations/parser/validators.go'), show('internal/ingress/annotations/proxyssl/main.go')].join('\n');
    for (const [name, r] of Object.entries(INGRESS_NGINX_REGEXES)) expect({ name, found: sources.includes(flat(r.go)) }).toEqual({ name, found: true });
    expect(sources).toContain(`const ( ${INGRESS_NGINX_RISKS.map((r, i) => `AnnotationRisk${r}${i === 0 ? ' AnnotationRisk = iota' : ''}`).join(' ')} )`);
    const config = show('internal/ingress/controller/config/config.go');
    expect(config).toContain(`AnnotationsRiskLevel: "${INGRESS_NGINX_RISK_LEVEL.value}",`);
    expect(config).toContain('AllowCrossNamespaceResources: false,');
    for (const field of ['ProxyReadTimeout', 'ProxySendTimeout']) expect(config).toContain(`${field}: ${INGRESS_NGINX_PROXY_TIMEOUT.seconds},`);
    expect(show('internal/ingress/annotations/parser/main.go')).toContain(`DefaultAnnotationsPrefix = "${INGRESS_NGINX_PREFIX.value}"`);
    expect(show('internal/ingress/annotations/parser/main.go')).toContain('DefaultEnableAnnotationValidation = true');
  });
});
