/**
 * Our playbooks and their templates. They hold no cluster data: every value they use comes from
 * the inventory and group_vars the renderer writes, so the text is the same for every config.
 */

const NODE_PREP = `---
# Prepares every cluster node before kubespray (or the K-PaaS installer) runs.
- name: Prepare the cluster nodes
  hosts: k8s_cluster:etcd
  become: true
  gather_facts: true
  handlers:
    - name: Load kernel modules
      ansible.builtin.systemd:
        name: systemd-modules-load.service
        state: restarted
    - name: Apply sysctl settings
      ansible.builtin.command:
        cmd: sysctl --system
      changed_when: true
  tasks:
    - name: Stop on anything but Ubuntu
      ansible.builtin.assert:
        that:
          - ansible_facts['distribution'] == 'Ubuntu'
        fail_msg: "{{ inventory_hostname }} runs {{ ansible_facts['distribution'] }}; these playbooks target the seed's Ubuntu 24.04 nodes"
        quiet: true

    - name: Set the hostname to the node name
      ansible.builtin.hostname:
        name: "{{ inventory_hostname }}"
        use: systemd

    - name: Install the node packages
      ansible.builtin.apt:
        name: "{{ kpaas_node_packages }}"
        state: present
        update_cache: true
        cache_valid_time: 3600

    - name: Load the kernel modules at boot
      ansible.builtin.template:
        src: templates/modules-load.conf.j2
        dest: /etc/modules-load.d/kpaas.conf
        owner: root
        group: root
        mode: "0644"
      notify: Load kernel modules

    # conntrack and bridge sysctls exist only once their modules are loaded
    - name: Load the kernel modules before the sysctl settings
      ansible.builtin.meta: flush_handlers

    - name: Write the sysctl settings
      ansible.builtin.template:
        src: templates/sysctl.conf.j2
        dest: /etc/sysctl.d/90-kpaas.conf
        owner: root
        group: root
        mode: "0644"
      notify: Apply sysctl settings

    - name: Keep the clock in sync
      ansible.builtin.systemd:
        name: chrony.service
        enabled: true
        state: started

    - name: Resolve the cluster nodes and the platform services by name
      ansible.builtin.blockinfile:
        path: /etc/hosts
        marker: "# {mark} kpaas cluster names"
        block: "{{ lookup('ansible.builtin.template', 'templates/hosts.j2') }}"
        owner: root
        group: root
        mode: "0644"
`;

const CA_TRUST = `---
# Makes the OS and CRI-O trust the platform CA (Harbor, Keycloak and the other platform services'
# certificates). The CA is made by the secrets command; without it this play changes nothing.
- name: Trust the platform CA
  hosts: k8s_cluster
  become: true
  gather_facts: false
  handlers:
    - name: Update the OS trust store
      ansible.builtin.command:
        cmd: update-ca-certificates
      changed_when: true
  tasks:
    - name: Look for the platform CA on the control machine
      ansible.builtin.stat:
        path: "{{ kpaas_ca_cert_path }}"
      delegate_to: localhost
      become: false
      run_once: true
      register: kpaas_ca_cert

    - name: Skip when the platform CA has not been made yet
      when: not kpaas_ca_cert.stat.exists
      block:
        - name: Say why nothing is installed
          ansible.builtin.debug:
            msg: >-
              SKIPPED: no platform CA at {{ kpaas_ca_cert_path }}; make it with the secrets command
              (or pass -e kpaas_ca_cert_path=...) and run this playbook again

        - name: End the play
          ansible.builtin.meta: end_play

    - name: Refuse anything but a certificate
      ansible.builtin.assert:
        that:
          - "'-----BEGIN CERTIFICATE-----' in lookup('ansible.builtin.file', kpaas_ca_cert_path)"
          - "'PRIVATE KEY' not in lookup('ansible.builtin.file', kpaas_ca_cert_path)"
        fail_msg: "{{ kpaas_ca_cert_path }} must hold only the CA certificate (PEM), never a private key"
        quiet: true
      run_once: true

    - name: Add the platform CA to the OS trust store
      ansible.builtin.copy:
        src: "{{ kpaas_ca_cert_path }}"
        dest: /usr/local/share/ca-certificates/kpaas-platform-ca.crt
        owner: root
        group: root
        mode: "0644"
      notify: Update the OS trust store

    - name: Create CRI-O's certificate directory for Harbor
      ansible.builtin.file:
        path: "/etc/containers/certs.d/{{ kpaas_harbor_host }}"
        state: directory
        owner: root
        group: root
        mode: "0755"

    - name: Trust the platform CA for image pulls from Harbor
      ansible.builtin.copy:
        src: "{{ kpaas_ca_cert_path }}"
        dest: "/etc/containers/certs.d/{{ kpaas_harbor_host }}/ca.crt"
        owner: root
        group: root
        mode: "0644"
`;

const NFS = `---
# The shared directory of the NFS provisioner: exported by one node to the cluster subnet and
# mounted on the workers.
- name: Serve the shared directory over NFS
  hosts: kpaas_nfs_server
  become: true
  gather_facts: false
  handlers:
    - name: Reload the NFS exports
      ansible.builtin.command:
        cmd: exportfs -ra
      changed_when: true
  tasks:
    - name: Install the NFS server
      ansible.builtin.apt:
        name: nfs-kernel-server
        state: present
        update_cache: true
        cache_valid_time: 3600

    - name: Create the exported directory
      ansible.builtin.file:
        path: "{{ kpaas_nfs_path }}"
        state: directory
        owner: root
        group: root
        mode: "0755"

    - name: Create the exports directory
      ansible.builtin.file:
        path: /etc/exports.d
        state: directory
        owner: root
        group: root
        mode: "0755"

    - name: Export the directory to the cluster subnet only
      ansible.builtin.template:
        src: templates/kpaas.exports.j2
        dest: /etc/exports.d/kpaas.exports
        owner: root
        group: root
        mode: "0644"
      notify: Reload the NFS exports

    - name: Run the NFS server
      ansible.builtin.systemd:
        name: nfs-server.service
        enabled: true
        state: started

- name: Mount the shared directory on the NFS clients
  hosts: kpaas_nfs_clients
  become: true
  gather_facts: false
  tasks:
    - name: Install the NFS client
      ansible.builtin.apt:
        name: nfs-common
        state: present
        update_cache: true
        cache_valid_time: 3600

    - name: Create the mount point
      ansible.builtin.file:
        path: "{{ kpaas_nfs_mount_point }}"
        state: directory
        owner: root
        group: root
        mode: "0755"

    - name: Look for an earlier mount unit
      ansible.builtin.stat:
        path: "/etc/systemd/system/{{ kpaas_nfs_mount_unit }}"
      register: kpaas_nfs_unit_before

    # a systemd mount unit instead of fstab: ordered after the network, and managed like a service
    - name: Describe the mount
      ansible.builtin.template:
        src: templates/kpaas-nfs.mount.j2
        dest: "/etc/systemd/system/{{ kpaas_nfs_mount_unit }}"
        owner: root
        group: root
        mode: "0644"
      register: kpaas_nfs_unit

    - name: Mount the share now and at boot
      ansible.builtin.systemd:
        name: "{{ kpaas_nfs_mount_unit }}"
        enabled: true
        state: started
        daemon_reload: true

    - name: Say that changed mount options wait for the next mount
      ansible.builtin.debug:
        msg: >-
          {{ kpaas_nfs_mount_unit }} changed while mounted; the new options apply after
          'systemctl restart {{ kpaas_nfs_mount_unit }}' when nothing uses the share, or after a reboot
      when: kpaas_nfs_unit_before.stat.exists and kpaas_nfs_unit is changed
`;

const ETCD_BACKUP = `---
# Daily etcd snapshots on every etcd member, kept for kpaas_etcd_backup_keep runs. Installed
# before kubespray is fine: the service skips itself until etcd's certificates exist.
- name: Schedule etcd snapshots
  hosts: etcd
  become: true
  gather_facts: false
  tasks:
    - name: Create the snapshot directory
      ansible.builtin.file:
        path: "{{ kpaas_etcd_backup_dir }}"
        state: directory
        owner: root
        group: root
        mode: "0700"

    - name: Install the snapshot script
      ansible.builtin.template:
        src: templates/kpaas-etcd-backup.sh.j2
        dest: /usr/local/sbin/kpaas-etcd-backup
        owner: root
        group: root
        mode: "0750"

    - name: Install the snapshot service
      ansible.builtin.template:
        src: templates/kpaas-etcd-backup.service.j2
        dest: /etc/systemd/system/kpaas-etcd-backup.service
        owner: root
        group: root
        mode: "0644"

    - name: Install the snapshot timer
      ansible.builtin.template:
        src: templates/kpaas-etcd-backup.timer.j2
        dest: /etc/systemd/system/kpaas-etcd-backup.timer
        owner: root
        group: root
        mode: "0644"

    - name: Run the timer
      ansible.builtin.systemd:
        name: kpaas-etcd-backup.timer
        enabled: true
        state: started
        daemon_reload: true
`;

const METALLB = `---
# MetalLB (controller, speakers, CRDs, webhook) from its own release manifest, after kubespray's
# cluster.yml: stock kubespray v2.28.1's addon can only install v0.13.9. The address pools and the
# L2 advertisement are in dist/manifests (10-metallb.yaml); apply them once this has finished.
- name: Install MetalLB
  hosts: kube_control_plane[0]
  become: true
  gather_facts: false
  vars:
    kpaas_metallb_manifest: "/etc/kubernetes/kpaas-metallb-{{ kpaas_metallb_version }}.yaml"
  tasks:
    - name: Download the release manifest
      ansible.builtin.get_url:
        url: "{{ kpaas_metallb_manifest_url }}"
        checksum: "{{ kpaas_metallb_manifest_checksum }}"
        dest: "{{ kpaas_metallb_manifest }}"
        owner: root
        group: root
        mode: "0644"

    - name: Apply it
      ansible.builtin.command:
        argv: ["{{ kpaas_kubectl }}", --kubeconfig, "{{ kpaas_kubeconfig }}", apply, -f, "{{ kpaas_metallb_manifest }}"]
      register: kpaas_metallb_apply
      changed_when: kpaas_metallb_apply.stdout_lines | reject('search', ' unchanged$') | list | length > 0

    - name: Wait for the controller and the speakers
      ansible.builtin.command:
        argv: ["{{ kpaas_kubectl }}", --kubeconfig, "{{ kpaas_kubeconfig }}", -n, "{{ kpaas_metallb_namespace }}", rollout, status, "{{ item }}", --timeout=5m]
      loop:
        - deployment/controller
        - daemonset/speaker
      changed_when: false
`;

const SITE = `---
# Entry point, run with the same inventory kubespray uses:
#   ansible-playbook -i inventory playbooks/site.yml
# then kubespray's cluster.yml (or the K-PaaS installer) builds the cluster on the prepared nodes;
# see ../README.md. Every playbook here is idempotent and can also run on its own.
- name: Prepare the nodes
  ansible.builtin.import_playbook: node-prep.yml

- name: Trust the platform CA
  ansible.builtin.import_playbook: ca-trust.yml

- name: Serve and mount the NFS share
  ansible.builtin.import_playbook: nfs.yml

- name: Schedule etcd snapshots
  ansible.builtin.import_playbook: etcd-backup.yml

# Next: kubespray v2.28.1 cluster.yml with -i <this inventory> --become.
`;

const MODULES_LOAD = `# {{ ansible_managed }}
{% for module in kpaas_kernel_modules %}
{{ module }}
{% endfor %}
`;

const SYSCTL_CONF = `# {{ ansible_managed }}
{% for key, value in kpaas_sysctl | dictsort %}
{{ key }} = {{ value }}
{% endfor %}
`;

const HOSTS = `{% for host in groups['k8s_cluster'] | union(groups['etcd']) | sort %}
{{ hostvars[host]['ip'] }} {{ host }}
{% endfor %}
{{ kpaas_ingress_ip }} {{ kpaas_platform_hostnames | join(' ') }}
`;

const NFS_MOUNT = `# {{ ansible_managed }}
[Unit]
Description=Shared directory of the platform from {{ kpaas_nfs_server_address }}
Wants=network-online.target
After=network-online.target

[Mount]
What={{ kpaas_nfs_server_address }}:{{ kpaas_nfs_path }}
Where={{ kpaas_nfs_mount_point }}
Type=nfs
Options={{ kpaas_nfs_mount_options }}

[Install]
WantedBy=remote-fs.target
`;

const EXPORTS = `# {{ ansible_managed }}
{{ kpaas_nfs_path }} {{ kpaas_nfs_export_cidr }}({{ kpaas_nfs_export_options }})
`;

const BACKUP_SCRIPT = `#!/bin/bash
# {{ ansible_managed }}
# One etcd snapshot of this member, then deletion of all but the newest {{ kpaas_etcd_backup_keep }}.
set -euo pipefail
umask 077

dir={{ kpaas_etcd_backup_dir | quote }}
keep={{ kpaas_etcd_backup_keep | int }}
snapshot="$dir/etcd-{{ inventory_hostname }}-$(date +%Y%m%dT%H%M%S).db"

ETCDCTL_API=3 {{ kpaas_etcdctl | quote }} snapshot save "$snapshot" \\
  --endpoints=https://127.0.0.1:2379 \\
  --cacert={{ (kpaas_etcd_cert_dir ~ '/ca.pem') | quote }} \\
  --cert={{ (kpaas_etcd_cert_dir ~ '/admin-' ~ inventory_hostname ~ '.pem') | quote }} \\
  --key={{ (kpaas_etcd_cert_dir ~ '/admin-' ~ inventory_hostname ~ '-key.pem') | quote }}
echo "etcd snapshot written: $snapshot"

find "$dir" -maxdepth 1 -type f -name 'etcd-*.db' -printf '%T@ %p\\n' \\
  | sort -rn | tail -n "+$((keep + 1))" | cut -d' ' -f2- \\
  | xargs -r -d '\\n' rm -f --
`;

const BACKUP_SERVICE = `# {{ ansible_managed }}
[Unit]
Description=etcd snapshot of this member (kpaas)
Documentation=file:///usr/local/sbin/kpaas-etcd-backup
# etcd is installed by kubespray after this unit may already exist: skip until it is there
ConditionPathExists={{ kpaas_etcdctl }}
ConditionPathExists={{ kpaas_etcd_cert_dir }}/admin-{{ inventory_hostname }}.pem
After=etcd.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/kpaas-etcd-backup
Nice=10
IOSchedulingClass=idle
NoNewPrivileges=true
PrivateTmp=true
ProtectSystem=strict
ProtectHome=true
ReadWritePaths={{ kpaas_etcd_backup_dir }}
`;

const BACKUP_TIMER = `# {{ ansible_managed }}
[Unit]
Description=Daily etcd snapshot (kpaas)

[Timer]
OnCalendar={{ kpaas_etcd_backup_on_calendar }}
RandomizedDelaySec=15min
Persistent=true

[Install]
WantedBy=timers.target
`;

/** Playbook files by path relative to dist/ansible. */
export const PLAYBOOK_FILES: ReadonlyMap<string, string> = new Map([
  ['playbooks/site.yml', SITE],
  ['playbooks/node-prep.yml', NODE_PREP],
  ['playbooks/ca-trust.yml', CA_TRUST],
  ['playbooks/nfs.yml', NFS],
  ['playbooks/etcd-backup.yml', ETCD_BACKUP],
  ['playbooks/metallb.yml', METALLB],
  ['playbooks/templates/modules-load.conf.j2', MODULES_LOAD],
  ['playbooks/templates/sysctl.conf.j2', SYSCTL_CONF],
  ['playbooks/templates/hosts.j2', HOSTS],
  ['playbooks/templates/kpaas.exports.j2', EXPORTS],
  ['playbooks/templates/kpaas-nfs.mount.j2', NFS_MOUNT],
  ['playbooks/templates/kpaas-etcd-backup.sh.j2', BACKUP_SCRIPT],
  ['playbooks/templates/kpaas-etcd-backup.service.j2', BACKUP_SERVICE],
  ['playbooks/templates/kpaas-etcd-backup.timer.j2', BACKUP_TIMER],
]);

/**
 * The playbooks users run (the ones --syntax-check covers): those site.yml runs, in its order, then
 * metallb.yml, which runs after kubespray's cluster.yml.
 */
export const PLAYBOOKS: readonly string[] = Object.freeze([
  'playbooks/site.yml',
  'playbooks/node-prep.yml',
  'playbooks/ca-trust.yml',
  'playbooks/nfs.yml',
  'playbooks/etcd-backup.yml',
  'playbooks/metallb.yml',
]);
