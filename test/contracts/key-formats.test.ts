/**
 * Contract: every private key `kpaas secrets` writes is in a PEM format that each program reading
 * it accepts (config/contracts/key-formats.ts, from those programs' source). The keys are checked
 * where the programs get them: the key files and the `tls.key` of the Secrets.
 */
import { createPrivateKey } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { KEY_READERS, PemKeyFormat } from '../../config/contracts/key-formats';
import { keyFormatOf, secretCatalog } from '../../secrets/catalog';
import { manifestFiles, objectsOf } from '../support/manifests';
import { DEFAULT_CONFIG, readValues, secrets, tempDir } from '../secrets/secrets-fixture';

const catalog = secretCatalog(DEFAULT_CONFIG);

/** The PEM label of each format, built from parts (no key header literal in the repository). */
const LABEL: Record<PemKeyFormat, string> = {
  pkcs8: ['PRIVATE', 'KEY'].join(' '),
  pkcs1: ['RSA', 'PRIVATE', 'KEY'].join(' '),
  sec1: ['EC', 'PRIVATE', 'KEY'].join(' '),
};

/** The single PEM block of a key file: its label and DER body. */
function pemBlock(pem: string): { label: string; der: Buffer } {
  const m = /^-----BEGIN ([A-Z0-9 ]+)-----\n([A-Za-z0-9+/=\n]+)-----END \1-----\n$/.exec(pem);
  if (!m) throw new Error('not a single PEM block');
  return { label: m[1], der: Buffer.from(m[2].replace(/\n/g, ''), 'base64') };
}

/** Whether a reader that takes `format` reads this PEM: the label it looks for, and a DER of that structure. */
function readsAs(pem: string, format: PemKeyFormat): boolean {
  const { label, der } = pemBlock(pem);
  if (label !== LABEL[format]) return false;
  try {
    createPrivateKey({ key: der, format: 'der', type: format });
    return true;
  } catch {
    return false;
  }
}

let tmp: { dir: string; remove: () => void };
let dir: string;
beforeAll(async () => {
  tmp = tempDir();
  dir = path.join(tmp.dir, 's');
  await secrets(dir);
});
afterAll(() => tmp.remove());

/** Every copy of a certificate's key that a program can be given: the key file and each Secret's tls.key. */
function keyCopies(name: string): { where: string; pem: string }[] {
  const values = readValues(dir);
  const copies = [{ where: `certs/${name}.key`, pem: fs.readFileSync(path.join(dir, 'certs', `${name}.key`), 'utf8') }];
  for (const s of catalog.secrets) {
    for (const [key, k] of Object.entries(s.keys)) {
      if (k.kind === 'certificate' && k.certificate === name && k.part === 'key') copies.push({ where: `${s.namespace}/${s.name}.${key}`, pem: values.get(`${s.namespace}/${s.name}.${key}`) as string });
    }
  }
  return copies;
}

describe('key formats: the contract data', () => {
  it('names only certificates of the catalog, and every certificate has a declared reader', () => {
    const names = catalog.certificates.map((c) => c.name);
    for (const r of KEY_READERS) for (const c of r.certificates) expect(`${r.program}: ${c} ${names.includes(c)}`).toBe(`${r.program}: ${c} true`);
    for (const c of names) expect(`${c} ${KEY_READERS.some((r) => r.certificates.includes(c))}`).toBe(`${c} true`);
  });

  it('every reader carries an upstream reference and a version', () => {
    for (const r of KEY_READERS) {
      expect(r.reference).toMatch(/^[\w.-]+\/[\w.-]+ \S+ \S+\.(go|c)\b/);
      expect(r.version).not.toBe('');
      expect(r.accepts.length).toBeGreaterThan(0);
    }
  });

  it("the catalog's keyFormat of each certificate is one every reader of it accepts", () => {
    for (const c of catalog.certificates) {
      for (const r of KEY_READERS.filter((x) => x.certificates.includes(c.name))) {
        expect(`${c.name} (${keyFormatOf(c)}) for ${r.program}: ${r.accepts.includes(keyFormatOf(c))}`).toBe(`${c.name} (${keyFormatOf(c)}) for ${r.program}: true`);
      }
    }
  });
});

describe('key formats: what kpaas secrets writes', () => {
  it.each(KEY_READERS.flatMap((r) => r.certificates.map((c) => [r.program, c, r] as const)))('%s reads the key of %s', (_program, name, reader) => {
    for (const { where, pem } of keyCopies(name)) {
      const readable = reader.accepts.filter((f) => readsAs(pem, f));
      expect(`${where}: ${pemBlock(pem).label} readable as ${readable.join(', ') || 'nothing'}`).toMatch(/readable as (pkcs1|pkcs8|sec1)/);
      if (reader.algorithms) expect(reader.algorithms).toContain(createPrivateKey(pem).asymmetricKeyType);
    }
  });

  it('the Harbor token key is an RSA PRIVATE KEY block (libtrust refuses PRIVATE KEY)', () => {
    for (const { where, pem } of keyCopies('harbor-token')) {
      expect(`${where}: ${pemBlock(pem).label}`).toBe(`${where}: ${LABEL.pkcs1}`);
      expect(readsAs(pem, 'pkcs1')).toBe(true);
    }
  });
});

/**
 * Every place dist/manifests hands a certificate's key to a program, as `<site>: <certificate>`:
 * files of Secret volumes a container mounts, environment variables, and what ingress-nginx reads
 * from an Ingress (spec.tls, the proxy-ssl-secret annotation).
 */
function keySitesInDist(): string[] {
  // namespace/secret -> data key -> certificate whose key it holds
  const keyOf = new Map<string, Map<string, string>>();
  for (const s of catalog.secrets) {
    for (const [key, k] of Object.entries(s.keys)) {
      if (k.kind !== 'certificate' || k.part !== 'key') continue;
      const id = `${s.namespace}/${s.name}`;
      keyOf.set(id, new Map([...(keyOf.get(id) ?? []), [key, k.certificate]]));
    }
  }
  const sites: string[] = [];
  for (const yaml of manifestFiles().values()) {
    for (const o of objectsOf(yaml)) {
      if (!o.metadata) continue;
      const ns = o.metadata.namespace as string;
      if (o.kind === 'Ingress') {
        for (const t of o.spec.tls ?? []) for (const cert of keyOf.get(`${ns}/${t.secretName}`)?.values() ?? []) sites.push(`ingress tls: ${cert}`);
        const proxy = o.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-ssl-secret'];
        if (proxy) for (const cert of keyOf.get(proxy)?.values() ?? []) sites.push(`ingress proxy-ssl-secret: ${cert}`);
      }
      const pod = o.kind === 'Pod' ? o.spec : o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
      if (!pod) continue;
      const volumes = new Map<string, { secret: string; items: { key: string; path: string }[] }>();
      for (const v of pod.volumes ?? []) {
        const keys = keyOf.get(`${ns}/${v.secret?.secretName}`);
        if (!keys) continue;
        volumes.set(v.name, { secret: `${ns}/${v.secret.secretName}`, items: v.secret.items ?? [...keys.keys()].map((key) => ({ key, path: key })) });
      }
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        for (const m of c.volumeMounts ?? []) {
          const v = volumes.get(m.name);
          for (const item of v?.items ?? []) {
            const cert = keyOf.get(v!.secret)?.get(item.key);
            if (!cert || (m.subPath && m.subPath !== item.path)) continue;
            sites.push(`pod ${ns}/${o.metadata.name}/${c.name} ${m.subPath ? m.mountPath : `${m.mountPath}/${item.path}`}: ${cert}`);
          }
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          const cert = ref && keyOf.get(`${ns}/${ref.name}`)?.get(ref.key);
          if (cert) sites.push(`pod ${ns}/${o.metadata.name}/${c.name} env ${e.name}: ${cert}`);
        }
        for (const e of c.envFrom ?? []) {
          for (const cert of keyOf.get(`${ns}/${e.secretRef?.name}`)?.values() ?? []) sites.push(`pod ${ns}/${o.metadata.name}/${c.name} envFrom: ${cert}`);
        }
      }
    }
  }
  return [...new Set(sites)].sort();
}

describe('key formats: where dist hands the keys to programs', () => {
  let inDist: string[];
  beforeAll(() => { inDist = keySitesInDist(); });

  it('every place a key reaches a program is a declared reader of that key', () => {
    const declared = new Set(KEY_READERS.flatMap((r) => r.sites.flatMap((site) => r.certificates.map((c) => `${site}: ${c}`))));
    expect(inDist.filter((site) => !declared.has(site))).toEqual([]);
    expect(inDist.length).toBeGreaterThan(0);
  });

  it('every declared reader gets each of its keys somewhere in dist (no stale contract)', () => {
    for (const r of KEY_READERS) {
      for (const c of r.certificates) expect(`${r.program}: ${c} ${r.sites.some((site) => inDist.includes(`${site}: ${c}`))}`).toBe(`${r.program}: ${c} true`);
    }
  });
});
