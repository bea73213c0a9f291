/**
 * OpenBao's HTTP API as `kpaas portal register` (cli/portal-register.ts) calls it: paths, query
 * parameters, request and response fields, the token header and the status codes, read from
 * OpenBao's source at the version we pin (config/versions.ts VERSIONS.openbao, also the tag
 * name). The command builds its requests from here; test/contracts/openbao-api.test.ts finds each
 * `text` in its file where a fetched copy of openbao/openbao is at hand, and
 * test/cli/portal-register.test.ts has its fake OpenBao answer as this says.
 *
 * Texts are compared with runs of whitespace collapsed to one space (Go's alignment and line
 * breaks do not matter). A number is an HTTP status: its text names the net/http constant.
 */
import { VERSIONS } from '../versions';
import type { UpstreamText } from './images';

/** A value OpenBao's source decides, with where it says so (the value is in the text). */
export interface OpenBaoFact<T extends string | number> extends UpstreamText {
  readonly value: T;
  /** Further places the fact rests on (e.g. the server reading the header the client names). */
  readonly also?: readonly UpstreamText[];
}

const openbao = (path: string, text: string): UpstreamText => ({
  text,
  source: { repo: 'openbao/openbao', ref: VERSIONS.openbao, path, note: text },
});

const fact = <const T extends string | number>(value: T, path: string, text: string, also?: readonly UpstreamText[]): OpenBaoFact<T> => ({
  value, ...openbao(path, text), ...(also ? { also } : {}),
});

const HANDLER = 'http/handler.go';
const LOGICAL = 'http/logical.go';
const HEALTH = 'http/sys_health.go';
const RESPONSE_UTIL = 'sdk/logical/response_util.go';
const KV_DATA = 'builtin/logical/kv/path_data.go';
const APPROLE_ROLE = 'builtin/credential/approle/path_role.go';

export const OPENBAO_API = {
  /** Every API path is below it (the mux's catch-all). */
  prefix: fact('/v1/', HANDLER, 'mux.Handle("/v1/", handleLogical(core))'),
  /** The request header the token goes in (the server also takes `Authorization: Bearer`). */
  tokenHeader: fact('X-Vault-Token', 'api/client.go', 'AuthHeaderName = "X-Vault-Token"', [
    openbao('sdk/helper/consts/consts.go', 'AuthHeaderName = api.AuthHeaderName'),
    openbao(HANDLER, 'if token := r.Header.Get(consts.AuthHeaderName); token != "" {'),
  ]),
  /** Methods: GET reads; POST (or PUT) is the update operation every write here is. */
  methods: {
    read: fact('GET', LOGICAL, 'case "GET": op = logical.ReadOperation'),
    write: fact('POST', LOGICAL, 'case "POST", "PUT": op = logical.UpdateOperation'),
  },
  /** The answer's envelope: the handler's data under `data`, errors as strings under `errors`. */
  body: {
    data: fact('data', 'sdk/logical/translate_response.go', 'Data map[string]interface{} `json:"data"`'),
    errors: fact('errors', RESPONSE_UTIL, 'Errors []string `json:"errors"`'),
  },
  /** Statuses of the logical API. */
  status: {
    ok: fact(200, HANDLER, 'w.WriteHeader(http.StatusOK) enc := json.NewEncoder(w) enc.Encode(body)'),
    /** A handler that answers nothing (an update returning no response). */
    noContent: fact(204, HANDLER, 'if body == nil { w.WriteHeader(http.StatusNoContent)'),
    /** A read that finds nothing. */
    notFound: fact(404, RESPONSE_UTIL, 'case req.Operation == ReadOperation || req.Operation == HeaderOperation: if resp == nil { return http.StatusNotFound, nil }', [
      // no engine mounted at the path: the router's unsupported path
      openbao(RESPONSE_UTIL, 'case errwrap.Contains(err, ErrUnsupportedPath.Error()): statusCode = http.StatusNotFound'),
    ]),
    permissionDenied: fact(403, RESPONSE_UTIL, 'case errwrap.Contains(err, ErrPermissionDenied.Error()): statusCode = http.StatusForbidden'),
    sealed: fact(503, RESPONSE_UTIL, 'case errwrap.Contains(err, consts.ErrSealed.Error()), errwrap.Contains(err, consts.ErrNamespaceSealed.Error()), '
      + 'errwrap.Contains(err, consts.ErrAPILocked.Error()): *status = http.StatusServiceUnavailable'),
  },
  /** sys/health: unauthenticated, its status says the server's state. */
  health: {
    path: fact('sys/health', HANDLER, 'mux.Handle("/v1/sys/health", handleSysHealth(core))'),
    /** With it true a standby answers the active code (OpenBao reads no `perfstandbyok`, unlike Vault). */
    standbyOk: fact('standbyok', HEALTH, 'standbyOKStr, standbyOK := r.URL.Query()["standbyok"]', [
      openbao(HEALTH, 'case standby: if !standbyOK { code = standbyCode }'),
    ]),
    /** The status a sealed server answers instead of `sealed` (a number). */
    sealedCode: fact('sealedcode', HEALTH, 'if code, found, ok := fetchStatusCode(r, "sealedcode"); !ok {', [
      openbao(HEALTH, 'case sealed: code = sealedCode'),
    ]),
    /** The status an uninitialised server answers instead of `uninitialized` (a number). */
    uninitCode: fact('uninitcode', HEALTH, 'if code, found, ok := fetchStatusCode(r, "uninitcode"); !ok {', [
      openbao(HEALTH, 'case !init: code = uninitCode'),
    ]),
    /** The default code of each state (no *code parameter sent). */
    active: fact(200, HEALTH, 'activeCode := http.StatusOK'),
    standby: fact(429, HEALTH, 'standbyCode := http.StatusTooManyRequests'),
    sealed: fact(503, HEALTH, 'sealedCode := http.StatusServiceUnavailable'),
    uninitialized: fact(501, HEALTH, 'uninitCode := http.StatusNotImplemented'),
  },
  /** KV version 2: a secret's data at `<mount>/data/<path>`. */
  kv2: {
    dataPrefix: fact('data/', KV_DATA, 'Pattern: "data/" + framework.MatchAllRegex("path"),'),
    /** The write's body: {data: {...}}. */
    writeField: fact('data', KV_DATA, 'dataRaw, ok := data.GetOk("data")'),
    /** The read's answer: the secret under data.data (beside data.metadata). */
    readField: fact('data', KV_DATA, 'resp.Data["data"] = vData'),
  },
  /** AppRole, mounted below `auth/`. */
  approle: {
    authPrefix: fact('auth/', 'vault/routing/routing.go', 'CredentialRoutePrefix = "auth/"', [
      openbao('vault/auth.go', 'c.router.Mount(backend, routing.CredentialRoutePrefix+entry.Path, entry, view)'),
    ]),
    rolePrefix: fact('role/', APPROLE_ROLE, 'Pattern: "role/" + framework.GenericNameRegex("role_name") + "/role-id$",'),
    roleId: {
      path: fact('role-id', APPROLE_ROLE, 'framework.GenericNameRegex("role_name") + "/role-id$",'),
      field: fact('role_id', APPROLE_ROLE, 'Data: map[string]interface{}{ "role_id": role.RoleID, },'),
    },
    secretId: {
      path: fact('secret-id', APPROLE_ROLE, 'framework.GenericNameRegex("role_name") + "/secret-id/?$",'),
      /** A string: JSON of string values (or base64 of it, or k=v pairs), go-secure-stdlib strutil ParseArbitraryKeyValues. */
      metadataField: fact('metadata', APPROLE_ROLE, 'strutil.ParseArbitraryKeyValues(data.Get("metadata").(string), secretIDStorage.Metadata, ",")'),
      field: fact('secret_id', APPROLE_ROLE, '"secret_id": secretID,'),
      accessorField: fact('secret_id_accessor', APPROLE_ROLE, '"secret_id_accessor": secretIDStorage.SecretIDAccessor,'),
    },
    lookup: {
      path: fact('secret-id/lookup', APPROLE_ROLE, 'framework.GenericNameRegex("role_name") + "/secret-id/lookup/?$",'),
      /** The request's field; an unknown secret-id is answered with no body (status.noContent). */
      secretIdField: fact('secret_id', APPROLE_ROLE, 'secretID := data.Get("secret_id").(string)', [
        openbao(APPROLE_ROLE, 'if secretIDEntry == nil { return nil, nil } // If a secret ID entry does not have a corresponding accessor'),
      ]),
      /** Go's zero time (never) unless the secret-id has a TTL. */
      expirationField: fact('expiration_time', APPROLE_ROLE, '"expiration_time": entry.ExpirationTime,', [
        openbao('builtin/credential/approle/validation.go', 'if ttl := b.deriveSecretIDTTL(secretEntry.SecretIDTTL); ttl != time.Duration(0) { secretEntry.ExpirationTime = currentTime.Add(ttl) }'),
      ]),
    },
    destroy: {
      path: fact('secret-id/destroy', APPROLE_ROLE, 'framework.GenericNameRegex("role_name") + "/secret-id/destroy/?$",'),
      secretIdField: fact('secret_id', APPROLE_ROLE, 'secretID := data.Get("secret_id").(string) if secretID == "" { return logical.ErrorResponse("missing secret_id"), nil } roleLock := b.roleLock(roleName)'),
    },
  },
} as const;

/** The sys/health query parameters of the contract, by their names there: a flag and two statuses. */
export interface OpenBaoHealthQuery {
  readonly standbyOk?: boolean;
  readonly sealedCode?: number;
  readonly uninitCode?: number;
}

/** `sys/health?<parameter>=<value>&...` (below the API prefix), the parameters in the order given. */
export function openbaoHealthPath(query: OpenBaoHealthQuery = {}): string {
  const params = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${OPENBAO_API.health[k as keyof OpenBaoHealthQuery].value}=${encodeURIComponent(String(v))}`);
  return `${OPENBAO_API.health.path.value}${params.length ? `?${params.join('&')}` : ''}`;
}

/** The HTTP methods the API is called with here. */
export type OpenBaoMethod = (typeof OPENBAO_API.methods)[keyof typeof OPENBAO_API.methods]['value'];
