export * from './infra-stack';
export * from './kakaocloud-infra-stack';
export * from './kpaas-stack';
