/**
 * dist never holds a secret value: the charts name Secrets, the secrets folder holds the values.
 * A secrets run makes real values; none of them (plain or base64) may appear in any dist file,
 * and dist may hold no Secret with data and no PEM key or certificate at all.
 */
import * as path from 'path';
import { renderedDist } from '../support/rendered';
import { parseManifests, manifestFiles } from '../support/k8s-manifests';
import { readValues, secrets, tempDir } from './secrets-fixture';

let tmp: { dir: string; remove: () => void };
let values: Map<string, string>;
let dist: Map<string, string>;

beforeAll(async () => {
  tmp = tempDir();
  const dir = path.join(tmp.dir, 's');
  await secrets(dir);
  values = readValues(dir);
  const files = renderedDist({}) // the default config;
  dist = new Map([...files].map(([p, f]) => [p, f.content]));
});
afterAll(() => tmp.remove());

/** Pieces of a value that would give it away: the value, its base64, and each PEM body line. */
function fingerprints(value: string): string[] {
  const pem = value.match(/-----BEGIN [A-Z ]+-----\n([\s\S]+?)\n-----END/);
  if (pem) return pem[1].split('\n').filter((l) => l.length >= 40);
  return [value, Buffer.from(value).toString('base64')];
}

describe('dist holds no secret value', () => {
  it('has none of the generated passwords, keys, certificates or htpasswd lines, plain or base64', () => {
    expect(dist.size).toBeGreaterThan(0);
    const generated = [...values].filter(([id, v]) => !/\.(username|database)$/.test(id) && v.length >= 16);
    expect(generated.length).toBeGreaterThan(30);
    const leaks: string[] = [];
    for (const [id, v] of generated) {
      for (const f of fingerprints(v)) {
        for (const [file, content] of dist) if (content.includes(f)) leaks.push(`${id} in ${file}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('has no PEM private key or certificate in any file, plain or base64', () => {
    // a PEM block is the BEGIN line, a base64 body and the END line (a bare marker string, such as
    // a playbook's check that a file is a certificate, is not one)
    const block = /-----BEGIN ([A-Z ]*(?:PRIVATE KEY|CERTIFICATE))-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1-----/;
    const encoded = 'LS0tLS1CRUdJTi'; // base64 of "-----BEGIN"
    const pem = [...dist].filter(([, c]) => block.test(c) || c.includes(encoded)).map(([f]) => f);
    expect(pem).toEqual([]);
  });

  it('has no Secret with data or stringData', () => {
    const objects = parseManifests(manifestFiles(new Map([...dist].map(([p, c]) => [p, { content: c }]))));
    const withData = objects
      .filter((m) => m.object.kind === 'Secret')
      .filter((m) => { const o = m.object as unknown as { data?: object; stringData?: object }; return Object.keys(o.data ?? {}).length > 0 || Object.keys(o.stringData ?? {}).length > 0; })
      .map((m) => `${m.file} ${m.object.metadata.name}`);
    expect(withData).toEqual([]);
  });
});
