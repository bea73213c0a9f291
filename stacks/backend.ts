import { LocalBackend, S3Backend } from 'cdktf';
import { VERSIONS, type PlatformConfig } from '../config';
import type { KpaasStack } from './kpaas-stack';

/** Where a stack keeps its state: its own local file, or its own object key in the configured bucket. */
export interface BackendPlacement {
  /**
   * Local state file as the stack directory sees it.
   * @default the configured `terraform.backend.path`
   */
  readonly localPath?: string;
  /**
   * Object key of the state in the bucket.
   * @default the configured `terraform.backend.key`
   */
  readonly key?: string;
}

/**
 * The state backend of a stack: a local file outside dist, or Kakao Object Storage over S3. An S3
 * backend also raises the stack's required_version: older Terraform releases reject settings written
 * here (config/contracts/terraform-s3-backend.ts).
 */
export function addBackend(stack: KpaasStack, config: PlatformConfig, placement: BackendPlacement = {}): void {
  const backend = config.terraform.backend;
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: placement.localPath ?? backend.path });
    return;
  }
  // Kakao Object Storage speaks S3 but is not AWS: no AWS-only checks, path-style URLs
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: placement.key ?? backend.key,
    region: backend.region,
    endpoints: { s3: backend.endpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipS3Checksum: true,
  });
  stack.requireTerraform(VERSIONS.terraformS3Backend);
}
