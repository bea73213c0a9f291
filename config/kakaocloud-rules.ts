/**
 * What Kakao Cloud's own Terraform provider accepts, as data: the validators of
 * kakaoenterprise/terraform-provider-kakaocloud at tag v0.4.1 that no schema JSON carries (enum
 * values, name rules, cross-attribute rules). Each entry names the upstream file it was read
 * from; the enum strings are the constants of the SDK the provider pins in its go.mod
 * (kakaoenterprise/kc-sdk-go v1.3.0). The loader checks the names it will produce against
 * NAME_RULES and the constructs check what they write against the rest, so a value the provider
 * would refuse at `terraform plan` is refused at synth instead.
 */

/** Where a rule was read: repository, tag and path. */
export interface UpstreamRef {
  readonly repo: string;
  readonly tag: string;
  readonly path: string;
}

import { VERSIONS } from './versions';

const PROVIDER = 'kakaoenterprise/terraform-provider-kakaocloud';
const SDK = 'kakaoenterprise/kc-sdk-go';
const at = (path: string): UpstreamRef => ({ repo: PROVIDER, tag: 'v0.4.1', path });
const sdk = (path: string): UpstreamRef => ({ repo: SDK, tag: 'v1.3.0', path });

/** The provider release the bindings in imports/kakaocloud and the stack are made for. */
export const KAKAOCLOUD_PROVIDER = {
  source: 'kakaoenterprise/kakaocloud',
  version: VERSIONS.kakaocloudProvider,
  /** docs/index.md: "supported on Terraform Version 1.14 or later". */
  terraform: VERSIONS.kakaocloudTerraform,
  /** internal/common/client.go reads these when the provider block sets no credentials. */
  credentialEnv: ['KAKAOCLOUD_APPLICATION_CREDENTIAL_ID', 'KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET'],
  ref: at('docs/index.md'),
} as const;

/** Regions the provider's `region` accepts (internal/common/region.go, RegionAll). */
export const KAKAOCLOUD_REGIONS = { values: ['kr-central-1', 'kr-central-2', 'kr-central-3'], ref: at('internal/common/region.go') } as const;

/**
 * common.NameValidator(max): 4..max characters, letters, digits, "-" and "_", starting and ending
 * with a letter or digit, and none of "--", "__", "-_", "_-" (nameNoDoubleSymbolValidator).
 */
export const NAME_RULE = {
  min: 4,
  pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*[a-zA-Z0-9]$/,
  forbidden: ['--', '__', '-_', '_-'],
  ref: at('internal/common/validators.go'),
} as const;

/** Maximum name length per resource type (the argument of NameValidator in each schema). */
export const NAME_MAX = {
  instance: { max: 63, ref: at('internal/service/bcs/instance_schema_resource.go') },
  network_interface: { max: 63, ref: at('internal/service/vpc/network_interface_schema.go') },
  security_group: { max: 250, ref: at('internal/service/network/security_group_schema.go') },
  load_balancer: { max: 250, ref: at('internal/service/loadbalancer/load_balancer_schema.go') },
  load_balancer_target_group: { max: 255, ref: at('internal/service/loadbalancer/load_balancer_target_group_schema.go') },
  load_balancer_target_group_member: { max: 255, ref: at('internal/service/loadbalancer/load_balancer_target_group_member_schema.go') },
  instance_key_name: { max: 250, ref: at('internal/service/bcs/instance_schema_resource.go') },
  vpc: { max: 200, ref: at('internal/service/vpc/vpc_schema.go') },
  subnet: { max: 200, ref: at('internal/service/vpc/subnet_schema.go') },
} as const;
export type NamedResource = keyof typeof NAME_MAX;

/** Why `name` breaks the provider's name rule for `type`, or undefined when it is fine. */
export function kakaoNameProblem(name: string, type: NamedResource): string | undefined {
  const { max } = NAME_MAX[type];
  if (name.length < NAME_RULE.min || name.length > max) return `must be ${NAME_RULE.min}-${max} characters (it has ${name.length})`;
  if (!NAME_RULE.pattern.test(name)) return 'may hold only letters, digits, "-" and "_", and must start and end with a letter or digit';
  const bad = NAME_RULE.forbidden.find((s) => name.includes(s));
  if (bad) return `must not contain "${bad}" (nor any of ${NAME_RULE.forbidden.map((s) => `"${s}"`).join(', ')})`;
  return undefined;
}

/**
 * common.DescriptionValidatorWithMaxLength: at most `max` characters out of a fixed set (letters,
 * digits, Hangul, space and . , ! ? ( ) [ ] { } : ; " ' @ # % & * + = _ / \ | < > ~ -). Security
 * group rules allow 50, every other description 100.
 */
export const DESCRIPTION_RULE = {
  pattern: /^[a-zA-Z0-9ㄱ-ㅎ가-힣 .,!?()[\]{}:;"'@#%&*+=_/\\|<>~-]*$/,
  max: 100,
  ruleMax: 50,
  ref: at('internal/common/validators.go'),
} as const;

export function kakaoDescriptionOk(text: string, max: number = DESCRIPTION_RULE.max): boolean {
  return [...text].length <= max && DESCRIPTION_RULE.pattern.test(text);
}

/** OneOf validators, with the SDK constants' string values. */
export const ENUMS = {
  securityGroupRuleDirection: { values: ['ingress', 'egress'], ref: at('internal/service/network/security_group_schema.go'), sdk: sdk('services/network/model_security_group_rule_direction.go') },
  /** The docs also list IPIP; the validator does not accept it. */
  securityGroupRuleProtocol: { values: ['TCP', 'UDP', 'ICMP', 'ALL'], ref: at('internal/service/network/security_group_schema.go'), sdk: sdk('services/network/model_security_group_rule_protocol.go') },
  publicIpDeviceType: { values: ['instance', 'load-balancer'], ref: at('internal/service/network/public_ip_schema.go') },
  listenerProtocol: { values: ['HTTP', 'TCP', 'UDP', 'TERMINATED_HTTPS'], ref: at('internal/common/validators.go'), sdk: sdk('services/loadbalancer/model_protocol.go') },
  targetGroupProtocol: { values: ['HTTP', 'HTTPS', 'TCP', 'UDP', 'PROXY'], ref: at('internal/service/loadbalancer/load_balancer_target_group_schema.go'), sdk: sdk('services/loadbalancer/model_target_group_protocol.go') },
  targetGroupAlgorithm: { values: ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'], ref: at('internal/service/loadbalancer/load_balancer_target_group_schema.go'), sdk: sdk('services/loadbalancer/model_target_group_algorithm.go') },
  healthMonitorType: { values: ['HTTP', 'HTTPS', 'TCP', 'PING'], ref: at('internal/service/loadbalancer/load_balancer_health_monitor_schema.go'), sdk: sdk('services/loadbalancer/model_health_monitor_type.go') },
  healthMonitorHttpMethod: { values: ['CONNECT', 'GET', 'POST', 'DELETE', 'PATCH', 'PUT', 'HEAD', 'OPTIONS', 'TRACE'], ref: at('internal/service/loadbalancer/load_balancer_health_monitor_schema.go'), sdk: sdk('services/loadbalancer/model_health_monitor_method.go') },
  healthMonitorHttpVersion: { values: ['1.0', '1.1'], ref: at('internal/service/loadbalancer/load_balancer_health_monitor_schema.go'), sdk: sdk('services/loadbalancer/model_health_monitor_http_version.go') },
} as const;

/** Health monitor ranges and its ValidateConfig (load_balancer_health_monitor_resource.go). */
export const HEALTH_MONITOR_RULES = {
  delay: [0, 3600],
  timeout: [0, 900],
  maxRetries: [1, 10],
  maxRetriesDown: [1, 10],
  /** `delay` must be greater than `timeout`. */
  delayAboveTimeout: true,
  /** HTTP/HTTPS need all four; every other type must set none of them. */
  httpFields: ['http_method', 'http_version', 'url_path', 'expected_codes'],
  urlPath: /^\/(.{0,120})$/,
  expectedCodes: /^([0-9]{3}(-[0-9]{3})?)(,([0-9]{3}(-[0-9]{3})?))*$/,
  ref: at('internal/service/loadbalancer/load_balancer_health_monitor_resource.go'),
} as const;

/**
 * Instance user data: write-only (instance_schema_resource.go: WriteOnly, never in plan or
 * state); Base64 and at most 16 KB say docs/resources/instance.md (the provider itself does not
 * check either for instances: common.Base64Validator exists but is not used at v0.4.1).
 */
export const USER_DATA_RULE = { maxDecodedBytes: 16 * 1024, ref: at('docs/resources/instance.md') } as const;

/** Root volume: the first entry of `volumes`, size 1-16384 GB (common.VolumeSizeValidator), never shrunk. */
export const VOLUME_RULE = { size: [1, 16384], ref: at('internal/service/bcs/instance_validator.go') } as const;

/** Whether `value` is one of an enum's values; throws naming the enum and its reference otherwise. */
export function checkEnum<K extends keyof typeof ENUMS>(kind: K, value: string): string {
  const e = ENUMS[kind];
  if (!(e.values as readonly string[]).includes(value)) {
    throw new Error(`kakaocloud ${kind}: ${JSON.stringify(value)} is not allowed; allowed: ${e.values.join(', ')} (${e.ref.repo}@${e.ref.tag}:${e.ref.path})`);
  }
  return value;
}

/** Names the KakaoCloud stack gives its resources: one place, used by the stack and the loader's checks. */
export const KAKAOCLOUD_NAMES = {
  instance: (node: string) => node,
  networkInterface: (node: string) => `${node}-nic`,
  securityGroup: (cluster: string, group: string) => `${cluster}-${group}`,
  loadBalancer: (cluster: string, role: string) => `${cluster}-${role}-lb`,
  targetGroup: (cluster: string, role: string, listener: string) => `${cluster}-${role}-${listener}`,
  member: (node: string) => node,
} as const;
