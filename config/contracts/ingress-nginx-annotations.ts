/**
 * The ingress-nginx annotations the platform's Ingress objects carry, as the pinned controllers
 * parse them: kubespray's ingress-nginx addon at each track's `ingressNginx` (config/tracks.ts),
 * read at kubernetes/ingress-nginx@controller-v<version>. Each annotation's name (the Go constant
 * of its parser), the getter that reads it, the validator its `parser.AnnotationFields` entry
 * names, and its risk. With annotation validation on (the default), a value its validator rejects
 * is dropped (the parser falls back to its default); an annotation whose risk is above the
 * controller's `annotations-risk-level` makes the controller refuse the whole Ingress.
 * constructs/k8s/platform-ingress.ts takes the names from here; test/contracts/
 * ingress-nginx-annotations.test.ts holds dist against the rules and, where a fetched copy of
 * kubernetes/ingress-nginx is at hand (../.mirror), the rules against the controller's source.
 */
import type { UpstreamFile } from './images';

/** The controller releases the facts below were read at (each track's and moveVia's ingressNginx). */
export const INGRESS_NGINX_RELEASES = ['1.12.1', '1.13.3'] as const;
export const INGRESS_NGINX_REPO = 'kubernetes/ingress-nginx';
/** The git tag of a controller release. */
export const ingressNginxTag = (version: string): string => `controller-v${version}`;
const at = (path: string, note?: string): UpstreamFile => ({ repo: INGRESS_NGINX_REPO, ref: ingressNginxTag(INGRESS_NGINX_RELEASES[0]), path, ...(note ? { note } : {}) });

/**
 * The annotation prefix: the controller's default (parser.DefaultAnnotationsPrefix), which
 * kubespray's addon also passes as `--annotations-prefix` (ds-ingress-nginx-controller.yml.j2).
 */
export const INGRESS_NGINX_PREFIX = {
  value: 'nginx.ingress.kubernetes.io',
  source: at('internal/ingress/annotations/parser/main.go', 'DefaultAnnotationsPrefix = "nginx.ingress.kubernetes.io"'),
} as const;

/** parser.AnnotationRisk, lowest first (the iota order of validators.go). */
export const INGRESS_NGINX_RISKS = ['Low', 'Medium', 'High', 'Critical'] as const;
export type IngressNginxRisk = (typeof INGRESS_NGINX_RISKS)[number];

/**
 * The controller's default `annotations-risk-level` (config.NewDefault); kubespray's addon leaves
 * it (ingress_nginx_configmap `{}`), and so does the platform. An annotation of a higher risk
 * makes the controller refuse the Ingress (parser.CheckAnnotationRisk).
 */
export const INGRESS_NGINX_RISK_LEVEL = {
  value: 'High' as IngressNginxRisk,
  source: at('internal/ingress/controller/config/config.go', 'AnnotationsRiskLevel: "High" in NewDefault'),
} as const;

/**
 * The controller's default proxy-read-timeout and proxy-send-timeout, seconds (config.NewDefault);
 * kubespray's addon leaves them (ingress_nginx_configmap `{}`). An Ingress without the timeout
 * annotations gets these, and the Envoy Gateway routes are given the same (INGRESS_DEFAULTS).
 */
export const INGRESS_NGINX_PROXY_TIMEOUT = {
  seconds: 60,
  source: at('internal/ingress/controller/config/config.go', 'ProxyReadTimeout: 60, ProxySendTimeout: 60 in NewDefault'),
} as const;

/**
 * A regular expression of the controller's validators: its Go definition (as in the source,
 * spaces collapsed) and the same rule as a JavaScript RegExp.
 */
export interface IngressNginxRegex {
  readonly go: string;
  readonly js: RegExp;
}

const ALNUM = '\\-\\.\\_\\~a-zA-Z0-9\\/:'; // alphaNumericChars
/** The regexes of internal/ingress/annotations/parser/validators.go our annotations use. */
export const INGRESS_NGINX_REGEXES = {
  SizeRegex: { go: 'var SizeRegex = regexp.MustCompile(`^(?i)\\d+[bkmg]?$`)', js: /^\d+[bkmg]?$/i },
  BasicCharsRegex: { go: 'BasicCharsRegex = regexp.MustCompile("^[/" + alphaNumericChars + "]*$")', js: new RegExp(`^[/${ALNUM}]*$`) },
  RegexPathWithCapture: { go: 'RegexPathWithCapture = regexp.MustCompile(`^/?[` + alphaNumericChars + `\\/\\$]*$`)', js: new RegExp(`^/?[${ALNUM}\\/\\$]*$`) },
  IsValidRegex: { go: 'var IsValidRegex = regexp.MustCompile("^[/" + alphaNumericChars + regexEnabledChars + "]*$")', js: new RegExp(`^[/${ALNUM}\\^\\$\\[\\]\\(\\)\\{\\}\\*\\+\\?\\|&=\\\\]*$`) },
  /** ValidateRegex rejects a value with a line break after its own regex. */
  MaliciousRegex: { go: 'MaliciousRegex = regexp.MustCompile(`\\r|\\n`)', js: /\r|\n/ },
  /** The characters the regexes above are built of. */
  alphaNumericChars: { go: 'alphaNumericChars = `\\-\\.\\_\\~a-zA-Z0-9\\/:`', js: new RegExp(`^[${ALNUM}]*$`) },
  regexEnabledChars: { go: 'regexEnabledChars = regexp.QuoteMeta(`^$[](){}*+?|&=\\`)', js: /^[\^$[\](){}*+?|&=\\]*$/ },
  proxySSLOnOffRegex: { go: 'proxySSLOnOffRegex = regexp.MustCompile(`^(on|off)$`)', js: /^(on|off)$/ },
  proxySSLProtocolRegex: { go: 'proxySSLProtocolRegex = regexp.MustCompile(`^(TLSv1\\.2|TLSv1\\.3| )*$`)', js: /^(TLSv1\.2|TLSv1\.3| )*$/ },
} as const satisfies Record<string, IngressNginxRegex>;
export type IngressNginxRegexName = keyof typeof INGRESS_NGINX_REGEXES;

/** An annotation's validator, as its AnnotationFields entry names it. */
export type IngressNginxValidator =
  /** parser.ValidateInt: strconv.Atoi. */
  | { readonly kind: 'int' }
  /** parser.ValidateBool: strconv.ParseBool (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False). */
  | { readonly kind: 'bool' }
  /** parser.ValidateOptions(options, caseSensitive, trimSpace). */
  | { readonly kind: 'options'; readonly options: readonly string[]; readonly caseSensitive: boolean; readonly trimSpace: boolean }
  /** parser.ValidateRegex(regex, removeSpace): spaces removed first when removeSpace, then MaliciousRegex. */
  | { readonly kind: 'regex'; readonly regex: IngressNginxRegexName; readonly removeSpace: boolean }
  /** parser.ValidateServerName: trimmed, then IsValidRegex. */
  | { readonly kind: 'serverName' };

export interface IngressNginxAnnotation {
  /** The name after the prefix. */
  readonly name: string;
  /** The Go constant holding the name, in `file`. */
  readonly constant: string;
  /** The parser's file (the AnnotationFields entry and the getter call are in it). */
  readonly file: string;
  /** The parser's getter for the value. */
  readonly getter: 'GetStringAnnotation' | 'GetBoolAnnotation' | 'GetIntAnnotation';
  /** The Go expression of the entry's Validator, as in the source. */
  readonly validatorGo: string;
  readonly validator: IngressNginxValidator;
  readonly risk: IngressNginxRisk;
  /** What else the parser requires of the value. */
  readonly also?: string;
}

const ANN = 'internal/ingress/annotations';
const bool: IngressNginxValidator = { kind: 'bool' };
const int: IngressNginxValidator = { kind: 'int' };
const regex = (name: IngressNginxRegexName, removeSpace: boolean): IngressNginxValidator => ({ kind: 'regex', regex: name, removeSpace });

/** Every ingress-nginx annotation the platform writes, by our key. Same at both releases. */
export const INGRESS_NGINX_ANNOTATIONS = {
  sslRedirect: { name: 'ssl-redirect', constant: 'sslRedirectAnnotation', file: `${ANN}/rewrite/main.go`, getter: 'GetBoolAnnotation', validatorGo: 'parser.ValidateBool', validator: bool, risk: 'Low' },
  useRegex: { name: 'use-regex', constant: 'useRegexAnnotation', file: `${ANN}/rewrite/main.go`, getter: 'GetBoolAnnotation', validatorGo: 'parser.ValidateBool', validator: bool, risk: 'Low' },
  rewriteTarget: { name: 'rewrite-target', constant: 'rewriteTargetAnnotation', file: `${ANN}/rewrite/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(parser.RegexPathWithCapture, false)', validator: regex('RegexPathWithCapture', false), risk: 'Medium' },
  appRoot: { name: 'app-root', constant: 'appRootAnnotation', file: `${ANN}/rewrite/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(parser.RegexPathWithCapture, false)', validator: regex('RegexPathWithCapture', false), risk: 'Medium' },
  backendProtocol: { name: 'backend-protocol', constant: 'backendProtocolAnnotation', file: `${ANN}/backendprotocol/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateOptions(validProtocols, false, true)', validator: { kind: 'options', options: ['auto_http', 'http', 'https', 'grpc', 'grpcs', 'fcgi'], caseSensitive: false, trimSpace: true }, risk: 'Low' },
  proxySslSecret: { name: 'proxy-ssl-secret', constant: 'proxySSLSecretAnnotation', file: `${ANN}/proxyssl/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(parser.BasicCharsRegex, true)', validator: regex('BasicCharsRegex', true), risk: 'Medium', also: 'namespace/name (k8s.ParseNameNS), the namespace the Ingress\'s own (allow-cross-namespace-resources is false by default)' },
  proxySslVerify: { name: 'proxy-ssl-verify', constant: 'proxySSLVerifyAnnotation', file: `${ANN}/proxyssl/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(proxySSLOnOffRegex, true)', validator: regex('proxySSLOnOffRegex', true), risk: 'Low' },
  proxySslName: { name: 'proxy-ssl-name', constant: 'proxySSLNameAnnotation', file: `${ANN}/proxyssl/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateServerName', validator: { kind: 'serverName' }, risk: 'High' },
  proxySslServerName: { name: 'proxy-ssl-server-name', constant: 'proxySSLServerNameAnnotation', file: `${ANN}/proxyssl/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(proxySSLOnOffRegex, true)', validator: regex('proxySSLOnOffRegex', true), risk: 'Low' },
  proxySslProtocols: { name: 'proxy-ssl-protocols', constant: 'proxySSLProtocolsAnnotation', file: `${ANN}/proxyssl/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(proxySSLProtocolRegex, true)', validator: regex('proxySSLProtocolRegex', true), risk: 'Low' },
  proxyBodySize: { name: 'proxy-body-size', constant: 'proxyBodySizeAnnotation', file: `${ANN}/proxy/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(parser.SizeRegex, true)', validator: regex('SizeRegex', true), risk: 'Medium' },
  proxyRequestBuffering: { name: 'proxy-request-buffering', constant: 'proxyRequestBufferingAnnotation', file: `${ANN}/proxy/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateOptions([]string{"on", "off"}, true, true)', validator: { kind: 'options', options: ['on', 'off'], caseSensitive: true, trimSpace: true }, risk: 'Low' },
  proxyReadTimeout: { name: 'proxy-read-timeout', constant: 'proxyReadTimeoutAnnotation', file: `${ANN}/proxy/main.go`, getter: 'GetIntAnnotation', validatorGo: 'parser.ValidateInt', validator: int, risk: 'Low', also: 'seconds' },
  proxySendTimeout: { name: 'proxy-send-timeout', constant: 'proxySendTimeoutAnnotation', file: `${ANN}/proxy/main.go`, getter: 'GetIntAnnotation', validatorGo: 'parser.ValidateInt', validator: int, risk: 'Low', also: 'seconds' },
  proxyBufferSize: { name: 'proxy-buffer-size', constant: 'proxyBufferSizeAnnotation', file: `${ANN}/proxy/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(parser.SizeRegex, true)', validator: regex('SizeRegex', true), risk: 'Low' },
  affinity: { name: 'affinity', constant: 'annotationAffinityType', file: `${ANN}/sessionaffinity/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateOptions([]string{cookieAffinity}, true, true)', validator: { kind: 'options', options: ['cookie'], caseSensitive: true, trimSpace: true }, risk: 'Low' },
  affinityMode: { name: 'affinity-mode', constant: 'annotationAffinityMode', file: `${ANN}/sessionaffinity/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateOptions([]string{"balanced", "persistent"}, true, true)', validator: { kind: 'options', options: ['balanced', 'persistent'], caseSensitive: true, trimSpace: true }, risk: 'Medium' },
  sessionCookieName: { name: 'session-cookie-name', constant: 'annotationAffinityCookieName', file: `${ANN}/sessionaffinity/main.go`, getter: 'GetStringAnnotation', validatorGo: 'parser.ValidateRegex(parser.BasicCharsRegex, true)', validator: regex('BasicCharsRegex', true), risk: 'Medium' },
  sessionCookieSecure: { name: 'session-cookie-secure', constant: 'annotationAffinityCookieSecure', file: `${ANN}/sessionaffinity/main.go`, getter: 'GetBoolAnnotation', validatorGo: 'parser.ValidateBool', validator: bool, risk: 'Low' },
} as const satisfies Record<string, IngressNginxAnnotation>;
export type IngressNginxAnnotationKey = keyof typeof INGRESS_NGINX_ANNOTATIONS;

/** The full annotation key (`nginx.ingress.kubernetes.io/<name>`) of one of the annotations above. */
export const nginxAnnotation = (key: IngressNginxAnnotationKey): string => `${INGRESS_NGINX_PREFIX.value}/${INGRESS_NGINX_ANNOTATIONS[key].name}`;

/** Whether `value` passes the validator as the controller applies it (checkAnnotation, validators.go). */
export function passesIngressNginxValidator(v: IngressNginxValidator, value: string): boolean {
  switch (v.kind) {
    case 'int': return /^[+-]?\d+$/.test(value) && Number.isSafeInteger(Number(value)); // strconv.Atoi: optional sign, decimal digits
    case 'bool': return ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value);
    case 'options': {
      let s = v.trimSpace ? value.trim() : value;
      if (!v.caseSensitive) s = s.toLowerCase();
      return v.options.includes(s);
    }
    case 'regex': {
      const s = v.removeSpace ? value.replaceAll(' ', '') : value;
      return INGRESS_NGINX_REGEXES[v.regex].js.test(s) && !INGRESS_NGINX_REGEXES.MaliciousRegex.js.test(s);
    }
    case 'serverName': return INGRESS_NGINX_REGEXES.IsValidRegex.js.test(value.trim());
  }
}
