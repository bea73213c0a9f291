import { TerraformElement, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';

/**
 * Base of the project's Terraform stacks: logical ids are the construct path below the stack,
 * joined with "_" and without the "Resource" of a construct's main child
 * (`openstack_networking_port_v2.node_master-1_port`), instead of cdktf's hashed ids. They stay
 * readable in plans and stable across releases, which keeps `terraform state` addresses valid.
 */
export abstract class KpaasStack extends TerraformStack {
  /** The highest Terraform version asked for so far ([major, minor, patch]), written as required_version. */
  private terraformAtLeast?: number[];

  public constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /**
   * Raises the stack's required_version to `constraint` (`>= x.y.z`) unless it already asks for as
   * much: the provider and the state backend each have their own lowest release, and the stack needs
   * the higher, whichever asks first.
   */
  public requireTerraform(constraint: string): void {
    const m = /^>= (\d+)\.(\d+)\.(\d+)$/.exec(constraint);
    if (!m) throw new Error(`required_version ${JSON.stringify(constraint)}: only ">= x.y.z" is merged`);
    const version = m.slice(1).map(Number);
    const current = this.terraformAtLeast;
    if (current && (current.map((n, i) => version[i] - n).find((d) => d !== 0) ?? 0) <= 0) return;
    this.terraformAtLeast = version;
    this.addOverride('terraform.required_version', constraint);
  }

  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = tfElement instanceof TerraformElement ? tfElement.node : tfElement;
    const parts = node.scopes.slice(node.scopes.indexOf(this) + 1).map((s) => s.node.id).filter((p) => p !== 'Resource' && p !== 'Default');
    const id = parts.join('_').replace(/[^A-Za-z0-9_-]/g, '-');
    return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
  }
}
