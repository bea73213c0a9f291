import { parseCidr, parseRange, rangeToCidrs } from '../../config';

describe('net', () => {
  it('covers a range with the fewest CIDR blocks', () => {
    expect(rangeToCidrs(parseRange('172.16.0.210-172.16.0.250')!)).toEqual([
      '172.16.0.210/31', '172.16.0.212/30', '172.16.0.216/29', '172.16.0.224/28', '172.16.0.240/29', '172.16.0.248/31', '172.16.0.250/32',
    ]);
    expect(rangeToCidrs(parseRange('10.0.0.0-10.0.0.255')!)).toEqual(['10.0.0.0/24']);
    expect(rangeToCidrs(parseRange('10.0.0.7')!)).toEqual(['10.0.0.7/32']);
  });

  it('parses CIDRs and ranges', () => {
    expect(parseCidr('172.16.0.0/24')).toMatchObject({ prefix: 24, last: parseCidr('172.16.0.255/32')!.first });
    expect(parseCidr('172.16.0.1/24')).toBeUndefined();
    expect(parseCidr('172.16.0.0/33')).toBeUndefined();
    expect(parseRange('172.16.0.9-172.16.0.1')).toBeUndefined();
    expect(parseRange('172.16.0.1-172.16.0.9')!.text).toBe('172.16.0.1-172.16.0.9');
  });
});
