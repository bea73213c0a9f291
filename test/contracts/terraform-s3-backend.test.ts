/**
 * The s3 state backend the Terraform stacks write against what Terraform's s3 backend reads
 * (config/contracts/terraform-s3-backend.ts): every setting is one the backend knows at the
 * stack's required_version and none is deprecated; the state key passes the backend's rules; the
 * credential variables we tell users to export are the ones it reads. Where a fetched copy of
 * hashicorp/terraform is at hand (../.mirror), the contract's facts are also found in its tags;
 * SKIPPED otherwise.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KpaasConfigInput } from '../../config';
import { VERSIONS } from '../../config';
import { KAKAOCLOUD_PROVIDER } from '../../config/kakaocloud-rules';
import {
  TERRAFORM_S3_BACKEND_ATTRIBUTES,
  TERRAFORM_S3_BACKEND_CREDENTIAL_ENV,
  TERRAFORM_S3_BACKEND_DEPRECATED,
  TERRAFORM_S3_BACKEND_KEY_RULES,
  TERRAFORM_S3_BACKEND_TAGS_READ,
} from '../../config/contracts/terraform-s3-backend';
import { configErrorOf } from '../support/config-error';
import { hasMirror, showAt } from '../support/mirror';
import { renderedDist } from '../support/rendered';

/** `v1.6.3` or `>= 1.6.3` as [1, 6, 3]. */
const versionOf = (v: string): number[] => v.replace(/^>=\s*|^v/g, '').split('.').map(Number);
const compare = (a: number[], b: number[]): number => a.map((n, i) => n - b[i]).find((d) => d !== 0) ?? 0;

/** A backend block's settings as attribute names, a nested block's as `block.attribute`. */
const settingsOf = (block: Record<string, unknown>): string[] => Object.entries(block).flatMap(([k, v]) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((n) => `${k}.${n}`) : [k]).sort();

/** What a stack's backend writes that Terraform would reject or warn about at the stack's required_version. */
function backendProblems(stack: string, doc: { terraform: { required_version?: string; backend: Record<string, Record<string, unknown>> } }): string[] {
  const s3 = doc.terraform.backend.s3;
  if (!s3) return [`${stack}: no s3 backend`];
  const required = doc.terraform.required_version;
  if (!required) return [`${stack}: no required_version, though Terraform before ${VERSIONS.terraformS3Backend.replace('>= ', '')} rejects the s3 settings`];
  return settingsOf(s3).flatMap((name) => {
    if (name in TERRAFORM_S3_BACKEND_DEPRECATED) return [`${stack}: ${name} is deprecated (use ${TERRAFORM_S3_BACKEND_DEPRECATED[name]})`];
    const known = TERRAFORM_S3_BACKEND_ATTRIBUTES.find((a) => a.name === name);
    if (!known) return [`${stack}: ${name} is not a setting the contract knows`];
    return compare(versionOf(known.since), versionOf(required)) > 0 ? [`${stack}: ${name} needs Terraform ${known.since}, required_version is ${required}`] : [];
  });
}

/** Every Terraform stack of dist for a config input, parsed. */
function stacks(input: KpaasConfigInput): Array<[string, any]> {
  return [...renderedDist(input)].filter(([file]) => /^terraform\/[^/]+\/cdk\.tf\.json$/.test(file)).map(([file, f]) => [file, JSON.parse(f.content)]);
}

const S3 = { terraform: { backend: { type: 's3', bucket: 'tfstate', key: 'prod/kpaas/infra.tfstate' } } } as const;
/** Each target with the required_version its infra stack must keep beside the s3 backend's (the higher of the two). */
const TARGETS: Array<[string, KpaasConfigInput, string]> = [
  ['kakaocloud', S3, KAKAOCLOUD_PROVIDER.terraform],
  ['openstack', { ...S3, cloud: { provider: 'openstack' } }, VERSIONS.terraformS3Backend],
];

describe.each(TARGETS)('the s3 state backend of the %s target against Terraform\'s s3 backend', (_target, input, infraRequired) => {
  const docs = stacks(input);

  it('writes one required_version per stack, losing neither the provider\'s nor the backend\'s constraint', () => {
    expect(Object.fromEntries(docs.map(([file, doc]) => [file, doc.terraform.required_version]))).toEqual({
      'terraform/infra/cdk.tf.json': infraRequired,
      'terraform/openbao-config/cdk.tf.json': VERSIONS.terraformS3Backend,
    });
  });

  it('writes both stacks with an s3 backend of settings Terraform knows at their required_version, none deprecated', () => {
    expect(docs.map(([file]) => file).sort()).toEqual(['terraform/infra/cdk.tf.json', 'terraform/openbao-config/cdk.tf.json']);
    expect(docs.flatMap(([file, doc]) => backendProblems(file, doc))).toEqual([]);
  });

  it('writes state keys the backend accepts', () => {
    expect(docs.map(([file, doc]) => [file, TERRAFORM_S3_BACKEND_KEY_RULES.problem(doc.terraform.backend.s3.key)]).filter(([, p]) => p)).toEqual([]);
  });
});

describe('Terraform\'s s3 backend contract', () => {
  it('requires the Terraform release where the last setting written came in', () => {
    const newest = TERRAFORM_S3_BACKEND_ATTRIBUTES.map((a) => versionOf(a.since)).sort(compare).at(-1)!;
    expect(VERSIONS.terraformS3Backend).toBe(`>= ${newest.join('.')}`);
  });

  it('fails on a seeded backend with a deprecated setting and one newer than the required_version', () => {
    const seeded = { terraform: { required_version: '>= 1.6.0', backend: { s3: { bucket: 'b', key: 'k', force_path_style: true, skip_s3_checksum: true } } } };
    expect(backendProblems('seeded', seeded)).toEqual([
      'seeded: force_path_style is deprecated (use use_path_style)',
      'seeded: skip_s3_checksum needs Terraform v1.6.3, required_version is >= 1.6.0',
    ]);
    const { required_version: _, ...noVersion } = seeded.terraform;
    expect(backendProblems('seeded', { terraform: noVersion })).toEqual([`seeded: no required_version, though Terraform before 1.6.3 rejects the s3 settings`]);
  });

  it.each(['/kpaas/infra.tfstate', 'kpaas/infra.tfstate/', 'kpaas//infra.tfstate'])('fails on the state key %s, as the backend does', (key) => {
    expect(configErrorOf({ terraform: { backend: { type: 's3', bucket: 'tfstate', key } } })).toMatch(/terraform\.backend\.key.*must not (start or end with "\/"|contain "\/\/")/);
  });

  it('tells users to export exactly the credential variables the backend reads (README, docs, the config schema)', () => {
    const root = path.resolve(__dirname, '../..');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const state = readme.slice(readme.indexOf('- **State.**'), readme.indexOf('- **Outputs.**'));
    const configuration = fs.readFileSync(path.join(root, 'docs/configuration.md'), 'utf8').split('\n').find((l) => l.startsWith('| `terraform.backend.type`'))!;
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'docs/kpaas.config.schema.json'), 'utf8'));
    const backend = JSON.stringify(schema.properties.terraform.properties.backend.description);
    for (const [where, text] of [['README State', state], ['docs/configuration.md', configuration], ['schema', backend]] as const) {
      expect([where, [...new Set(text.match(/AWS_[A-Z_]+/g))].sort()]).toEqual([where, [...TERRAFORM_S3_BACKEND_CREDENTIAL_ENV.names].sort()]);
    }
  });
});

const TF = 'hashicorp/terraform';
const haveMirror = hasMirror(TF);
if (!haveMirror) console.warn(`SKIPPED: ${TF} is not in ../.mirror; the s3 backend contract is not compared with Terraform's source`);
(haveMirror ? describe : describe.skip)('the contract\'s facts in Terraform\'s own source', () => {
  const backendGo = (ref: string) => showAt({ repo: TF, ref, path: 'internal/backend/remote-state/s3/backend.go' });
  /** The schema block of a top-level attribute (three tabs deep in ConfigSchema), or undefined. */
  const block = (text: string, name: string): string | undefined => {
    const start = text.indexOf(`\n\t\t\t"${name}": `);
    return start < 0 ? undefined : text.slice(start, text.indexOf('\n\t\t\t},', start) + 1 || undefined);
  };
  const has = (ref: string, name: string): boolean => {
    const text = backendGo(ref);
    if (!name.includes('.')) return block(text, name) !== undefined;
    const [outer, inner] = name.split('.');
    return text.includes(`"${outer}": ${outer}Schema.SchemaAttribute()`) && text.includes(`\n\t\t"${inner}": stringAttribute{`);
  };
  const deprecated = (ref: string, name: string): boolean => /Deprecated:\s+true/.test(block(backendGo(ref), name) ?? '');

  it('finds each setting from its first tag on, and not in the tag before', () => {
    const problems = TERRAFORM_S3_BACKEND_ATTRIBUTES.flatMap((a) => [
      ...(has(a.since, a.name) ? [] : [`${a.name} missing at ${a.since}`]),
      ...(a.before && has(a.before, a.name) ? [`${a.name} already at ${a.before}`] : []),
      ...(has(TERRAFORM_S3_BACKEND_TAGS_READ.newest, a.name) ? [] : [`${a.name} missing at ${TERRAFORM_S3_BACKEND_TAGS_READ.newest}`]),
      ...(!a.name.includes('.') && deprecated(TERRAFORM_S3_BACKEND_TAGS_READ.newest, a.name) ? [`${a.name} deprecated at ${TERRAFORM_S3_BACKEND_TAGS_READ.newest}`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it('finds the replaced settings deprecated at the newest tag read, and the settings first in the oldest', () => {
    for (const name of Object.keys(TERRAFORM_S3_BACKEND_DEPRECATED)) expect([name, deprecated(TERRAFORM_S3_BACKEND_TAGS_READ.newest, name)]).toEqual([name, true]);
    const oldest = TERRAFORM_S3_BACKEND_ATTRIBUTES.filter((a) => a.since === TERRAFORM_S3_BACKEND_TAGS_READ.oldest);
    expect(oldest.filter((a) => !has(TERRAFORM_S3_BACKEND_TAGS_READ.oldest, a.name))).toEqual([]);
  });

  it('finds the key rules, and no credential variable read by the backend itself in place of the SDK\'s', () => {
    const { source } = TERRAFORM_S3_BACKEND_KEY_RULES;
    expect(showAt(source)).toMatch(/func validateStringS3Path[\s\S]*?strings\.HasPrefix\(val, "\/"\) \|\| strings\.HasSuffix\(val, "\/"\)/);
    const text = backendGo(source.ref);
    expect(text).toContain('validateStringDoesNotContain("//")');
    expect(text).toContain('AccessKey:               stringAttr(obj, "access_key")');
    for (const name of TERRAFORM_S3_BACKEND_CREDENTIAL_ENV.names) expect(text).not.toContain(`"${name}"`);
  });
});
