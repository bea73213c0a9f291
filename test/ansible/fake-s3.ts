/**
 * A fake S3 endpoint on loopback for the backup tests: path-style buckets (rclone's default
 * force_path_style), objects kept in memory, every request recorded. It answers what rclone's s3
 * backend asks for a copyto, lsf, deletefile and a download: HEAD/GET/PUT/DELETE of an object and
 * ListObjects (V1 and V2) of a bucket; no multipart (snapshots under rclone's 200 MiB upload cutoff).
 */
import { createHash } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface S3Request {
  readonly method: string;
  /** The decoded path, `/<bucket>/<key>`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The Authorization header or the presigned X-Amz-Credential, whichever the request carried. */
  readonly credential: string;
}

interface S3Object {
  readonly body: Buffer;
  readonly etag: string;
  readonly modified: Date;
  readonly meta: Readonly<Record<string, string>>;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class FakeS3 {
  public readonly requests: S3Request[] = [];
  /** Objects by `<bucket>/<key>`. */
  public readonly objects = new Map<string, S3Object>();
  private readonly server: http.Server;

  public constructor(private readonly bucket: string) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
  }

  public async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  public put(key: string, body: string, modified = new Date()): void {
    const data = Buffer.from(body);
    this.objects.set(`${this.bucket}/${key}`, { body: data, etag: createHash('md5').update(data).digest('hex'), modified, meta: {} });
  }

  /** Keys of the bucket, sorted. */
  public keys(): string[] {
    return [...this.objects.keys()].map((k) => k.slice(this.bucket.length + 1)).sort();
  }

  private handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const query = Object.fromEntries(url.searchParams.entries());
    this.requests.push({ method: req.method ?? '', path, query, credential: `${req.headers.authorization ?? ''}${query['X-Amz-Credential'] ?? ''}` });
    const [, bucket, ...rest] = path.split('/');
    const key = rest.join('/');
    if (bucket !== this.bucket) return this.error(res, 404, 'NoSuchBucket');
    if (key === '') {
      if (req.method === 'GET') return this.list(url.searchParams, res);
      if (req.method === 'HEAD') return void res.writeHead(200).end();
      return this.error(res, 405, 'MethodNotAllowed');
    }
    const id = `${bucket}/${key}`;
    const found = this.objects.get(id);
    switch (req.method) {
      case 'PUT': {
        const meta = Object.fromEntries(Object.entries(req.headers).filter(([h]) => h.startsWith('x-amz-meta-')).map(([h, v]) => [h, String(v)]));
        const etag = createHash('md5').update(body).digest('hex');
        this.objects.set(id, { body, etag, modified: new Date(), meta });
        return void res.writeHead(200, { ETag: `"${etag}"` }).end();
      }
      case 'HEAD':
      case 'GET':
        if (!found) return req.method === 'HEAD' ? void res.writeHead(404).end() : this.error(res, 404, 'NoSuchKey');
        res.writeHead(200, {
          'Content-Length': String(found.body.length),
          'Content-Type': 'application/octet-stream',
          ETag: `"${found.etag}"`,
          'Last-Modified': found.modified.toUTCString(),
          ...found.meta,
        });
        return void res.end(req.method === 'GET' ? found.body : undefined);
      case 'DELETE':
        this.objects.delete(id);
        return void res.writeHead(204).end();
      default:
        return this.error(res, 405, 'MethodNotAllowed');
    }
  }

  /** ListObjects V1 or V2 (list-type=2), with prefix and delimiter; everything on one page. */
  private list(params: URLSearchParams, res: http.ServerResponse): void {
    const prefix = params.get('prefix') ?? '';
    const delimiter = params.get('delimiter') ?? '';
    const contents: string[] = [];
    const prefixes = new Set<string>();
    for (const key of this.keys()) {
      if (!key.startsWith(prefix)) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        prefixes.add(key.slice(0, cut + delimiter.length));
        continue;
      }
      const o = this.objects.get(`${this.bucket}/${key}`) as S3Object;
      contents.push(`<Contents><Key>${xmlEscape(key)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>"${o.etag}"</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
    }
    const v2 = params.get('list-type') === '2';
    const xml = '<?xml version="1.0" encoding="UTF-8"?>' +
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Name>${this.bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix>${v2 ? `<KeyCount>${contents.length + prefixes.size}</KeyCount>` : '<Marker></Marker>'}` +
      `<MaxKeys>1000</MaxKeys><Delimiter>${xmlEscape(delimiter)}</Delimiter><IsTruncated>false</IsTruncated>` +
      contents.join('') +
      [...prefixes].map((p) => `<CommonPrefixes><Prefix>${xmlEscape(p)}</Prefix></CommonPrefixes>`).join('') +
      '</ListBucketResult>';
    res.writeHead(200, { 'Content-Type': 'application/xml' }).end(xml);
  }

  private error(res: http.ServerResponse, status: number, code: string): void {
    res.writeHead(status, { 'Content-Type': 'application/xml' })
      .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  }
}
