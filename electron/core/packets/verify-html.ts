import { createHash } from 'node:crypto';
import type { PacketLang } from './labels.js';
import { SIGNATURE_FILE, SIGNATURE_FILE_CAPS, SIGNER_KEY_FILE } from './signature.js';
import { FILE_MANAGER_LITTER } from './verify-packet.js';
import { PACKET_FORMAT } from './manifest.js';

const STRINGS = {
  'zh-CN': {
    title: '材料核验',
    intro: '选择本材料所在的文件夹，本页面会在您的电脑上用 SHA-256 逐一核对每个文件。不联网，不上传任何内容。',
    choose: '选择文件夹',
    checking: '正在核验…',
    file: '文件',
    status: '结果',
    expected: '应为',
    actual: '实际',
    intact: '完好',
    altered: '已被改动',
    missing: '缺失',
    extra: '不属于本材料',
    ignored: '文件管理器生成，已忽略',
    mismatch: '与清单不一致',
    allIntact: '全部 {n} 个文件完好，与材料生成时一致。',
    problems: '发现问题：{altered} 个文件被改动，{missing} 个文件缺失，{mismatch} 处与清单不一致，{extra} 个文件不属于本材料。',
    selfAttested: '自证材料：本材料没有可信时间戳，也没有您认识的密钥签名，持有副本的人可以重新生成其校验值。请通过其他途径（电话、当面）与发送者核对材料校验值：{hash}',
    noSums: '所选文件夹中没有 SHA256SUMS：请选择整个材料文件夹。',
    packetHash: '本材料的校验值（SHA256SUMS 的 SHA-256）：',
    expectLabel: '发送者告诉您的密钥指纹（可不填）：',
    expectBad: '您输入的指纹格式不对：应为 32 位（或 64 位）十六进制数字，例如 3F2A 9C01 …',
    signedUnconfirmed: '本材料由证据库密钥 {fp} 签名。任何人都可以生成密钥：请通过其他途径（电话、当面）向发送者核对这个指纹，或在上方填入发送者告诉您的指纹再核验一次。核对之前本材料只能视为自证材料；材料校验值：{hash}',
    signedByExpected: '本材料由您预期的密钥（{fp}）签名：材料出自发送者，签名后未被改动。',
    sigInvalid: '签名不匹配：材料在签名后被改动过，或密钥被替换。',
    sigMissing: '材料标明了签名者（或您预期有签名），却没有签名：签名可能被删除以掩盖改动。',
    sigUnexpected: '签名所用的密钥（{fp}）不是您预期的密钥（{expected}）：这不是发送者的材料。',
    sigUnsupported: '此浏览器无法核验 Ed25519 签名，请换用新版 Chrome、Edge、Firefox 或 Safari，或按 README.txt 用 OpenSSL 核验。',
    custodyVerified: '保管链：全部 {n} 条记录均已重新计算并逐条衔接，从第一条到最新一条；每项证据都与其记录一致。',
    custodyPartial: '保管链：已重新计算 {n} 条中的 {r} 条（较早的记录只附带哈希值，其前后衔接无法核对）；每项证据都与其记录一致。',
    custodyFailed: '保管链核验未通过：{problems}',
    custodyOld: '本材料由旧版 Redress 生成，只附带部分保管链，未作核验。',
    unreadable: '所选文件夹中的文件无法按本材料的格式读取：材料可能已损坏或被改动。',
    other: 'English',
  },
  en: {
    title: 'Packet check',
    intro: 'Select the folder of this packet: this page checks every file with SHA-256 on your computer. Nothing is sent anywhere.',
    choose: 'Choose folder',
    checking: 'Checking…',
    file: 'File',
    status: 'Result',
    expected: 'Expected',
    actual: 'Actual',
    intact: 'intact',
    altered: 'ALTERED',
    missing: 'missing',
    extra: 'not part of the packet',
    ignored: 'left by a file manager, ignored',
    mismatch: 'disagrees with manifest',
    allIntact: 'All {n} files are intact: identical to when the packet was made.',
    problems: 'Problems found: {altered} altered, {missing} missing, {mismatch} disagreeing with the manifest, {extra} not part of the packet.',
    selfAttested: 'Self-attested: no trusted timestamp and no signature from a key you know vouch for this packet, so anyone holding a copy could have rebuilt its hashes. Compare its packet hash with the one the sender gave you another way (by phone, in person): {hash}',
    noSums: 'No SHA256SUMS in the selected folder: select the whole packet folder.',
    packetHash: 'Packet hash (SHA-256 of SHA256SUMS): ',
    expectLabel: 'The key fingerprint the sender gave you (optional): ',
    expectBad: 'The fingerprint you typed is not one: 32 (or 64) hex digits, e.g. 3F2A 9C01 …',
    signedUnconfirmed: 'Signed by the vault key {fp}. Anyone can make a key: confirm this fingerprint with the sender another way (by phone, in person), or type the fingerprint they gave you above and check again. Until then the packet is self-attested; packet hash: {hash}',
    signedByExpected: 'Signed by the key you expected ({fp}): the packet is the sender\'s, unchanged since they signed it.',
    sigInvalid: 'The signature does NOT match: the packet was changed after it was signed, or its key was swapped.',
    sigMissing: 'The packet carries no signature although it names a signer or you expected one: it may have been stripped to hide a change.',
    sigUnexpected: 'Signed by another key ({fp}) than the one you expected ({expected}): this is not the sender\'s packet.',
    sigUnsupported: 'This browser cannot check Ed25519 signatures: use a recent Chrome, Edge, Firefox or Safari, or OpenSSL as README.txt shows.',
    custodyVerified: 'Custody chain: all {n} entries recomputed and linked, from the first to the head; every item is the one its entry recorded.',
    custodyPartial: 'Custody chain: {r} of {n} entries recomputed (older entries travel as their hash alone, so the links around them are not checked); every item is the one its entry recorded.',
    custodyFailed: 'Custody chain check FAILED: {problems}',
    custodyOld: 'Made by an older Redress: the packet carries only part of its custody chain, which is not checked.',
    unreadable: 'The files in this folder cannot be read as this packet\'s format: the packet may be damaged or altered.',
    other: '中文',
  },
};

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5rem;margin:0 0 .25rem}
.meta{color:#555}
label.pick{display:inline-block;margin:1rem 0;padding:.6rem 1.2rem;background:#1f4e9c;color:#fff;border-radius:.4rem;cursor:pointer;font-size:1.05rem}
label.pick:focus-within{outline:3px solid #f0b400}
input[type=file]{position:absolute;opacity:0;width:1px;height:1px}
#summary{font-size:1.15rem;font-weight:600;padding:.8rem 1rem;border-radius:.4rem;margin:1rem 0}
#summary[data-result=intact]{background:#e3f4e5;color:#14532d}
#summary[data-result=problems],#summary[data-result=error]{background:#fde4e1;color:#7f1d1d}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.status,th{white-space:nowrap}
td.hash{font-family:ui-monospace,Consolas,monospace;font-size:.75rem;word-break:break-all}
tr[data-status=intact] td.status{color:#14532d}
tr[data-status=altered] td.status,tr[data-status=missing] td.status,tr[data-status=mismatch] td.status,tr[data-status=extra] td.status{color:#b91c1c;font-weight:700}
button.lang{float:right}
`;

const SCRIPT = `
(function(){
'use strict';
var S = JSON.parse(document.getElementById('strings').textContent);
var info = JSON.parse(document.getElementById('packet').textContent);
var lang = document.documentElement.lang;
function t(k, p){ var s = S[lang][k]; if (p) for (var x in p) s = s.split('{'+x+'}').join(String(p[x])); return s; }
function paint(){
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(function(el){ el.textContent = t(el.getAttribute('data-t')); });
  document.title = t('title') + ' — ' + info.caseTitle;
}
document.getElementById('lang').addEventListener('click', function(){ lang = lang === 'en' ? 'zh-CN' : 'en'; paint(); if (last) show(last); });
function hex(buf){ return Array.prototype.map.call(new Uint8Array(buf), function(b){ return ('0' + b.toString(16)).slice(-2); }).join(''); }
async function sha256(file){ return hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())); }
function litter(p){ var name = p.slice(p.lastIndexOf('/') + 1), ad = info.litter.appleDouble; return (p.indexOf(ad.folder) === 0 && name.indexOf(ad.prefix) === 0) || info.litter.names.indexOf(name) >= 0; }
function rel(f){ var p = f.webkitRelativePath || f.name; var i = p.indexOf('/'); return i >= 0 ? p.slice(i + 1) : p; }
var last = null;
function cell(tr, text, cls){ var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); }
function show(r){
  var summary = document.getElementById('summary');
  var body = document.getElementById('rows');
  body.textContent = '';
  if (r.error){ summary.dataset.result = 'error'; summary.textContent = t(r.error); document.getElementById('attestation').textContent = ''; document.getElementById('custody').textContent = ''; return; }
  var c = { altered: 0, missing: 0, mismatch: 0, extra: 0 };
  r.rows.forEach(function(row){
    if (c[row.status] !== undefined) c[row.status]++;
    var tr = document.createElement('tr'); tr.dataset.status = row.status; tr.dataset.path = row.path;
    cell(tr, row.path); cell(tr, t(row.status), 'status'); cell(tr, row.expected || '', 'hash'); cell(tr, row.actual || '', 'hash');
    body.appendChild(tr);
  });
  var filesOk = c.altered + c.missing + c.mismatch + c.extra === 0;
  var sig = r.signature, sigOk = sig.status === 'valid' || sig.status === 'absent';
  var cus = r.custody, cusOk = cus.status !== 'failed';
  var ok = filesOk && sigOk && cusOk;
  summary.dataset.result = ok ? 'intact' : 'problems';
  summary.textContent = !filesOk ? t('problems', c) : !sigOk ? t(SIG_PROBLEM[sig.status], { fp: sig.fingerprint || '', expected: sig.expected || '' }) : !cusOk ? t('custodyFailed', { problems: cus.problems.join('; ') }) : t('allIntact', { n: r.checked });
  var ce = document.getElementById('custody');
  ce.dataset.status = cus.status;
  ce.textContent = cus.status === 'verified' ? t('custodyVerified', { n: cus.entries }) : cus.status === 'partial' ? t('custodyPartial', { n: cus.entries, r: cus.recomputed }) : cus.status === 'old' ? t('custodyOld') : t('custodyFailed', { problems: cus.problems.join('; ') });
  document.getElementById('phash').textContent = t('packetHash') + r.packetHash;
  var att = document.getElementById('attestation');
  att.dataset.signature = sig.status;
  // intact says only that nothing changed since the hashes were made: who made them, the recipient must check
  att.textContent = !ok ? '' : sig.status === 'absent' ? t('selfAttested', { hash: r.packetHash }) : sig.expected ? t('signedByExpected', { fp: sig.fingerprint }) : t('signedUnconfirmed', { fp: sig.fingerprint, hash: r.packetHash });
}
var SIG_PROBLEM = { invalid: 'sigInvalid', missing: 'sigMissing', 'unexpected-key': 'sigUnexpected', unsupported: 'sigUnsupported' };
function b64(s){ var bin = atob(s), out = new Uint8Array(bin.length); for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i); return out; }
function same(a, b){ if (a.length !== b.length) return false; for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false; return true; }
function fingerprint(hexDigest){ return hexDigest.slice(0, 32).toUpperCase().match(/.{4}/g).join(' '); }
function normalise(fp){ var h = fp.replace(/[\\s:\\-\\u2013\\u2014]/g, '').toLowerCase(); return /^[0-9a-f]+$/.test(h) && (h.length === 32 || h.length === 64) ? h.slice(0, 32) : null; }
// The same verdicts as redress verify-packet (electron/core/packets/signature.ts).
async function checkSignature(map, sumsBytes, claimed, expected){
  var sigFile = map.get(info.signatureFile), keyFile = map.get(info.keyFile);
  var claims = claimed !== undefined && claimed !== null;
  if (!sigFile) return { status: keyFile || claims || expected ? 'missing' : 'absent' };
  if (!keyFile || sigFile.size > info.caps.signature || keyFile.size > info.caps.key) return { status: 'invalid' };
  var m = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+\\/=\\s]+)-----END PUBLIC KEY-----/.exec(await keyFile.text());
  if (!m) return { status: 'invalid' };
  var der;
  try { der = b64(m[1].replace(/\\s+/g, '')); } catch (e) { return { status: 'invalid' }; }
  var key;
  try { key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']); }
  catch (e) { return { status: e && e.name === 'NotSupportedError' ? 'unsupported' : 'invalid' }; }
  var fp = fingerprint(hex(await crypto.subtle.digest('SHA-256', der)));
  var valid = false;
  try { valid = await crypto.subtle.verify({ name: 'Ed25519' }, key, await sigFile.arrayBuffer(), sumsBytes); } catch (e) { valid = false; }
  var claimOk = false;
  try { claimOk = !claims || (claimed.algorithm === 'Ed25519' && claimed.fingerprint === fp && typeof claimed.publicKey === 'string' && same(b64(claimed.publicKey), der)); } catch (e) { claimOk = false; }
  if (!valid || !claimOk) return { status: 'invalid', fingerprint: fp };
  if (expected && normalise(fp) !== expected) return { status: 'unexpected-key', fingerprint: fp, expected: expectedText };
  return { status: 'valid', fingerprint: fp, expected: expected ? expectedText : '' };
}
var expectedText = '';
// RFC 8785 for what a manifest holds (strings, integers, booleans, null, arrays, objects): keys sorted by UTF-16 code
// units, which is what sort() does, and JSON.stringify's escaping and number form, which RFC 8785 adopts.
function canonical(v){
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v !== null && typeof v === 'object') return '{' + Object.keys(v).sort().map(function(k){ return JSON.stringify(k) + ':' + canonical(v[k]); }).join(',') + '}';
  return JSON.stringify(v === undefined ? null : v);
}
async function sha256Text(s){ return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s))); }
// The same verdicts as redress verify-packet (electron/core/packets/custody-excerpt.ts).
async function checkCustody(m){
  if (m && m.format === 'redress-packet/1') return { status: 'old', entries: 0, recomputed: 0, problems: [] };
  var unreadable = { status: 'failed', entries: 0, recomputed: 0, problems: ['unreadable'] };
  try { return await custodyOf(m); } catch (err) { return unreadable; }
}
async function custodyOf(m){
  var problems = [], cu = m && m.custody, items = m && Array.isArray(m.items) ? m.items : null;
  if (!m || m.format !== info.packetFormat || !cu || !Array.isArray(cu.entries) || !cu.head || !items) return { status: 'failed', entries: 0, recomputed: 0, problems: ['unreadable'] };
  var entries = cu.entries, bySeq = new Map(), prevHash = '0'.repeat(64), recomputed = 0, unchecked = 0, seenV2 = false;
  for (var i = 0; i < entries.length; i++){
    var e = entries[i];
    if (!e || e.seq !== i + 1){ problems.push('entry ' + (i + 1) + ' is missing'); break; }
    if (e.v !== 1 && e.v !== 2){ problems.push('entry ' + e.seq + ' is of no known format'); break; }
    bySeq.set(e.seq, e);
    if (e.v === 1 && seenV2) problems.push('entry ' + e.seq + ' is of the older format, after entries of the newer one');
    seenV2 = seenV2 || e.v === 2;
    var hashed = e.v === 2 ? e.committed : e.body;
    // its hash alone (v1): the next entry must link to it, its own content and link cannot be checked
    if (e.v === 1 && !e.body){ unchecked++; prevHash = e.hash; continue; }
    recomputed++;
    if (!hashed || typeof hashed !== 'object' || typeof hashed.prev !== 'string' || hashed.v !== e.v || await sha256Text(hashed.prev + canonical(hashed)) !== e.hash) problems.push('entry ' + e.seq + ' does not match its hash');
    else if (hashed.prev !== prevHash) problems.push('entry ' + e.seq + ' does not follow entry ' + (e.seq - 1));
    var disclosed = (e.v === 2 && e.disclosed) || {};
    for (var name in disclosed){
      var d = disclosed[name];
      if (!e.committed || !e.committed.digests || e.committed.digests[name] !== await sha256Text(canonical([d.salt, name, d.value]))) problems.push('entry ' + e.seq + ': the value of ' + name + ' is not the one recorded');
    }
    prevHash = e.hash;
  }
  var last = entries[entries.length - 1], head = cu.head, ch = (m.case || {}).chainHead || {};
  if (!last || last.seq !== head.seq || last.hash !== head.hash || ch.seq !== head.seq || ch.hash !== head.hash) problems.push('the chain does not end at the head the packet names');
  items.forEach(function(it){
    var e = bySeq.get(it.addedSeq), v = null;
    if (e && e.v === 1 && !e.body){ unchecked++; return; }
    var d = (e && e.disclosed) || {};
    if (e && e.v === 2 && e.committed && e.committed.action === 'item.added') v = { itemId: (d.itemId || {}).value, sha256: (d.sha256 || {}).value };
    if (e && e.v === 1 && e.body && e.body.action === 'item.added' && e.body.payload) v = { itemId: e.body.payload.itemId, sha256: e.body.payload.sha256 };
    if (!v) problems.push(it.n + ': no entry ' + it.addedSeq + ' added it');
    else if (v.itemId !== it.itemId || v.sha256 !== it.sha256) problems.push(it.n + ': its SHA-256 is not the one entry ' + it.addedSeq + ' recorded');
  });
  return { status: problems.length ? 'failed' : unchecked ? 'partial' : 'verified', entries: entries.length, recomputed: recomputed, problems: problems.slice(0, 10) };
}
var picked = null;
// whatever the folder holds, the page ends on a verdict, never on "Checking…"
function start(files){ run(files).catch(function(){ last = { error: 'unreadable' }; show(last); }); }
document.getElementById('expect').addEventListener('change', function(){ if (picked) start(picked); });
document.getElementById('dir').addEventListener('change', function(ev){ picked = Array.prototype.slice.call(ev.target.files); start(picked); });
async function run(files){
  expectedText = document.getElementById('expect').value.trim();
  // not "expected": the loop below has a var of that name (a file's hash) in the same function
  var expectedKey = expectedText ? normalise(expectedText) : null;
  if (expectedText && !expectedKey){ last = { error: 'expectBad' }; show(last); return; }
  var map = new Map(); files.forEach(function(f){ map.set(rel(f), f); });
  var summary = document.getElementById('summary');
  summary.dataset.result = 'busy'; summary.textContent = t('checking');
  var sumsFile = map.get('SHA256SUMS');
  if (!sumsFile){ last = { error: 'noSums' }; show(last); return; }
  var sumsBytes = await sumsFile.arrayBuffer();
  var sumsText = new TextDecoder().decode(sumsBytes);
  var lines = sumsText.split('\\n').map(function(l){ return /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(l.replace(/\\r$/, '')); }).filter(Boolean);
  var manifest = null;
  try { if (map.get('manifest.json')) manifest = JSON.parse(await map.get('manifest.json').text()); } catch (e) { manifest = null; }
  var rows = []; var listed = new Set(['SHA256SUMS', info.signatureFile]);
  for (var i = 0; i < lines.length; i++){
    var path = lines[i][2], expected = lines[i][1].toLowerCase(); listed.add(path);
    var f = map.get(path);
    if (!f){ rows.push({ path: path, status: 'missing', expected: expected }); continue; }
    var actual = await sha256(f);
    rows.push({ path: path, status: actual === expected ? 'intact' : 'altered', expected: expected, actual: actual });
  }
  if (manifest && Array.isArray(manifest.files)){
    var bySums = new Map(lines.map(function(m){ return [m[2], m[1].toLowerCase()]; }));
    manifest.files.forEach(function(mf){ if (bySums.get(mf.path) !== mf.sha256) rows.push({ path: mf.path, status: 'mismatch', expected: mf.sha256, actual: bySums.get(mf.path) || '' }); });
  }
  map.forEach(function(_f, path){ if (!listed.has(path)) rows.push({ path: path, status: litter(path) ? 'ignored' : 'extra' }); });
  var signature = await checkSignature(map, sumsBytes, manifest ? manifest.signer : undefined, expectedKey);
  var custody = await checkCustody(manifest);
  last = { rows: rows, checked: lines.length, signature: signature, custody: custody, packetHash: hex(await crypto.subtle.digest('SHA-256', sumsBytes)) };
  show(last);
}
paint();
})();
`;

const csp = (body: string) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside <script type=application/json>: "<" is escaped so no string can close the element.
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * verify.html: one self-contained page (inline script and style, allowed by hash in a strict CSP that forbids any
 * network access) that hashes every file of the selected packet folder with WebCrypto and compares with SHA256SUMS
 * and manifest.json. It carries nothing secret: only the case title and recipient name.
 */
export function verifyHtml(input: { lang: PacketLang; caseTitle: string; recipientName: string }): string {
  const policy = [`default-src 'none'`, `script-src ${csp(SCRIPT)}`, `style-src ${csp(STYLE)}`, `img-src 'none'`, `connect-src 'none'`, `form-action 'none'`, `base-uri 'none'`].join('; ');
  return `<!doctype html>
<html lang="${input.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.caseTitle)}</title>
<style>${STYLE}</style>
</head>
<body>
<button type="button" class="lang" id="lang" data-t="other"></button>
<h1 data-t="title"></h1>
<p class="meta">${escapeHtml(input.caseTitle)} — ${escapeHtml(input.recipientName)}</p>
<p data-t="intro"></p>
<p><label for="expect" data-t="expectLabel"></label><input type="text" id="expect" size="44" autocomplete="off" spellcheck="false"></p>
<label class="pick"><span data-t="choose"></span><input type="file" id="dir" webkitdirectory directory multiple></label>
<div id="summary" role="status" aria-live="polite"></div>
<p id="phash" class="meta"></p>
<p id="attestation"></p>
<p id="custody"></p>
<table><thead><tr><th data-t="file"></th><th data-t="status"></th><th data-t="expected"></th><th data-t="actual"></th></tr></thead><tbody id="rows"></tbody></table>
<script type="application/json" id="strings">${jsonForScript(STRINGS)}</script>
<script type="application/json" id="packet">${jsonForScript({ caseTitle: input.caseTitle, recipientName: input.recipientName, litter: FILE_MANAGER_LITTER, signatureFile: SIGNATURE_FILE, keyFile: SIGNER_KEY_FILE, caps: SIGNATURE_FILE_CAPS, packetFormat: PACKET_FORMAT })}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
