/**
 * Our playbooks and their templates. They hold no cluster data: every value they use comes from
 * the inventory and group_vars the renderer writes, so the text is the same for every config.
 * They live as real files under ansible/files/, laid out as under dist/ansible, so yamllint and
 * ansible-lint check them where they stand; the build and jest load them as text.
 */
import CA_TRUST from './files/playbooks/ca-trust.yml';
import ETCD_BACKUP from './files/playbooks/etcd-backup.yml';
import ETCD_RESTORE from './files/playbooks/etcd-restore.yml';
import METALLB from './files/playbooks/metallb.yml';
import NFS from './files/playbooks/nfs.yml';
import NODE_PREP from './files/playbooks/node-prep.yml';
import PORTAL_IMAGES from './files/playbooks/portal-images.yml';
import SITE from './files/playbooks/site.yml';
import HOSTS from './files/playbooks/templates/hosts.j2';
import BACKUP_SERVICE from './files/playbooks/templates/kpaas-etcd-backup.service.j2';
import BACKUP_SCRIPT from './files/playbooks/templates/kpaas-etcd-backup.sh.j2';
import BACKUP_TIMER from './files/playbooks/templates/kpaas-etcd-backup.timer.j2';
import RESTORE_SCRIPT from './files/playbooks/templates/kpaas-etcd-restore.sh.j2';
import NFS_MOUNT from './files/playbooks/templates/kpaas-nfs.mount.j2';
import EXPORTS from './files/playbooks/templates/kpaas.exports.j2';
import MODULES_LOAD from './files/playbooks/templates/modules-load.conf.j2';
import SYSCTL_CONF from './files/playbooks/templates/sysctl.conf.j2';

/** Playbook files by path relative to dist/ansible (the same path under ansible/files/). */
export const PLAYBOOK_FILES: ReadonlyMap<string, string> = new Map([
  ['playbooks/site.yml', SITE],
  ['playbooks/node-prep.yml', NODE_PREP],
  ['playbooks/ca-trust.yml', CA_TRUST],
  ['playbooks/nfs.yml', NFS],
  ['playbooks/etcd-backup.yml', ETCD_BACKUP],
  ['playbooks/etcd-restore.yml', ETCD_RESTORE],
  ['playbooks/metallb.yml', METALLB],
  ['playbooks/portal-images.yml', PORTAL_IMAGES],
  ['playbooks/templates/modules-load.conf.j2', MODULES_LOAD],
  ['playbooks/templates/sysctl.conf.j2', SYSCTL_CONF],
  ['playbooks/templates/hosts.j2', HOSTS],
  ['playbooks/templates/kpaas.exports.j2', EXPORTS],
  ['playbooks/templates/kpaas-nfs.mount.j2', NFS_MOUNT],
  ['playbooks/templates/kpaas-etcd-backup.sh.j2', BACKUP_SCRIPT],
  ['playbooks/templates/kpaas-etcd-backup.service.j2', BACKUP_SERVICE],
  ['playbooks/templates/kpaas-etcd-backup.timer.j2', BACKUP_TIMER],
  ['playbooks/templates/kpaas-etcd-restore.sh.j2', RESTORE_SCRIPT],
]);

/**
 * The playbooks users run (the ones --syntax-check covers): those site.yml runs, in its order, then
 * etcd-restore.yml, run only to restore etcd, metallb.yml, which runs after kubespray's cluster.yml,
 * and portal-images.yml, which runs once Harbor is up.
 */
export const PLAYBOOKS: readonly string[] = Object.freeze([
  'playbooks/site.yml',
  'playbooks/node-prep.yml',
  'playbooks/ca-trust.yml',
  'playbooks/nfs.yml',
  'playbooks/etcd-backup.yml',
  'playbooks/etcd-restore.yml',
  'playbooks/metallb.yml',
  'playbooks/portal-images.yml',
]);
