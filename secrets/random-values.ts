/** Random secret values: from the OS CSPRNG, unbiased (randomInt rejects out-of-range draws). */
import { randomBytes, randomInt } from 'crypto';

/** Letters and digits only: safe in URLs, shell lines, YAML and connection strings unquoted. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A password of `length` characters over [A-Za-z0-9] (about 5.95 bits each). */
export function randomPassword(length: number): string {
  if (!Number.isInteger(length) || length < 1) throw new Error(`password length must be a positive integer, got ${length}`);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new Error(`byte count must be a positive integer, got ${bytes}`);
  return randomBytes(bytes).toString('hex');
}
