import { attributes, quoted, table } from '../../diagram/dot-syntax';

describe('DOT syntax', () => {
  it('quotes and escapes every value: a quote or backslash in a name cannot end the string', () => {
    expect(quoted('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(attributes({ label: ['one "1"', 'two\\'], width: 2 })).toBe(' [label="one \\"1\\"\\ntwo\\\\", width="2"]');
    expect(attributes({})).toBe('');
  });

  it('escapes table text as HTML: a < or & in a value cannot open a tag', () => {
    expect(table('t <b>', [{ port: 'p"1', cells: ['x & y', '<TD>'] }]).html).toBe(
      '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5"><TR><TD COLSPAN="2" BGCOLOR="#eeeeee">t &lt;b&gt;</TD></TR>'
      + '<TR><TD ALIGN="LEFT" PORT="p&quot;1">x &amp; y</TD><TD ALIGN="LEFT">&lt;TD&gt;</TD></TR></TABLE>',
    );
  });
});
