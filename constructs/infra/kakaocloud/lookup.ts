import { Fn, IResolvable, TerraformIterator, Token } from 'cdktf';

/** An HCL string literal (quotes and escapes) for use inside an expression. */
export function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/**
 * The `id` of the first element of a data source's list whose attributes equal the given values
 * exactly: `element([for val in <list> : val.id if val.name == "..."], 0)`. Terraform stops the
 * plan with "empty list" when nothing matches, so a misspelt name fails before anything is made.
 */
export function idWhere(list: IResolvable, equals: Readonly<Record<string, string>>): string {
  const condition = Object.entries(equals).map(([k, v]) => `val.${k} == ${hclString(v)}`).join(' && ');
  return Token.asString(Fn.element(TerraformIterator.fromList(list).forExpressionForList(`val.id if ${condition}`), 0));
}
