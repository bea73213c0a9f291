/**
 * The ports the CP-Portal components listen on, as their own code sets them at the refs the
 * manifests follow (config/versions.ts VERSIONS.kpaasPortalSources). The Services, container ports
 * and probes of platform/portal take them from here; test/contracts/portal-ports.test.ts finds each
 * `text` in its file where a fetched copy of the repository is at hand.
 */
import { VERSIONS } from '../versions';
import type { UpstreamFile } from './images';

type Component = keyof typeof VERSIONS.kpaasPortalSources;

export interface ListenPort {
  readonly port: number;
  /** The file that sets it, at the component's ref. */
  readonly source: UpstreamFile;
  /** The text in that file that says so. */
  readonly text: string;
}

const at = (c: Component, path: string, text: string, port: number): ListenPort => ({
  port,
  text,
  source: { repo: VERSIONS.kpaasPortalSources[c].repo, ref: VERSIONS.kpaasPortalSources[c].commit, path, note: text },
});

export const PORTAL_LISTEN_PORTS = {
  /** Spring Boot's server.port, defaulting when PORT is unset (the manifests set no PORT). */
  ui: at('ui', 'src/main/resources/application.yml', 'port: ${PORT:8090}', 8090),
  api: at('api', 'src/main/resources/application.yml', 'port: ${PORT:3333}', 3333),
  commonApi: at('commonApi', 'src/main/resources/application.yml', 'port: ${PORT:3334}', 3334),
  /** The Go server's fixed listen address (no setting changes it). */
  metricsApi: at('metricsApi', 'api/api.go', 'Addr:         ":8900"', 8900),
} as const satisfies Readonly<Record<Exclude<Component, 'terraman'>, ListenPort>>;
