/** backup.objectStorage: defaults from the cloud region, and one line per bad field naming what is allowed. */
import { parseConfig } from '../../config';
import { configErrorOf } from '../support/config-error';

const errorOf = (objectStorage: Record<string, unknown>, extra: Record<string, unknown> = {}): string => configErrorOf({ ...extra, backup: { objectStorage } });

describe('backup.objectStorage', () => {
  it('is off by default', () => {
    expect(parseConfig({}).backup).toEqual({});
  });

  it('takes Kakao\'s endpoint of the cluster\'s region and the defaults', () => {
    expect(parseConfig({ backup: { objectStorage: { bucket: 'kpaas-backups' } } }).backup.objectStorage).toEqual({
      bucket: 'kpaas-backups',
      endpoint: 'https://objectstorage.kr-central-2.kakaocloud.com',
      region: 'kr-central-2',
      prefix: 'etcd-snapshots',
      keep: 30,
      credentialsFile: '/etc/kpaas/objectstorage.env',
    });
  });

  it('derives the endpoint from another region, for a copy off the cluster\'s region', () => {
    const o = parseConfig({ backup: { objectStorage: { bucket: 'b-1', region: 'kr-central-1', prefix: 'k/etcd' } } }).backup.objectStorage;
    expect(o).toMatchObject({ endpoint: 'https://objectstorage.kr-central-1.kakaocloud.com', region: 'kr-central-1', prefix: 'k/etcd' });
  });

  it('fails on a bucket name S3 refuses', () => {
    expect(errorOf({ bucket: 'My_Bucket' })).toBe(
      'kpaas.config.yaml: backup.objectStorage.bucket: "My_Bucket" is not a bucket name; allowed: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit',
    );
  });

  it('fails on an endpoint that is not https', () => {
    expect(errorOf({ bucket: 'b-1', endpoint: 'http://objectstorage.kr-central-2.kakaocloud.com' }))
      .toMatch(/^kpaas\.config\.yaml: backup\.objectStorage\.endpoint: "http:\/\/objectstorage\.kr-central-2\.kakaocloud\.com" is not an https URL without a path; allowed: "https:\/\/<host>\[:port\]"/);
  });

  it('fails on an endpoint with a path', () => {
    expect(errorOf({ bucket: 'b-1', endpoint: 'https://s3.example.com/bucket' })).toMatch(/backup\.objectStorage\.endpoint: "https:\/\/s3\.example\.com\/bucket" is not an https URL without a path/);
  });

  it('fails on a prefix with a leading, trailing or double slash or ".."', () => {
    for (const prefix of ['/etcd', 'etcd/', 'a//b', 'a/../b', '']) {
      expect(errorOf({ bucket: 'b-1', prefix })).toMatch(/^kpaas\.config\.yaml: backup\.objectStorage\.prefix: ".*" is not a key prefix; allowed: one or more "\/"-separated segments/);
    }
  });

  it('fails on a relative credentials file', () => {
    expect(errorOf({ bucket: 'b-1', credentialsFile: 'objectstorage.env' }))
      .toMatch(/^kpaas\.config\.yaml: backup\.objectStorage\.credentialsFile: "objectstorage\.env" is not an absolute path on the masters; allowed:/);
  });

  it('fails on a keep of 0', () => {
    expect(errorOf({ bucket: 'b-1', keep: 0 })).toMatch(/backup\.objectStorage\.keep/);
  });

  it('fails on a region Kakao Cloud does not have, with cloud.provider "kakaocloud"', () => {
    expect(errorOf({ bucket: 'b-1', region: 'kr-central-9' })).toBe(
      'kpaas.config.yaml: backup.objectStorage.region: "kr-central-9" is not a Kakao Cloud region; allowed with cloud.provider "kakaocloud": '
        + '"kr-central-1", "kr-central-2", "kr-central-3" (or set backup.objectStorage.endpoint for another S3 store)',
    );
  });

  it('takes any region name for another S3 store, and on openstack', () => {
    const other = { bucket: 'b-1', region: 'us-east-1', endpoint: 'https://s3.example.com' };
    expect(parseConfig({ backup: { objectStorage: other } }).backup.objectStorage).toMatchObject({ region: 'us-east-1', endpoint: 'https://s3.example.com' });
    expect(parseConfig({ cloud: { provider: 'openstack' }, backup: { objectStorage: { bucket: 'b-1', region: 'regionone' } } }).backup.objectStorage)
      .toMatchObject({ region: 'regionone', endpoint: 'https://objectstorage.regionone.kakaocloud.com' });
  });

  it('fails on a region that is not a region name, once', () => {
    const message = errorOf({ bucket: 'b-1', region: 'KR Central' });
    expect(message).toBe(
      'kpaas.config.yaml: backup.objectStorage.region: "KR Central" is not a region name; allowed: lower-case letters and digits separated by "-" (e.g. "kr-central-2")',
    );
  });
});
