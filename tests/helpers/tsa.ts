// A real RFC 3161 time-stamp authority for tests: a root CA and a TSA certificate made with `openssl req`/`x509`,
// and `openssl ts -reply` answering POSTed queries on a loopback HTTP server. Nothing here is Redress code: what the
// app stores must be what `openssl ts -verify` accepts.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestTsa {
  dir: string;
  url: string;
  rootPem: string;
  tsaPem: string;
  /** answers with a token from the given signer for the next request (for "expired", "untrusted"...) */
  useSigner(signer: 'good' | 'expired' | 'other-root'): void;
  /** the next answer is this instead of OpenSSL's */
  override(body: Buffer | null, status?: number): void;
  requests: number;
  /** answers a .tsq file as an offline TSA would (`openssl ts -reply -queryfile`), for the other-device path */
  replyTo(query: Buffer): Promise<Buffer>;
  /** runs openssl ts -verify on what the app stored; resolves to OpenSSL's output, rejects when it refuses */
  opensslVerify(args: { digestHex: string; response?: Buffer; token?: Buffer }): Promise<string>;
  close(): Promise<void>;
}

const TSA_CNF = (dir: string, cert: string, key: string) => `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = ${cert}
signer_key = ${key}
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1.1
other_policies = 1.3.6.1.4.1.99999.1.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

async function makeCa(dir: string, name: string, days: string[]): Promise<void> {
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=Test ${name} Root/O=Redress tests`, ...days, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

async function makeTsaCert(dir: string, name: string, ca: string, ext: string, validity: { days: number } | { start: string; end: string }): Promise<void> {
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=Test ${name}/O=Redress tests`], dir);
  await writeFile(join(dir, `${name}.ext`), ext);
  if ('days' in validity) {
    await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-extfile', `${name}.ext`, '-days', String(validity.days)], dir);
    return;
  }
  // `openssl x509` cannot date a certificate in the past before OpenSSL 3.4; `openssl ca` can
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'ca.serial'), '1000\n');
  await writeFile(
    join(dir, 'ca.cnf'),
    `[ ca ]\ndefault_ca = d\n[ d ]\ndatabase = index.txt\nnew_certs_dir = .\nserial = ca.serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\nemail_in_dn = no\n[ p ]\ncommonName = supplied\norganizationName = optional\n`,
  );
  await openssl(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.pem`, '-extfile', `${name}.ext`, '-startdate', validity.start, '-enddate', validity.end], dir);
}

export async function startTestTsa(): Promise<TestTsa> {
  const dir = await mkdtemp(join(tmpdir(), 'redress-tsa-'));
  await makeCa(dir, 'root', ['-days', '3650']);
  await makeCa(dir, 'other', ['-days', '3650']);
  const tsaExt = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n';
  await makeTsaCert(dir, 'tsa', 'root', tsaExt, { days: 365 });
  await makeTsaCert(dir, 'noeku', 'root', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=timeStamping\n', { days: 365 });
  await makeTsaCert(dir, 'foreign', 'other', tsaExt, { days: 365 });
  await makeTsaCert(dir, 'expired', 'root', tsaExt, { start: '20200101000000Z', end: '20200102000000Z' });
  await writeFile(join(dir, 'serial'), '01\n');
  const signers = {
    good: ['tsa.pem', 'tsa.key'],
    expired: ['expired.pem', 'expired.key'],
    'other-root': ['foreign.pem', 'foreign.key'],
  } as const;
  let signer: keyof typeof signers = 'good';
  let overridden: { body: Buffer | null; status: number } | null = null;
  let seq = 0;

  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      void (async () => {
        try {
          if (overridden) {
            const o = overridden;
            overridden = null;
            res.writeHead(o.status, { 'content-type': 'application/timestamp-reply' });
            res.end(o.body ?? undefined);
            return;
          }
          if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
            res.writeHead(415).end();
            return;
          }
          const n = seq++;
          const [cert, key] = signers[signer];
          signer = 'good';
          await writeFile(join(dir, `q${n}.tsq`), Buffer.concat(chunks));
          await writeFile(join(dir, `tsa${n}.cnf`), TSA_CNF(dir, join(dir, cert), join(dir, key)));
          await openssl(['ts', '-reply', '-config', `tsa${n}.cnf`, '-queryfile', `q${n}.tsq`, '-out', `r${n}.tsr`], dir);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(await readFile(join(dir, `r${n}.tsr`)));
        } catch (err) {
          res.writeHead(500).end(String(err));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let checks = 0;

  return {
    dir,
    url: `http://127.0.0.1:${port}/tsr`,
    rootPem: await readFile(join(dir, 'root.pem'), 'utf8'),
    tsaPem: await readFile(join(dir, 'tsa.pem'), 'utf8'),
    useSigner(s) {
      signer = s;
    },
    override(body, status = 200) {
      overridden = { body, status };
    },
    get requests() {
      return state.requests;
    },
    async replyTo(query) {
      const n = seq++;
      await writeFile(join(dir, `q${n}.tsq`), query);
      await writeFile(join(dir, `tsa${n}.cnf`), TSA_CNF(dir, join(dir, 'tsa.pem'), join(dir, 'tsa.key')));
      await openssl(['ts', '-reply', '-config', `tsa${n}.cnf`, '-queryfile', `q${n}.tsq`, '-out', `r${n}.tsr`], dir);
      return readFile(join(dir, `r${n}.tsr`));
    },
    async opensslVerify({ digestHex, response, token }) {
      const n = checks++;
      const file = join(dir, `check${n}.${response ? 'tsr' : 'tok'}`);
      await writeFile(file, (response ?? token)!);
      const input = response ? ['-in', file] : ['-in', file, '-token_in'];
      const { stdout, stderr } = await run('openssl', ['ts', '-verify', '-digest', digestHex, ...input, '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'tsa.pem')], { cwd: dir });
      return stdout + stderr;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A token as a TSA would sign it, but by pkijs with one of the test keys: for a signer OpenSSL itself refuses to use
 * (a certificate without critical timeStamping). The TSTInfo is taken from a real token, re-signed with every signed
 * attribute RFC 3161 asks for, so that only the certificate is wrong.
 */
export async function resignToken(tsa: TestTsa, token: Buffer, signer: 'noeku'): Promise<Buffer> {
  const { createHash, webcrypto, createPrivateKey } = await import('node:crypto');
  const asn1js = await import('asn1js');
  const pkijs = await import('pkijs');
  const ab = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  const original = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(ab(token)).content });
  const tstDer = Buffer.from(original.encapContentInfo.eContent!.getValue());
  const certPem = await readFile(join(tsa.dir, `${signer}.pem`), 'utf8');
  const certDer = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const cert = pkijs.Certificate.fromBER(ab(certDer));
  const pkcs8 = createPrivateKey(await readFile(join(tsa.dir, `${signer}.key`))).export({ format: 'der', type: 'pkcs8' });
  const key = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const essV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: createHash('sha256').update(certDer).digest() })] })] })] });
  const signed = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.9.16.1.4', eContent: new asn1js.OctetString({ valueHex: tstDer }) }),
    certificates: [cert],
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.16.1.4' })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(tstDer).digest() })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.47', values: [essV2] }),
          ],
        }),
      }),
    ],
  });
  await signed.sign(key as unknown as Parameters<typeof signed.sign>[0], 0, 'SHA-256');
  const info = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signed.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}
