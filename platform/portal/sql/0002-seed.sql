-- The rows the portal needs before anyone logs in. Re-runnable: the templates are the project's
-- rows, keyed by their fixed ids, and a second run finds them equal (ON DUPLICATE KEY UPDATE
-- writes the values again and never touches `created`).
--
-- A name in double braces stands for a value of the platform's configuration. The schema
-- construct (platform/portal/portal-schema.ts, renderPortalSql) replaces each with a validated,
-- quoted SQL string; a mark left in place is a syntax error, so an unrendered file cannot load.
--
-- Sources (repo@commit:path):
--   PAPI    K-PaaS/cp-portal-api@1fdc4be9cde1cc6dd9d1b1b4ead1d6fbc663ab5d
--   COMMON  K-PaaS/cp-portal-common-api@9bd529acad8d1ee101b25ce71179c4430f516fe6
--   METRICS K-PaaS/cp-metrics-api@4f4248c85b39671f2cf089aecefe22ea24583108
--   OLD     K-PaaS/container-platform-release@2c3273ccdd4b2cb0dbd285a71ca18a679608fd72
--           portal/values_orig/container-platform-mariadb-configmap.yaml (the last public seed)

SET @now = DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s');

-- cp_resource_quotas. Names: PAPI src/main/resources/application.yml cpNamespace.resourceQuotas
-- (list cp-low/medium/high-resourcequota, low is the default); ResourceYamlService
-- .createDefaultResourceQuota takes limit_cpu and limit_memory of the row with the requested name,
-- and renders an empty quota where none matches. Numbers: OLD (then named
-- container-platform-low/medium-high-rq); no v1.6 seed is public. request_* are "-" as there
-- (the portal's create_resource_quota.ftl sets only limits); status is display text for the UI.
INSERT INTO cp_resource_quotas (id, name, request_cpu, request_memory, limit_cpu, limit_memory, status, created) VALUES
  (1, 'cp-low-resourcequota',    '-', '-', '2', '2Gi',  '{"cpu":{"used":"200m","hard":"2"},"memory":{"used":"1800Mi","hard":"2Gi"}}',  @now),
  (2, 'cp-medium-resourcequota', '-', '-', '4', '6Gi',  '{"cpu":{"used":"200m","hard":"4"},"memory":{"used":"1800Mi","hard":"6Gi"}}',  @now),
  (3, 'cp-high-resourcequota',   '-', '-', '8', '12Gi', '{"cpu":{"used":"200m","hard":"8"},"memory":{"used":"1800Mi","hard":"12Gi"}}', @now)
ON DUPLICATE KEY UPDATE
  name = VALUES(name), request_cpu = VALUES(request_cpu), request_memory = VALUES(request_memory),
  limit_cpu = VALUES(limit_cpu), limit_memory = VALUES(limit_memory), status = VALUES(status);

-- cp_limit_ranges. Names: PAPI application.yml cpNamespace.limitRanges (cp-low/medium/high-
-- limitrange, low the default); ResourceYamlService.createDefaultLimitRanges takes default_limit
-- of the row with resource 'cpu' (PAPI Constants.SUPPORTED_RESOURCE_CPU) as the cpu default and of
-- the other row of that name as the memory default: two rows per name. Numbers and "-" for the
-- unused columns: OLD (then container-platform-low/medium/high-limit-range), type Container.
INSERT INTO cp_limit_ranges (id, name, type, resource, `min`, `max`, default_request, default_limit, created) VALUES
  (1, 'cp-low-limitrange',    'Container', 'cpu',    '-', '-', '-', '100m',   @now),
  (2, 'cp-low-limitrange',    'Container', 'memory', '-', '-', '-', '500Mi',  @now),
  (3, 'cp-medium-limitrange', 'Container', 'cpu',    '-', '-', '-', '300m',   @now),
  (4, 'cp-medium-limitrange', 'Container', 'memory', '-', '-', '-', '1500Mi', @now),
  (5, 'cp-high-limitrange',   'Container', 'cpu',    '-', '-', '-', '900m',   @now),
  (6, 'cp-high-limitrange',   'Container', 'memory', '-', '-', '-', '3Gi',    @now)
ON DUPLICATE KEY UPDATE
  name = VALUES(name), type = VALUES(type), resource = VALUES(resource), `min` = VALUES(`min`), `max` = VALUES(`max`),
  default_request = VALUES(default_request), default_limit = VALUES(default_limit);

-- cp_hcl_templates: no rows. They are Terraform templates a super admin writes per IaaS provider
-- (PAPI HclTemplatesController, @PreAuthorize checkisSuperAdmin) for terraman to build clusters
-- with; no public K-PaaS source seeds any, and the portal registers existing clusters here
-- (building clusters through terraman is not supported yet), so the table starts empty.

-- cp_clusters: the cluster the portal runs on, under the id `kpaas portal register` writes its
-- OpenBao secret for (secret/cluster/<id>, platform/portal/portal-names.ts portalHostCluster).
-- cluster_type HOST: COMMON Constants.HOST_CLUSTER_TYPE, found by findByClusterType("HOST") at
-- every sign-up. provider_type must be a PAPI Constants.ProviderType name (AWS, OPENSTACK, NAVER,
-- NHN, KT) or portal-api fails to read the cluster list. status 'A': PAPI ClusterStatus.ACTIVE.
-- Every column metrics-api reads (METRICS model/cpClusterModel.go: name, cluster_type, created,
-- last_modified, provider_type, description, status) is a Go string it cannot scan NULL into,
-- so none is NULL here. A second run keeps the name, description and status a super admin may
-- have changed in the portal, and restores the type and provider the portal depends on.
INSERT INTO cp_clusters (cluster_id, name, cluster_type, provider_type, description, created, last_modified, status) VALUES
  ({{host_cluster_id}}, {{host_cluster_name}}, 'HOST', {{host_cluster_provider}}, 'The cluster the portal runs on', @now, @now, 'A')
ON DUPLICATE KEY UPDATE
  cluster_type = VALUES(cluster_type), provider_type = VALUES(provider_type);
