/**
 * The version catalog: every pinned version the project emits, each in one place.
 *
 * Defaults a user can override (Kubernetes, K-PaaS) are the config schema's defaults and are read
 * from here; the others are tied to code in this repository (generated bindings, rendered
 * variable names) and change with it.
 */
export const VERSIONS = {
  /** Kubernetes, as the seed and K-PaaS v1.6.2 install it. */
  kubernetes: 'v1.32.5',
  /** K-PaaS container platform release the cluster settings reproduce. */
  kpaas: 'v1.6.2',
  /** kubespray release K-PaaS v1.6.2 is based on (its variable names are what dist/ansible writes). */
  kubespray: 'v2.28.1',
  /** CRI-O minor, matched to Kubernetes. */
  crio: 'v1.32',
  /** terraform-provider-openstack/openstack: the generated bindings in imports/openstack match it exactly. */
  openstackProvider: '3.4.0',
  /** MetalLB CRD schema the manifests are validated against (the controller comes from kubespray). */
  metallb: 'v0.15.3',
  /** kubernetes-sigs/nfs-subdir-external-provisioner image tag. */
  nfsProvisioner: 'v4.0.2',
  /** Keycloak, from quay.io/keycloak/keycloak (the Bitnami images K-PaaS used are frozen). */
  keycloak: '26.4.2',
  /** PostgreSQL (official image) of the platform's databases. */
  postgres: '17.6',
  /** Lowest Terraform CLI that reads the synthesized JSON and the provider. */
  terraform: '>= 1.5.0',
} as const;
