/**
 * The platform CA and the certificates it issues, with @peculiar/x509 over Node's WebCrypto
 * (keys are generated natively). Keys are written as PEM in the format their readers accept (the
 * catalog's keyFormat: PKCS#8 unless a reader needs PKCS#1 or SEC 1), certificates as PEM; reading
 * them back uses Node's X509Certificate, so what the checks see is what OpenSSL would see.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, KeyObject, randomBytes, webcrypto, X509Certificate } from 'crypto';
import * as ipaddr from 'ipaddr.js';
import { CertificateSpec, KeyFormat, keyFormatOf } from './catalog';
import { SecretsError } from './errors';
import { lastResults } from './memo';

type CryptoKey = webcrypto.CryptoKey;

x509.cryptoProvider.set(webcrypto);

const DAY_MS = 24 * 60 * 60 * 1000;
/** The CA outlives many leaf renewals: replacing it means re-trusting it on every node. */
export const CA_LIFETIME_DAYS = 3650;
/** Below the 397 days browsers accept for server certificates. */
export const CERTIFICATE_LIFETIME_DAYS = 365;
/** A certificate (or the CA) that expires sooner than this is re-issued by the next run. */
export const RENEW_BEFORE_DAYS = 30;
/** notBefore lies this far in the past, so nodes whose clocks lag a little accept new certificates. */
const BACKDATE_MS = 60 * 60 * 1000;

export const CA_COMMON_NAME = 'K-PaaS Platform CA';

/** A certificate and its private key, as the PEM text of the two files. */
export interface CertificateFiles {
  readonly cert: string;
  readonly key: string;
}

export type KeyAlgorithm = NonNullable<CertificateSpec['algorithm']>;

/** Makes a new key pair (extractable, for signing) of an algorithm. */
export type KeyGenerator = (algorithm: KeyAlgorithm) => Promise<webcrypto.CryptoKeyPair>;

/** WebCrypto key generation parameters by algorithm. */
const GENERATE: Readonly<Record<KeyAlgorithm, webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams>> = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256' },
  'rsa-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

const EKU_OID: Record<CertificateSpec['usages'][number], string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
};

/** The CA as the issuer needs it: its certificate, signing key and key identifier. */
export interface LoadedCa {
  readonly files: CertificateFiles;
  readonly certificate: X509Certificate;
  readonly name: x509.Name;
  readonly keyId: string;
  readonly signingKey: CryptoKey;
  readonly signingAlgorithm: { readonly name: string; readonly hash?: string };
}

/** WebCrypto's key generation: what every run uses unless a test gives another KeyGenerator. */
export async function generateKeys(algorithm: KeyAlgorithm): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(GENERATE[algorithm], true, ['sign', 'verify']);
}

/** The PEM block label of each key format (`-----BEGIN <label>-----`). */
export const KEY_FORMAT_LABEL: Readonly<Record<KeyFormat, string>> = {
  pkcs8: 'PRIVATE KEY',
  pkcs1: 'RSA PRIVATE KEY',
  sec1: 'EC PRIVATE KEY',
};

/** How reports name a key format. */
export const KEY_FORMAT_NAME: Readonly<Record<KeyFormat, string>> = { pkcs8: 'PKCS#8', pkcs1: 'PKCS#1', sec1: 'SEC 1' };

/** The format of a PEM private key, from the label of its first block; undefined for anything else (encrypted, not a key). */
export function pemKeyFormat(pem: string): KeyFormat | undefined {
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----$/m.exec(pem)?.[1];
  return (Object.keys(KEY_FORMAT_LABEL) as KeyFormat[]).find((f) => KEY_FORMAT_LABEL[f] === label);
}

function privateKeyPem(key: KeyObject, format: KeyFormat): string {
  return key.export({ type: format, format: 'pem' }) as string;
}

/** The same private key written in another PEM format (nothing about the key changes). */
export function convertKeyFormat(pem: string, format: KeyFormat): string {
  return privateKeyPem(createPrivateKey(pem), format);
}

/** PEM with LF line ends and one trailing newline, however the library formats it. */
function certificatePem(cert: x509.X509Certificate): string {
  return `${cert.toString('pem').replace(/\r\n/g, '\n').trimEnd()}\n`;
}

/** A random positive serial of 128 bits: the top bit clear, the first byte non-zero (DER-minimal). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function subject(commonName: string, organization: string): x509.JsonName {
  return [{ CN: [commonName] }, { O: [organization] }];
}

/** A new self-signed platform CA: CA:true, pathLen 0 (it signs leaves only), keyCertSign + cRLSign. */
export async function createCa(organization: string, now: Date, generate: KeyGenerator = generateKeys): Promise<CertificateFiles> {
  const keys = await generate('ecdsa-p256');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subject(CA_COMMON_NAME, organization),
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys: keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  // the CA key is read by this command alone (Node's createPrivateKey reads every format)
  return { cert: certificatePem(cert), key: privateKeyPem(KeyObject.from(keys.privateKey), 'pkcs8') };
}

/** The public key (SPKI DER) of a private key PEM: a function of the text (memo.ts). */
const publicKeyOf = lastResults<Buffer>(64);

/** Whether a private key PEM belongs to a certificate (same public key). */
function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  const fromKey = publicKeyOf(keyPem, () => createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' }));
  return fromKey.equals(cert.publicKey.export({ type: 'spki', format: 'der' }));
}

/**
 * A certificate as @peculiar/x509 reads it (names, extensions), for PEM text that Node's
 * X509Certificate has already read. Its ASN.1 parser is pure JavaScript and the slowest step of
 * checking a folder; the result is a function of the text alone (memo.ts).
 */
const peculiarParsed = lastResults<x509.X509Certificate>(64);
function peculiarCertificate(pem: string): x509.X509Certificate {
  return peculiarParsed(pem, () => new x509.X509Certificate(pem));
}

function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/**
 * Reads the CA files for issuing. A CA that cannot be used is an error, never silently replaced:
 * a new CA has to be trusted again on every node and by every client.
 */
export async function loadCa(files: CertificateFiles, where: { readonly cert: string; readonly key: string }): Promise<LoadedCa> {
  const certificate = parseCertificate(files.cert);
  if (!certificate) throw new SecretsError(`${where.cert} is not a PEM certificate; restore it from a backup, or run with --rotate ca to make a new CA`);
  if (!certificate.ca) throw new SecretsError(`${where.cert} is not a CA certificate (CA:false); restore it from a backup, or run with --rotate ca`);
  let key;
  try {
    key = createPrivateKey(files.key);
  } catch {
    throw new SecretsError(`${where.key} is not a PEM private key; restore it from a backup, or run with --rotate ca to make a new CA`);
  }
  if (!keyMatches(certificate, files.key)) {
    throw new SecretsError(`${where.key} does not belong to ${where.cert}; restore the pair from a backup, or run with --rotate ca`);
  }
  const der = key.export({ type: 'pkcs8', format: 'der' });
  let signingAlgorithm: LoadedCa['signingAlgorithm'];
  let importAlgorithm: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' };
    importAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  } else if (key.asymmetricKeyType === 'rsa') {
    signingAlgorithm = { name: 'RSASSA-PKCS1-v1_5' };
    importAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else {
    throw new SecretsError(`${where.key}: unsupported CA key type (ECDSA P-256 or RSA); run with --rotate ca to make a new CA`);
  }
  const signingKey = await webcrypto.subtle.importKey('pkcs8', der, importAlgorithm, false, ['sign']);
  const parsed = peculiarCertificate(files.cert);
  const ski = parsed.getExtension(x509.SubjectKeyIdentifierExtension);
  const keyId = ski ? ski.keyId : Buffer.from(await parsed.publicKey.getKeyIdentifier()).toString('hex');
  return { files, certificate, name: parsed.subjectName, keyId, signingKey, signingAlgorithm };
}

/** Why the CA must be replaced (it is about to expire), or undefined. */
export function caRenewalReason(ca: LoadedCa, now: Date): string | undefined {
  return expiryReason(ca.certificate, now);
}

function expiryReason(cert: X509Certificate, now: Date): string | undefined {
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) {
    return `${notAfter.getTime() <= now.getTime() ? 'expired' : 'expires'} on ${notAfter.toISOString().slice(0, 10)}`;
  }
  return undefined;
}

/** Issues the certificate of a spec from the CA, with a new key. */
export async function issueCertificate(
  ca: LoadedCa, spec: CertificateSpec, organization: string, now: Date, generate: KeyGenerator = generateKeys,
): Promise<CertificateFiles> {
  const algorithm = spec.algorithm ?? 'ecdsa-p256';
  const keys = await generate(algorithm);
  const names: x509.JsonGeneralName[] = [
    ...spec.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  let usage = x509.KeyUsageFlags.digitalSignature;
  // RSA key exchange (TLS 1.2 RSA suites) encrypts with the key; ECDSA keys only sign.
  if (algorithm === 'rsa-2048') usage |= x509.KeyUsageFlags.keyEncipherment;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.ExtendedKeyUsageExtension(spec.usages.map((u) => EKU_OID[u]), false),
    new x509.AuthorityKeyIdentifierExtension(ca.keyId),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subject(spec.commonName, organization),
    issuer: ca.name,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CERTIFICATE_LIFETIME_DAYS * DAY_MS),
    signingAlgorithm: ca.signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    extensions,
  });
  return { cert: certificatePem(cert), key: privateKeyPem(KeyObject.from(keys.privateKey), keyFormatOf(spec)) };
}

function keyAlgorithm(key: KeyObject): KeyAlgorithm | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  if (key.asymmetricKeyType === 'rsa' && details?.modulusLength === 2048) return 'rsa-2048';
  return undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

function normalizeIp(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.parse(ip).toNormalizedString() : ip;
}

/**
 * Why an existing certificate must be re-issued, or undefined when it still fits: unreadable, a
 * key that is not its own, not issued by the current CA, a subject, SAN list, usage or key type
 * that no longer matches the catalog, or an expiry within RENEW_BEFORE_DAYS.
 */
export function certificateRenewalReason(files: CertificateFiles, spec: CertificateSpec, ca: LoadedCa, now: Date): string | undefined {
  const cert = parseCertificate(files.cert);
  if (!cert) return 'its certificate file is not a PEM certificate';
  try {
    if (!keyMatches(cert, files.key)) return 'its key file does not belong to its certificate';
  } catch {
    return 'its key file is not a PEM private key';
  }
  if (!cert.checkIssued(ca.certificate) || !cert.verify(ca.certificate.publicKey)) return 'it was not issued by the current CA';
  const parsed = peculiarCertificate(files.cert);
  const san = parsed.getExtension(x509.SubjectAlternativeNameExtension);
  const items = san ? san.names.items : [];
  const dns = items.filter((n) => n.type === 'dns').map((n) => n.value);
  const ips = items.filter((n) => n.type === 'ip').map((n) => normalizeIp(n.value));
  if (!sameSet(dns, spec.dnsNames) || !sameSet(ips, (spec.ipAddresses ?? []).map(normalizeIp))) {
    return 'its SANs no longer match the catalog';
  }
  if (parsed.subjectName.getField('CN').join() !== spec.commonName) return `its subject is not CN=${spec.commonName}`;
  const eku = parsed.getExtension(x509.ExtendedKeyUsageExtension);
  if (!sameSet((eku?.usages ?? []).map(String), spec.usages.map((u) => EKU_OID[u]))) return 'its extended key usages no longer match the catalog';
  const algorithm = spec.algorithm ?? 'ecdsa-p256';
  if (keyAlgorithm(cert.publicKey) !== algorithm) return `its key is not ${algorithm}`;
  return expiryReason(cert, now);
}
