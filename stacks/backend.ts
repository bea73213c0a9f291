import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { PlatformConfig } from '../config';

/** The state backend of a stack: a local file outside dist, or Kakao Object Storage over S3. */
export function addBackend(stack: TerraformStack, config: PlatformConfig, localStatePath?: string): void {
  const backend = config.terraform.backend;
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: localStatePath ?? backend.path });
    return;
  }
  // Kakao Object Storage speaks S3 but is not AWS: no AWS-only checks, path-style URLs
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    endpoints: { s3: backend.endpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipS3Checksum: true,
  });
}
