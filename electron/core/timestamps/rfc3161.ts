import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { TIMESTAMP_CAPS, type TokenFailure } from '../../../shared/timestamps.js';

/**
 * RFC 3161 on pkijs and asn1js: the request the app sends, the answer it keeps, and the checks a recipient runs on
 * it (the same as `openssl ts -verify`: imprint, CMS signature, ESS certificate binding, a signer certificate that is
 * a time-stamping certificate valid at genTime, a chain to a root the verifier trusts).
 */

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as pkijs.ICryptoEngine["crypto"] }));

const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const SHA1_OID = '1.3.14.3.2.26';
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';
const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
const ID_DATA_OID = '1.2.840.113549.1.7.1';
const CONTENT_TYPE_OID = '1.2.840.113549.1.9.3';
const EKU_OID = '2.5.29.37';
const TIME_STAMPING_OID = '1.3.6.1.5.5.7.3.8';
const SIGNING_CERTIFICATE_OID = '1.2.840.113549.1.9.16.2.12';
const SIGNING_CERTIFICATE_V2_OID = '1.2.840.113549.1.9.16.2.47';

export interface TimestampQuery {
  der: Buffer;
  /** hex, so the answer can be matched to the question */
  nonce: string;
  imprint: string;
}

/** A TimeStampReq for a SHA-256 digest (hex), asking for the TSA's certificate, with a 64-bit nonce. */
export function buildQuery(imprintHex: string, policy?: string | null): TimestampQuery {
  if (!/^[0-9a-f]{64}$/.test(imprintHex)) throw new Error('imprint must be a SHA-256 digest in hex');
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! & 0x7f) | 0x01; // positive, no leading zero byte: the INTEGER encodes in exactly these 8 bytes
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
      hashedMessage: new asn1js.OctetString({ valueHex: Buffer.from(imprintHex, 'hex') }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
    ...(policy ? { reqPolicy: policy } : {}),
  });
  return { der: Buffer.from(req.toSchema().toBER(false)), nonce: nonce.toString('hex'), imprint: imprintHex };
}

/** What a token says, read before anything about it is trusted. */
export interface TokenInfo {
  genTime: string;
  imprint: string;
  imprintAlgorithm: string;
  serial: string;
  policy: string;
  nonce: string | null;
  /** the TSA's name in the token, or the signer certificate's subject when the token names none */
  tsaName: string;
  /** milliseconds either side of genTime the TSA vouches for, when it says */
  accuracyMs: number | null;
}

export class TokenError extends Error {
  constructor(
    readonly failure: TokenFailure,
    detail: string,
  ) {
    super(`${failure}: ${detail}`);
  }
}

interface ParsedToken {
  token: Buffer;
  signed: pkijs.SignedData;
  info: TokenInfo;
}

/**
 * The TimeStampToken (a CMS ContentInfo) out of a TimeStampResp, as the TSA sent it. The status must be granted;
 * the answer is capped in size before it is parsed.
 */
export function tokenFromReply(reply: Buffer): Buffer {
  if (reply.length === 0 || reply.length > TIMESTAMP_CAPS.replyBytes) throw new TokenError('malformed', `an answer of ${reply.length} bytes`);
  let resp: pkijs.TimeStampResp;
  try {
    resp = pkijs.TimeStampResp.fromBER(toArrayBuffer(reply));
  } catch (err) {
    throw new TokenError('malformed', `not a TimeStampResp: ${(err as Error).message}`);
  }
  const status = resp.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ') ?? '';
    throw new TokenError('rejected', `status ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
  if (!resp.timeStampToken) throw new TokenError('malformed', 'granted without a token');
  return Buffer.from(resp.timeStampToken.toSchema().toBER(false));
}

/** Reads a token: the SignedData and its TSTInfo. Throws 'malformed' for anything that is not one. */
export function readToken(token: Buffer): ParsedToken {
  if (token.length === 0 || token.length > TIMESTAMP_CAPS.replyBytes) throw new TokenError('malformed', `a token of ${token.length} bytes`);
  try {
    const content = pkijs.ContentInfo.fromBER(toArrayBuffer(token));
    if (content.contentType !== SIGNED_DATA_OID) throw new Error('not SignedData');
    const signed = new pkijs.SignedData({ schema: content.content });
    const eci = signed.encapContentInfo;
    if (eci.eContentType !== TST_INFO_OID || !eci.eContent) throw new Error('the signed content is not a TSTInfo');
    const tst = pkijs.TSTInfo.fromBER(eci.eContent.getValue());
    const mi = tst.messageImprint;
    const acc = tst.accuracy;
    const accuracyMs = acc ? (acc.seconds ?? 0) * 1000 + (acc.millis ?? 0) + Math.ceil((acc.micros ?? 0) / 1000) : null;
    const signer = signerCertificate(signed);
    return {
      token,
      signed,
      info: {
        genTime: tst.genTime.toISOString(),
        imprint: Buffer.from(mi.hashedMessage.valueBlock.valueHexView).toString('hex'),
        imprintAlgorithm: mi.hashAlgorithm.algorithmId,
        serial: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
        policy: tst.policy,
        nonce: tst.nonce ? Buffer.from(tst.nonce.valueBlock.valueHexView).toString('hex') : null,
        tsaName: (tst.tsa ? generalName(tst.tsa) : null) ?? (signer ? subjectOf(signer) : 'unknown'),
        accuracyMs,
      },
    };
  } catch (err) {
    if (err instanceof TokenError) throw err;
    throw new TokenError('malformed', (err as Error).message);
  }
}

export interface VerifyTokenInput {
  token: Buffer;
  /** the SHA-256 (hex) the token must be for */
  imprint: string;
  /** PEM or DER roots the verifier trusts; empty: every check but the chain, which is 'untrusted' */
  trustedRoots: Buffer[];
  /** certificates to build the chain with beside those in the token (intermediates) */
  intermediates?: Buffer[];
  /** the nonce the request carried, for a fresh answer */
  nonce?: string;
}

export interface VerifiedToken {
  info: TokenInfo;
  /** SHA-256 of the signer certificate's DER, hex */
  signerSha256: string;
  signerSubject: string;
}

/**
 * verifyToken, where a TSA nobody gave a root for is not a failure: every other check must hold, and `rooted` says
 * whether the chain was checked. Both the vault (keeping a token) and verify-packet (reporting one) decide this way.
 */
export async function verifyTokenRootOptional(input: VerifyTokenInput): Promise<VerifiedToken & { rooted: boolean }> {
  try {
    return { ...(await verifyToken(input)), rooted: true };
  } catch (err) {
    if (!(err instanceof TokenError) || err.failure !== 'untrusted' || input.trustedRoots.length > 0) throw err;
    return { info: readToken(input.token).info, signerSha256: '', signerSubject: '', rooted: false };
  }
}

/**
 * Every check of RFC 3161 §2.4.2 and RFC 5816, in the order a failure is most telling: the first that fails is
 * thrown as a TokenError naming it.
 */
export async function verifyToken(input: VerifyTokenInput): Promise<VerifiedToken> {
  const { signed, info } = readToken(input.token);
  if (info.imprintAlgorithm !== SHA256_OID) throw new TokenError('imprint-mismatch', `the token is for a ${info.imprintAlgorithm} digest`);
  if (info.imprint !== input.imprint) throw new TokenError('imprint-mismatch', `the token is for ${info.imprint}, not ${input.imprint}`);
  if (input.nonce !== undefined && (info.nonce === null || stripZeros(info.nonce) !== stripZeros(input.nonce))) throw new TokenError('nonce-mismatch', 'the answer is not to this request');
  if (signed.signerInfos.length !== 1) throw new TokenError('malformed', `${signed.signerInfos.length} signers`);
  const signer = signerCertificate(signed);
  if (!signer) throw new TokenError('no-certificate', 'the token does not carry the TSA certificate');
  const signatureOk = await signatureVerifies(signed);
  if (!signatureOk) throw new TokenError('signature-invalid', 'the CMS signature does not verify with the TSA certificate');
  const signerDer = Buffer.from(signer.toSchema().toBER(false));
  checkEssBinding(signed.signerInfos[0]!, signerDer);
  if (!isTimeStampingCertificate(signer)) throw new TokenError('not-a-tsa-certificate', 'the signer certificate is not for time-stamping (critical extendedKeyUsage timeStamping)');
  const genTime = new Date(info.genTime);
  if (genTime < signer.notBefore.value || genTime > signer.notAfter.value) {
    throw new TokenError('certificate-expired', `genTime ${info.genTime} lies outside the TSA certificate's validity (${signer.notBefore.value.toISOString()} to ${signer.notAfter.value.toISOString()})`);
  }
  const roots = input.trustedRoots.flatMap(certificatesIn);
  if (roots.length === 0) throw new TokenError('untrusted', 'no trusted root for this TSA');
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: roots,
    certs: [...(signed.certificates ?? []).filter(isCertificate), ...(input.intermediates ?? []).flatMap(certificatesIn)],
    checkDate: genTime,
  });
  const chain = await engine.verify().catch((err: unknown) => ({ result: false, resultMessage: String(err) }));
  if (!chain.result) throw new TokenError('untrusted', `the TSA certificate does not chain to a trusted root: ${chain.resultMessage}`);
  const path = 'certificatePath' in chain ? chain.certificatePath : undefined;
  if (path && !path.some((c) => c.subject.isEqual(signer.subject) && c.serialNumber.isEqual(signer.serialNumber))) {
    throw new TokenError('untrusted', 'the validated chain is not the signer certificate’s');
  }
  return { info, signerSha256: sha256(signerDer), signerSubject: subjectOf(signer) };
}

/**
 * The CMS signature and the messageDigest attribute, by pkijs. Its verify() wants the stamped data itself for a
 * TSTInfo (to hash it against the imprint), and a recipient holds only the digest: the imprint is compared above, so
 * pkijs is run on the signed content as plain data, after checking that the signed contentType attribute says
 * TSTInfo (pkijs checks only that the attribute is there).
 */
async function signatureVerifies(signed: pkijs.SignedData): Promise<boolean> {
  const contentType = signed.signerInfos[0]?.signedAttrs?.attributes.find((a) => a.type === CONTENT_TYPE_OID);
  const declared = contentType?.values[0];
  if (!(declared instanceof asn1js.ObjectIdentifier) || declared.valueBlock.toString() !== TST_INFO_OID) return false;
  const eci = signed.encapContentInfo;
  const original = eci.eContentType;
  try {
    eci.eContentType = ID_DATA_OID;
    const result = await signed.verify({ signer: 0, checkChain: false, extendedMode: true });
    return result.signatureVerified === true;
  } catch {
    return false;
  } finally {
    eci.eContentType = original;
  }
}

/** The certificate the only SignerInfo names, among those the token carries. */
function signerCertificate(signed: pkijs.SignedData): pkijs.Certificate | null {
  const sid = signed.signerInfos[0]?.sid;
  const certs = (signed.certificates ?? []).filter(isCertificate);
  if (!sid) return null;
  if (sid instanceof pkijs.IssuerAndSerialNumber) return certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber)) ?? null;
  // subjectKeyIdentifier: [0] IMPLICIT OCTET STRING, which pkijs leaves as a primitive
  const ski = Buffer.from((sid as asn1js.Primitive).valueBlock.valueHexView);
  return certs.find((c) => Buffer.from(c.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue?.valueBlock?.valueHexView ?? []).equals(ski)) ?? null;
}

/**
 * RFC 3161 requires the signing certificate to be bound by an ESSCertID (RFC 2634) or ESSCertIDv2 (RFC 5035) signed
 * attribute, so that a certificate swapped in by someone with another key of the same name cannot pass.
 */
function checkEssBinding(si: pkijs.SignerInfo, signerDer: Buffer): void {
  const attrs = si.signedAttrs?.attributes ?? [];
  const v2 = attrs.find((a) => a.type === SIGNING_CERTIFICATE_V2_OID);
  const v1 = attrs.find((a) => a.type === SIGNING_CERTIFICATE_OID);
  const attr = v2 ?? v1;
  if (!attr) throw new TokenError('certificate-binding', 'no ESSCertID signed attribute');
  try {
    // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), ... }; the first names the signer
    const certs = (attr.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let algorithm = v2 ? SHA256_OID : SHA1_OID;
    let hashPart = parts[0];
    if (v2 && parts[0] instanceof asn1js.Sequence) {
      algorithm = new pkijs.AlgorithmIdentifier({ schema: parts[0] }).algorithmId;
      hashPart = parts[1];
    }
    const expected = Buffer.from((hashPart as asn1js.OctetString).valueBlock.valueHexView);
    const name = { [SHA256_OID]: 'sha256', [SHA1_OID]: 'sha1', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' }[algorithm];
    if (!name) throw new Error(`hash ${algorithm}`);
    if (!createHash(name).update(signerDer).digest().equals(expected)) throw new TokenError('certificate-binding', 'the ESSCertID does not name the certificate that signed');
  } catch (err) {
    if (err instanceof TokenError) throw err;
    throw new TokenError('certificate-binding', `unreadable ESSCertID: ${(err as Error).message}`);
  }
}

function isTimeStampingCertificate(cert: pkijs.Certificate): boolean {
  const eku = cert.extensions?.find((e) => e.extnID === EKU_OID);
  if (!eku?.critical) return false;
  const usages = (eku.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  return usages.length === 1 && usages[0] === TIME_STAMPING_OID;
}

/** Certificates out of PEM (one or several) or DER. */
export function certificatesIn(data: Buffer): pkijs.Certificate[] {
  const text = data.toString('latin1');
  const pems = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  const ders = pems.length > 0 ? pems : text.includes('-----BEGIN') ? [] : [data];
  return ders.map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der)));
}

/** SHA-256 of each certificate's DER, hex: what a TSA's published fingerprint is compared with. */
export function certificateFingerprints(data: Buffer): string[] {
  return certificatesIn(data).map((c) => sha256(Buffer.from(c.toSchema().toBER(false))));
}

/** The certificates a token carries, as PEM: what a recipient passes to `openssl ts -verify -untrusted`. */
export function tokenCertificatesPem(token: Buffer): string {
  const { signed } = readToken(token);
  return (signed.certificates ?? [])
    .filter(isCertificate)
    .map((c) => toPem(Buffer.from(c.toSchema().toBER(false))))
    .join('');
}

export function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** The token wrapped as a granted TimeStampResp: the .tsr a recipient hands to `openssl ts -verify -in`. */
export function replyOfToken(token: Buffer): Buffer {
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
    timeStampToken: pkijs.ContentInfo.fromBER(toArrayBuffer(token)),
  });
  return Buffer.from(resp.toSchema().toBER(false));
}

const isCertificate = (c: unknown): c is pkijs.Certificate => c instanceof pkijs.Certificate;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const stripZeros = (hex: string) => hex.replace(/^(00)+/, '');

function subjectOf(cert: pkijs.Certificate): string {
  return cert.subject.typesAndValues.map((tv) => `${shortName(tv.type)}=${String(tv.value.valueBlock.value)}`).join(', ').slice(0, TIMESTAMP_CAPS.nameChars);
}

function generalName(name: pkijs.GeneralName): string | null {
  if (name.type === 4 && name.value instanceof pkijs.RelativeDistinguishedNames) {
    return name.value.typesAndValues.map((tv) => `${shortName(tv.type)}=${String(tv.value.valueBlock.value)}`).join(', ').slice(0, TIMESTAMP_CAPS.nameChars);
  }
  return typeof name.value === 'string' ? name.value.slice(0, TIMESTAMP_CAPS.nameChars) : null;
}

const shortName = (oid: string) => ({ '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST' })[oid] ?? oid;

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
