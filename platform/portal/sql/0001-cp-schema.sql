-- The CP-Portal's `cp` schema (K-PaaS v1.6): kpaas-cdk's own DDL, written from the columns the
-- portal's programs map. Nobody else creates these tables: common-api and terraman run with
-- `ddl-auto: none`, metrics-api never migrates. Sources (repo@commit:path), read per table below:
--   COMMON  K-PaaS/cp-portal-common-api@9bd529acad8d1ee101b25ce71179c4430f516fe6 (JPA entities)
--   TERRA   K-PaaS/cp-terraman@65ff3375811e42ec36bfd18945c4ca475cce164a (JPA entities, same tables)
--   METRICS K-PaaS/cp-metrics-api@4f4248c85b39671f2cf089aecefe22ea24583108 (Go structs, gorm/sql tags)
--
-- Types: a Java String is VARCHAR(255) (JPA's default length; the entities give none except where
-- noted), long is BIGINT, int is INT, Go float64 DOUBLE, int64 BIGINT. Every `created` and
-- `last_modified` is a Java String the entities fill with "yyyy-MM-dd HH:mm:ss"
-- (COMMON Constants.STRING_DATE_TYPE), so they are VARCHAR, not DATETIME. NOT NULL where the
-- entity says nullable = false or the field is a Java primitive. No foreign keys: the portal
-- deletes rows table by table (e.g. metrics by cluster_id) and declares none.
--
-- Re-runnable: the schema job applies every file of platform/portal/sql in order on each run, so
-- each statement must leave an applied schema as it is (CREATE TABLE IF NOT EXISTS here; a later
-- version adds a file with ADD COLUMN IF NOT EXISTS and the like, never a plain ALTER).

-- COMMON src/main/java/org/container/platform/common/api/clusters/Clusters.java (also TERRA
-- .../common/model/ClusterModel.java, METRICS model/cpClusterModel.go). The id is chosen by
-- whoever registers the cluster (no generator in common-api). cluster_type is HOST for the one
-- cluster the portal runs on (common-api findByClusterType("HOST") expects exactly one row).
CREATE TABLE IF NOT EXISTS cp_clusters (
  cluster_id    VARCHAR(255) NOT NULL,
  name          VARCHAR(255) NULL,
  cluster_type  VARCHAR(255) NULL,
  provider_type VARCHAR(255) NULL,
  ssh_key       VARCHAR(255) NULL,
  description   VARCHAR(255) NULL,
  created       VARCHAR(255) NOT NULL,
  last_modified VARCHAR(255) NOT NULL,
  -- @Column(length = 1): A(ctive), C(reating), D(isabled)
  status        VARCHAR(1)   NULL,
  PRIMARY KEY (cluster_id),
  KEY cp_clusters_type (cluster_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../common/api/users/Users.java. cluster_name is not in the entity: three native
-- queries of COMMON .../users/UsersRepository.java (lines 67-73) still name it, so it exists,
-- nullable and never written, rather than failing with "Unknown column" if they run.
CREATE TABLE IF NOT EXISTS cp_users (
  id                   BIGINT       NOT NULL AUTO_INCREMENT,
  cluster_id           VARCHAR(255) NOT NULL,
  user_id              VARCHAR(255) NOT NULL,
  user_auth_id         VARCHAR(255) NOT NULL,
  namespace            VARCHAR(255) NOT NULL,
  user_type            VARCHAR(255) NOT NULL,
  role_set_code        VARCHAR(255) NOT NULL,
  service_account_name VARCHAR(255) NOT NULL,
  created              VARCHAR(255) NOT NULL,
  last_modified        VARCHAR(255) NOT NULL,
  cluster_name         VARCHAR(255) NULL,
  PRIMARY KEY (id),
  KEY cp_users_cluster_user (cluster_id, user_auth_id),
  KEY cp_users_user_id (user_id),
  KEY cp_users_namespace (namespace)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../clusterResource/ResourceQuotas/ResourceQuotasDefault.java: the templates of the
-- ResourceQuota the portal gives a new namespace (seeded in 0002-seed.sql).
CREATE TABLE IF NOT EXISTS cp_resource_quotas (
  id             BIGINT       NOT NULL AUTO_INCREMENT,
  name           VARCHAR(255) NULL,
  request_cpu    VARCHAR(255) NULL,
  request_memory VARCHAR(255) NULL,
  limit_cpu      VARCHAR(255) NULL,
  limit_memory   VARCHAR(255) NULL,
  status         TEXT         NULL,
  created        VARCHAR(255) NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../clusterResource/limitRanges/LimitRangesDefault.java: the templates of the
-- LimitRange of a new namespace, one row per name and resource (seeded in 0002-seed.sql).
CREATE TABLE IF NOT EXISTS cp_limit_ranges (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  name            VARCHAR(255) NULL,
  type            VARCHAR(255) NULL,
  resource        VARCHAR(255) NULL,
  `min`           VARCHAR(255) NULL,
  `max`           VARCHAR(255) NULL,
  default_request VARCHAR(255) NULL,
  default_limit   VARCHAR(255) NULL,
  created         VARCHAR(255) NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../hclTemplates/HclTemplates.java: Terraform templates per IaaS provider. The id has
-- no generator (@Id only): the portal supplies it. hcl_script is columnDefinition = "TEXT";
-- MEDIUMTEXT leaves room for a large template.
CREATE TABLE IF NOT EXISTS cp_hcl_templates (
  id            BIGINT       NOT NULL,
  name          VARCHAR(255) NULL,
  provider      VARCHAR(255) NULL,
  hcl_script    MEDIUMTEXT   NULL,
  region        VARCHAR(255) NULL,
  created       VARCHAR(255) NOT NULL,
  last_modified VARCHAR(255) NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../cloudAccounts/CloudAccounts.java (IDENTITY id); TERRA .../model/AccountModel.java
-- writes name, provider and last_modified NOT NULL. The credentials stay in OpenBao.
CREATE TABLE IF NOT EXISTS cp_cloud_accounts (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  name          VARCHAR(255) NOT NULL,
  provider      VARCHAR(255) NOT NULL,
  region        VARCHAR(255) NULL,
  project       VARCHAR(255) NULL,
  site          VARCHAR(255) NULL,
  created       VARCHAR(255) NOT NULL,
  last_modified VARCHAR(255) NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../sshKeys/SshKeys.java, TERRA .../model/SshKeyModel.java: every column NOT NULL, the
-- id supplied by the portal. The key itself stays in OpenBao.
CREATE TABLE IF NOT EXISTS cp_cluster_ssh_key (
  id            BIGINT       NOT NULL,
  name          VARCHAR(255) NOT NULL,
  provider      VARCHAR(255) NOT NULL,
  created       VARCHAR(255) NOT NULL,
  last_modified VARCHAR(255) NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../clusters/clusterlogs/ClusterLogs.java (@IdClass: cluster_id, process_no), TERRA
-- .../model/ClusterLogModel.java. log_message holds command output lines: TEXT, not 255.
CREATE TABLE IF NOT EXISTS cp_cluster_log (
  cluster_id    VARCHAR(255) NOT NULL,
  process_no    INT          NOT NULL,
  log_message   TEXT         NULL,
  reg_timestamp VARCHAR(255) NULL,
  PRIMARY KEY (cluster_id, process_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../vaultDatabaseSecrets/VaultDatabaseSecrets.java: @UniqueConstraint on name; the id
-- has no generator.
CREATE TABLE IF NOT EXISTS cp_vault_database_secret (
  id            BIGINT       NOT NULL,
  name          VARCHAR(255) NULL,
  namespace     VARCHAR(255) NULL,
  db_type       VARCHAR(255) NOT NULL,
  app_name      VARCHAR(255) NULL,
  app_namespace VARCHAR(255) NULL,
  status        VARCHAR(255) NOT NULL,
  flag          VARCHAR(255) NOT NULL,
  created       VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY cp_vault_database_secret_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- METRICS model/nodeMetricModel.go CpMetricClusterStatus (gorm, SingularTable naming), read and
-- written by cluster_id; COMMON .../clusters/metrics/ClusterStatus.java only deletes by it.
-- update_time is Go's RFC 3339 text with an offset: VARCHAR. The counts are "ready/total" text.
CREATE TABLE IF NOT EXISTS cp_metric_cluster_status (
  cluster_id      VARCHAR(255) NOT NULL,
  kubelet_version VARCHAR(255) NULL,
  node_cnt        VARCHAR(255) NULL,
  namespace_cnt   VARCHAR(255) NULL,
  pv_cnt          VARCHAR(255) NULL,
  pvc_cnt         VARCHAR(255) NULL,
  pod_cnt         VARCHAR(255) NULL,
  cpu_ratio       DOUBLE       NULL,
  mem_ratio       DOUBLE       NULL,
  update_time     VARCHAR(255) NULL,
  PRIMARY KEY (cluster_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- METRICS model/nodeMetricModel.go CpMetricNodeStatus, looked up by (cluster_id, node_name);
-- METRICS action/db/database.go scans cpu_raw and mem_raw into int64, so they are never NULL.
CREATE TABLE IF NOT EXISTS cp_metric_node_status (
  cluster_id  VARCHAR(255) NOT NULL,
  node_name   VARCHAR(255) NOT NULL,
  cpu_ratio   DOUBLE       NOT NULL DEFAULT 0,
  cpu_raw     BIGINT       NOT NULL DEFAULT 0,
  mem_ratio   DOUBLE       NOT NULL DEFAULT 0,
  mem_raw     BIGINT       NOT NULL DEFAULT 0,
  update_time VARCHAR(255) NULL,
  PRIMARY KEY (cluster_id, node_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- COMMON .../chaos/StressChaos.java, ChaosResource.java, ChaosResourceUsage.java (+
-- ChaosResourceUsageId.java): the chaos menu's bookkeeping. choice is a Java int (never NULL).
CREATE TABLE IF NOT EXISTS cp_stress_chaos (
  chaos_id      BIGINT       NOT NULL AUTO_INCREMENT,
  chaos_name    VARCHAR(255) NULL,
  namespaces    VARCHAR(255) NULL,
  creation_time VARCHAR(255) NULL,
  end_time      VARCHAR(255) NULL,
  duration      VARCHAR(255) NULL,
  PRIMARY KEY (chaos_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS cp_chaos_resource (
  resource_id   BIGINT       NOT NULL AUTO_INCREMENT,
  chaos_id      BIGINT       NULL,
  resource_name VARCHAR(255) NULL,
  type          VARCHAR(255) NULL,
  choice        INT          NOT NULL DEFAULT 0,
  generate_name VARCHAR(255) NULL,
  PRIMARY KEY (resource_id),
  KEY cp_chaos_resource_chaos (chaos_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS cp_chaos_resource_usage (
  resource_id      BIGINT       NOT NULL,
  measurement_time VARCHAR(255) NOT NULL,
  cpu              BIGINT       NULL,
  memory           BIGINT       NULL,
  app_status       INT          NULL,
  PRIMARY KEY (resource_id, measurement_time)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
