/**
 * IPv4 arithmetic on top of ipaddr.js (parsing and CIDR matching come from the library; the
 * range helpers it lacks are small integer arithmetic here).
 */
import * as ipaddr from 'ipaddr.js';

/** An IPv4 CIDR block as numbers, inclusive of network and broadcast addresses. */
export interface Cidr {
  /** The block as written, normalized (e.g. `172.16.0.0/24`). */
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

/** An inclusive IPv4 address range, e.g. `172.16.0.210-172.16.0.250`. */
export interface IpRange {
  /** The range as written, normalized (`a-b`; a single address stays `a`). */
  readonly text: string;
  readonly first: number;
  readonly last: number;
}

/** True for a dotted-quad IPv4 address without leading zeros (`172.16.0.1`). */
export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

export function ipToInt(text: string): number {
  const b = ipaddr.IPv4.parse(text).octets;
  return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * Parses `a.b.c.d/n`. Returns undefined for anything else, including a block with host bits set
 * (`172.16.0.1/24`), which is almost always a typo for an address or for the network.
 */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m || !isIpv4(m[1])) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 32) return undefined;
  const network = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
  if (network !== m[1]) return undefined;
  const first = ipToInt(network);
  const size = 2 ** (32 - prefix);
  return { text: `${network}/${prefix}`, first, last: first + size - 1, prefix };
}

/** Parses `a-b` (inclusive, a <= b) or a single address. */
export function parseRange(text: string): IpRange | undefined {
  const parts = text.split('-').map((p) => p.trim());
  if (parts.length > 2 || !parts.every(isIpv4)) return undefined;
  const first = ipToInt(parts[0]);
  const last = ipToInt(parts[parts.length - 1]);
  if (last < first) return undefined;
  return { text: first === last ? intToIp(first) : `${intToIp(first)}-${intToIp(last)}`, first, last };
}

export function contains(outer: { first: number; last: number }, inner: { first: number; last: number }): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

export function overlaps(a: { first: number; last: number }, b: { first: number; last: number }): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function rangeSize(r: { first: number; last: number }): number {
  return r.last - r.first + 1;
}

/**
 * The smallest list of CIDR blocks that covers a range exactly. OpenStack's allowed address pairs
 * take CIDRs, while MetalLB pools are written as ranges.
 */
export function rangeToCidrs(r: { first: number; last: number }): string[] {
  const out: string[] = [];
  let cur = r.first;
  while (cur <= r.last) {
    // the largest aligned block starting at cur that does not pass the end of the range
    let size = cur === 0 ? 2 ** 32 : 2 ** countTrailingZeros(cur);
    while (cur + size - 1 > r.last) size /= 2;
    out.push(`${intToIp(cur)}/${32 - Math.log2(size)}`);
    cur += size;
  }
  return out;
}

function countTrailingZeros(n: number): number {
  let z = 0;
  while (z < 32 && (n & (2 ** z)) === 0) z++;
  return z;
}
