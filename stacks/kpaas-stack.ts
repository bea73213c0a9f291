import { TerraformElement, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';

/**
 * Base of the project's Terraform stacks: logical ids are the construct path below the stack,
 * joined with "_" and without the "Resource" of a construct's main child
 * (`openstack_networking_port_v2.node_master-1_port`), instead of cdktf's hashed ids. They stay
 * readable in plans and stable across releases, which keeps `terraform state` addresses valid.
 */
export abstract class KpaasStack extends TerraformStack {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = tfElement instanceof TerraformElement ? tfElement.node : tfElement;
    const parts = node.scopes.slice(node.scopes.indexOf(this) + 1).map((s) => s.node.id).filter((p) => p !== 'Resource' && p !== 'Default');
    const id = parts.join('_').replace(/[^A-Za-z0-9_-]/g, '-');
    return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
  }
}
