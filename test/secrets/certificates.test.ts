/**
 * The certificates and key files a run makes, read back with Node's own X.509 parser (OpenSSL):
 * CA properties, chains, SANs, usages, lifetimes, key formats, the htpasswd line.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as bcrypt from 'bcryptjs';
import { keyFormatOf, secretCatalog } from '../../secrets/catalog';
import { KEY_FORMAT_LABEL } from '../../secrets/certificates';
import { htpasswdLine, htpasswdMatches } from '../../secrets/htpasswd';
import { randomHex, randomPassword } from '../../secrets/random-values';
import { DEFAULT_CONFIG, readValues, secrets, tempDir } from './secrets-fixture';

const DAY = 24 * 3600 * 1000;
const catalog = secretCatalog(DEFAULT_CONFIG);
let tmp: { dir: string; remove: () => void };
let dir: string;
let ca: X509Certificate;

beforeAll(async () => {
  tmp = tempDir();
  dir = path.join(tmp.dir, 's');
  await secrets(dir);
  ca = new X509Certificate(fs.readFileSync(path.join(dir, 'ca.crt')));
});
afterAll(() => tmp.remove());

const read = (rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

describe('the platform CA', () => {
  it('is a self-signed ECDSA P-256 CA for 10 years: CA:true, pathLen 0, keyCertSign and cRLSign', () => {
    expect(ca.subject).toBe('CN=K-PaaS Platform CA\nO=kpaas');
    expect(ca.issuer).toBe(ca.subject);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const days = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / DAY;
    expect(Math.round(days)).toBe(3650);
    const parsed = new x509.X509Certificate(read('ca.crt'));
    const bc = parsed.getExtension(x509.BasicConstraintsExtension)!;
    expect([bc.ca, bc.pathLength, bc.critical]).toEqual([true, 0, true]);
    const ku = parsed.getExtension(x509.KeyUsagesExtension)!;
    expect(ku.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(parsed.getExtension(x509.SubjectKeyIdentifierExtension)).not.toBeNull();
  });

  it('has its key as PKCS#8 PEM, matching the certificate', () => {
    const key = read('ca.key');
    expect(key).toMatch(/^-----BEGIN (PRIVATE) KEY-----\n[\s\S]+\n-----END (PRIVATE) KEY-----\n$/);
    expect(createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'der' }))
      .toEqual(ca.publicKey.export({ type: 'spki', format: 'der' }));
  });
});

describe('the certificates', () => {
  it.each(catalog.certificates.map((c) => [c.name, c] as const))('%s is issued by the CA with the SANs, usages and lifetime of the catalog', (name, spec) => {
    const pem = read(`certs/${name}.crt`);
    const cert = new X509Certificate(pem);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe(`CN=${spec.commonName}\nO=kpaas`);
    const sans = [...spec.dnsNames.map((d) => `DNS:${d}`), ...(spec.ipAddresses ?? []).map((ip) => `IP Address:${ip}`)];
    expect(cert.subjectAltName).toBe(sans.length > 0 ? sans.join(', ') : undefined);
    const eku = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };
    expect(cert.keyUsage).toEqual(spec.usages.map((u) => eku[u]));
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY;
    expect(days).toBeGreaterThan(360);
    expect(days).toBeLessThanOrEqual(397);
    expect(Date.parse(cert.validFrom)).toBeLessThanOrEqual(Date.now());
    expect(BigInt(`0x${cert.serialNumber}`) > 0n).toBe(true);

    const parsed = new x509.X509Certificate(pem);
    const rsa = (spec.algorithm ?? 'ecdsa-p256') === 'rsa-2048';
    expect(parsed.getExtension(x509.KeyUsagesExtension)?.usages)
      .toBe(rsa ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.digitalSignature);
    expect(parsed.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    const caSki = new x509.X509Certificate(read('ca.crt')).getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(parsed.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(caSki);
    expect(parsed.getExtension(x509.SubjectKeyIdentifierExtension)).not.toBeNull();

    const key = read(`certs/${name}.key`);
    // the catalog's format: PKCS#8 unless its reader needs another (Harbor's token key is PKCS#1)
    expect(key.split('\n')[0]).toBe(`-----BEGIN ${KEY_FORMAT_LABEL[keyFormatOf(spec)]}-----`);
    expect(key.split('\n')[0]).toBe(`-----BEGIN ${name === 'harbor-token' ? ['RSA', 'PRIVATE KEY'].join(' ') : ['PRIVATE', 'KEY'].join(' ')}-----`);
    const priv = createPrivateKey(key);
    expect(priv.asymmetricKeyType).toBe(rsa ? 'rsa' : 'ec');
    if (rsa) expect(priv.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(priv).export({ type: 'spki', format: 'der' })).toEqual(cert.publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('are what the TLS Secrets hold, with the CA beside them', () => {
    const values = readValues(dir);
    for (const s of catalog.secrets) {
      for (const [key, k] of Object.entries(s.keys)) {
        const v = values.get(`${s.namespace}/${s.name}.${key}`);
        if (k.kind === 'certificate') expect(v).toBe(k.part === 'ca' ? read('ca.crt') : read(`certs/${k.certificate}.${k.part === 'cert' ? 'crt' : 'key'}`));
        if (k.kind === 'ca-cert') expect(v).toBe(read('ca.crt'));
      }
    }
  });
});

describe('generated values', () => {
  it('the registry htpasswd line is bcrypt ($2y$) for its user and verifies against its password', () => {
    const v = readValues(dir);
    const line = v.get('harbor/harbor-registry.htpasswd') as string;
    const [user, hash] = line.split(':');
    expect(user).toBe('harbor_registry_user');
    expect(hash).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcrypt.compareSync(v.get('harbor/harbor-registry.password') as string, hash)).toBe(true);
    expect(bcrypt.compareSync('wrong', hash)).toBe(false);
  });

  it('htpasswdMatches checks the user as well as the password', () => {
    const line = htpasswdLine('alice', 'pw');
    expect(htpasswdMatches(line, 'alice', 'pw')).toBe(true);
    expect(htpasswdMatches(line, 'bob', 'pw')).toBe(false);
    expect(htpasswdMatches(line, 'alice', 'other')).toBe(false);
    expect(htpasswdMatches('alice:garbage', 'alice', 'pw')).toBe(false);
  });

  it('fails on an htpasswd user name with a colon', () => {
    expect(() => htpasswdLine('a:b', 'pw')).toThrow(/cannot hold ":"/);
  });

  it('passwords and hex values have the requested size and alphabet', () => {
    expect(randomPassword(40)).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(() => randomPassword(0)).toThrow(/positive integer/);
  });
});
