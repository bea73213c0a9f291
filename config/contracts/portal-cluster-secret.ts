/**
 * The KV secret of a registered cluster that cp-portal-api reads from OpenBao (`kpaas portal
 * register` writes it for the host cluster): its path under the KV mount and its keys, as the
 * component's code has them at the ref the manifests follow (config/versions.ts
 * VERSIONS.kpaasPortalSources.api). test/cli/portal-cluster-secret.test.ts finds each `text` in its
 * file where a fetched copy of the repository is at hand.
 */
import { VERSIONS } from '../versions';
import type { UpstreamFile } from './images';

const api = (path: string, note: string): UpstreamFile => ({
  repo: VERSIONS.kpaasPortalSources.api.repo, ref: VERSIONS.kpaasPortalSources.api.commit, path, note,
});

export const PORTAL_CLUSTER_SECRET = {
  /** Path under the KV mount, `{id}` the cluster's id (the property cluster-token, `secret/cluster/{id}`). */
  path: { template: 'cluster/{id}', source: api('src/main/resources/application.yml', 'cluster-token: "secret/cluster/{id}"') },
  /** The keys, as the fields of the model the secret is read into and written from. */
  keys: {
    clusterId: { source: api('src/main/java/org/container/platform/api/clusters/clusters/support/ClusterInfo.java', 'private String clusterId;') },
    clusterApiUrl: { source: api('src/main/java/org/container/platform/api/clusters/clusters/support/ClusterInfo.java', 'private String clusterApiUrl;') },
    clusterToken: { source: api('src/main/java/org/container/platform/api/clusters/clusters/support/ClusterInfo.java', 'private String clusterToken;') },
  },
} as const;

/** A key of the cluster secret. */
export type PortalClusterSecretKey = keyof typeof PORTAL_CLUSTER_SECRET.keys;
