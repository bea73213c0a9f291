import * as fs from 'fs';
import * as path from 'path';
import { configJsonSchema, configReferenceMarkdown, parseConfig } from '../../config';
import { securityRulesMarkdown } from '../../constructs/infra';
import { PLATFORM_SERVICES, withReadmeServices } from '../../platform';

const ROOT = path.resolve(__dirname, '../..');

describe('configuration reference', () => {
  it('docs/configuration.md is generated from the schema (run `npm run docs` after changing it)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8')).toBe(configReferenceMarkdown());
  });

  it('docs/kpaas.config.schema.json is generated from the schema (run `npm run docs`)', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/kpaas.config.schema.json'), 'utf8'))).toEqual(configJsonSchema());
  });

  it('docs/security-groups.md is generated from the rules (run `npm run docs`)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/security-groups.md'), 'utf8')).toBe(securityRulesMarkdown(parseConfig({})));
  });

  it('README.md carries the generated platform services and DNS entries (run `npm run docs`)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(withReadmeServices(readme, parseConfig({}), PLATFORM_SERVICES));
    expect(readme).toContain('<worker LB public IP>  harbor.k-paas.io');
  });

  it('documents every setting with its default', () => {
    const rows = configReferenceMarkdown().split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(60);
    for (const row of rows) {
      const [, setting, , def, description] = row.split(/(?<!\\)\|/).map((c) => c.trim());
      expect({ setting, description: description.length > 0 }).toEqual({ setting, description: true });
      expect({ setting, def: def.length > 0 }).toEqual({ setting, def: true });
      if (def === 'required') expect(setting).toMatch(/bucket/); // the only required setting
    }
  });
});
