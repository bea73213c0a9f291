/**
 * What Terraform's s3 state backend reads, as data from its source: the backend block the stacks
 * write for `terraform.backend.type: s3` (stacks/backend.ts), the key rules it enforces, and the
 * environment variables that carry the credentials we tell users to export. Read in
 * hashicorp/terraform at v1.5.0, each tag where an attribute first appears, and v1.15.9 (the newest
 * release tag read; v1.16.0-rc2 and v1.17.0-alpha20260812 have the same attributes and
 * deprecations). test/contracts/terraform-s3-backend.test.ts holds what the stacks write against
 * these facts and, where hashicorp/terraform is in ../../.mirror, the facts against its tags.
 *
 * The backend was rewritten on aws-sdk-go-base v2 in v1.6.0: `endpoints { s3 }` and
 * `use_path_style` replaced `endpoint` and `force_path_style` (deprecated, still read with a
 * warning in v1.15.9), and two settings an S3-compatible store needs came in patch releases.
 * Terraform 1.5.x rejects every attribute it does not know ("Unsupported argument").
 */
import type { UpstreamFile } from './images';

const TF = 'hashicorp/terraform';
const BACKEND = 'internal/backend/remote-state/s3/backend.go';
const at = (ref: string, note?: string): UpstreamFile => ({ repo: TF, ref, path: BACKEND, ...(note ? { note } : {}) });

/** The oldest and newest Terraform release tags whose backend.go was read. */
export const TERRAFORM_S3_BACKEND_TAGS_READ = { oldest: 'v1.5.0', newest: 'v1.15.9' } as const;

/** One attribute of the backend's ConfigSchema that the stacks write. */
export interface S3BackendAttribute {
  /** The attribute (a nested one as `block.attribute`). */
  readonly name: string;
  /** First release tag whose schema has it; `before` is the tag just before it, which lacks it. */
  readonly since: string;
  readonly before?: string;
  /** Why an S3-compatible store (Kakao Object Storage) needs it. */
  readonly why: string;
  readonly source: UpstreamFile;
}

/** Every attribute the stacks may write in `terraform.backend.s3`, none deprecated at the newest tag read. */
export const TERRAFORM_S3_BACKEND_ATTRIBUTES: readonly S3BackendAttribute[] = [
  { name: 'bucket', since: 'v1.5.0', why: 'required', source: at('v1.15.9', 'ConfigSchema "bucket": Required') },
  { name: 'key', since: 'v1.5.0', why: 'required; validated by TERRAFORM_S3_BACKEND_KEY_RULES', source: at('v1.15.9', 'ConfigSchema "key": Required') },
  { name: 'region', since: 'v1.5.0', why: 'required unless AWS_REGION or AWS_DEFAULT_REGION is set ("Missing region value")', source: at('v1.15.9', 'PrepareConfig: region or AWS_REGION / AWS_DEFAULT_REGION') },
  { name: 'endpoints.s3', since: 'v1.6.0', before: 'v1.5.7', why: 'the store is not AWS: its own endpoint (replaces the deprecated `endpoint`)', source: at('v1.6.0', 'endpointsSchema "s3": stringAttribute with validateStringLegacyURL') },
  { name: 'use_path_style', since: 'v1.6.0', before: 'v1.5.7', why: 'bucket in the path, not the host name (replaces the deprecated `force_path_style`)', source: at('v1.6.0') },
  { name: 'skip_credentials_validation', since: 'v1.5.0', why: 'no STS to validate the key against', source: at('v1.15.9') },
  { name: 'skip_region_validation', since: 'v1.5.0', why: 'Kakao region names are not AWS regions', source: at('v1.15.9') },
  { name: 'skip_requesting_account_id', since: 'v1.6.1', before: 'v1.6.0', why: 'no IAM/STS/metadata API to ask for an account ID', source: at('v1.6.1') },
  { name: 'skip_metadata_api_check', since: 'v1.5.0', why: 'no EC2 metadata service', source: at('v1.15.9') },
  { name: 'skip_s3_checksum', since: 'v1.6.3', before: 'v1.6.2', why: 'S3-compatible stores may reject the SDK\'s checksum headers', source: at('v1.6.3', '"Do not include checksum when uploading S3 Objects. Useful for some S3-Compatible APIs."') },
];

/** Attributes deprecated since v1.6.0 (a warning in v1.15.9) and what replaces them: never written. */
export const TERRAFORM_S3_BACKEND_DEPRECATED: Readonly<Record<string, string>> = {
  endpoint: 'endpoints.s3',
  force_path_style: 'use_path_style',
};

/**
 * The state key: PrepareConfig validates it with validateStringNotEmpty, validateStringS3Path (no
 * leading or trailing "/") and validateStringDoesNotContain("//"), errors at `terraform init`
 * (the same rules from v1.5.0 to v1.15.9).
 */
export const TERRAFORM_S3_BACKEND_KEY_RULES = {
  problem: (key: string): string | undefined =>
    key === '' ? 'must not be empty'
      : key.startsWith('/') || key.endsWith('/') ? 'must not start or end with "/"'
        : key.includes('//') ? 'must not contain "//"'
          : undefined,
  source: { repo: TF, ref: 'v1.15.9', path: 'internal/backend/remote-state/s3/validate.go', note: 'validateStringS3Path; backend.go PrepareConfig adds validateStringDoesNotContain("//")' } satisfies UpstreamFile,
} as const;

/**
 * The credentials, when the block sets no access_key/secret_key (ours never does): the backend
 * hands an empty awsbase.Config key to aws-sdk-go-base v2 (backend.go `AccessKey:
 * stringAttr(obj, "access_key")`), whose default chain reads the environment through
 * aws-sdk-go-v2's config package. Terraform v1.15.9 requires aws-sdk-go-v2/config v1.32.12 (go.mod);
 * the file was read at a stored commit of aws-sdk-go-v2 whose release was not identified.
 */
export const TERRAFORM_S3_BACKEND_CREDENTIAL_ENV = {
  /** What we tell users to export (README, docs/configuration.md, the config schema). */
  names: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  /** Also read: AWS_ACCESS_KEY / AWS_SECRET_KEY only when the first is unset; AWS_SESSION_TOKEN when both keys are set. */
  alternatives: ['AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_SESSION_TOKEN'],
  source: {
    repo: 'aws/aws-sdk-go-v2',
    ref: '000ee9fe910b05167dae3bdb3a6e7a409339470d',
    path: 'config/env_config.go',
    note: 'credAccessEnvKeys = [AWS_ACCESS_KEY_ID, AWS_ACCESS_KEY], credSecretEnvKeys = [AWS_SECRET_ACCESS_KEY, AWS_SECRET_KEY]; NewEnvConfig',
  } satisfies UpstreamFile,
} as const;
