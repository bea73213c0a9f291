/**
 * htpasswd lines for Harbor's registry. The registry (docker distribution) checks them with
 * golang.org/x/crypto/bcrypt, which reads any `$2<minor>$` prefix and hashes identically for all
 * of them; `$2y$` is what Apache's `htpasswd -B` writes, so the line looks like one made by hand.
 */
import * as bcrypt from 'bcryptjs';

/** bcrypt work factor: the registry checks the line on every authenticated request. */
export const HTPASSWD_COST = 10;

/** `user:$2y$10$...` for the user and password (`cost`: the work factor, for tests only). */
export function htpasswdLine(user: string, password: string, cost = HTPASSWD_COST): string {
  if (user.includes(':') || /\s/.test(user)) throw new Error(`htpasswd user names cannot hold ":" or spaces, got ${JSON.stringify(user)}`);
  const salt = bcrypt.genSaltSync(cost).replace(/^\$2[ab]\$/, '$2y$');
  return `${user}:${bcrypt.hashSync(password, salt)}`;
}

/** Whether an htpasswd line is for `user` and verifies against `password`. */
export function htpasswdMatches(line: string, user: string, password: string): boolean {
  const sep = line.indexOf(':');
  if (sep < 0 || line.slice(0, sep) !== user) return false;
  const hash = line.slice(sep + 1);
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return false;
  return bcrypt.compareSync(password, hash);
}
