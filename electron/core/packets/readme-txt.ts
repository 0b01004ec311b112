import type { PacketLang } from './labels.js';

export interface ReadmeInput {
  lang: PacketLang;
  recipientName: string;
  caseTitle: string;
  fileCount: number;
  volumes: number;
  generatedAt: string;
  /** the vault key's fingerprint (shared/key-fingerprint.ts) */
  keyFingerprint: string;
}

/** README.txt: how a recipient checks the files, in the recipient's language, plain text (CRLF for Notepad). */
export function readmeText(r: ReadmeInput): string {
  const zh = [
    `投诉举报材料：${r.caseTitle}`,
    `接收方：${r.recipientName}`,
    `生成时间：${r.generatedAt}`,
    '',
    '本文件夹包含：',
    '  packet.pdf      投诉材料正文（摘要、事实、时间线、损失、证据目录、附录）',
    '  originals/      证据原件（未重新压缩；含位置信息的图片已去除位置信息，见 manifest.json）',
    '  manifest.json   证据清单及保管链记录（RFC 8785 规范化 JSON）',
    '  SHA256SUMS      每个文件的 SHA-256 校验值',
    '  SHA256SUMS.sig  发送者证据库密钥对 SHA256SUMS 的 Ed25519 签名',
    '  vault-key.pem   该密钥的公钥',
    '  verify.html     离线核验页面',
    '',
    '如何核验文件是否被改动：',
    '  1. 用浏览器打开 verify.html，点击“选择文件夹”，选中本文件夹。页面在本机逐一计算并比对每个文件，不联网。',
    '  2. 或在 Linux/macOS 终端中进入本文件夹执行：sha256sum -c SHA256SUMS（macOS：shasum -a 256 -c SHA256SUMS）',
    '  3. 或在 Windows 中执行：certutil -hashfile 文件名 SHA256，并与 SHA256SUMS 中的值比对。',
    '',
    '如何确认材料出自发送者：',
    `  本材料由证据库密钥签名，密钥指纹：${r.keyFingerprint}`,
    '  任何人都可以生成密钥，所以请通过其他途径（电话、当面、所属援助机构的登记）向发送者核对这个指纹。',
    '  verify.html 可输入您得到的指纹一并核对。但 verify.html 就在本材料之中，重新生成材料的人也能替换它：',
    '  若不信任发送者，请使用另行取得的 verify.html（例如从援助机构获得），或用 OpenSSL 3 核验签名和指纹：',
    '    openssl pkeyutl -verify -pubin -inkey vault-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig',
    '    openssl pkey -pubin -in vault-key.pem -outform DER | sha256sum    （前 32 位即指纹）',
    '',
    '如何核对保管链（manifest.json 中的 custody）：',
    '  每条记录的哈希 = SHA-256(前一条记录的哈希 || 该记录 committed 对象的 RFC 8785 规范化 JSON)；',
    '  每个公开字段的摘要 = SHA-256(RFC 8785 JSON 数组 [salt, 字段名, 值])，须等于 committed.digests 中的同名值。',
    '  verify.html 和 redress verify-packet 会逐条重新计算。也可以用 jq 手工核对第 N 条（这些记录只含 ASCII 键名和整数，jq 的 -S -c 输出即其规范化形式）：',
    '    { jq -j ".custody.entries[N-1].committed.prev" manifest.json; jq -jcS ".custody.entries[N-1].committed" manifest.json; } | sha256sum',
    '    jq -jc ".custody.entries[N-1].disclosed.sha256 | [.salt, \\"sha256\\", .value]" manifest.json | sha256sum',
    '',
    `共 ${r.fileCount} 个文件。`,
  ];
  const en = [
    `Complaint packet: ${r.caseTitle}`,
    `For: ${r.recipientName}`,
    `Generated: ${r.generatedAt}`,
    '',
    'This folder contains:',
    '  packet.pdf      the complaint (summary, facts, timeline, losses, evidence index, appendices)',
    '  originals/      the evidence files (never recompressed; images with location data had it removed, see manifest.json)',
    '  manifest.json   the evidence list and the custody entries it relies on (RFC 8785 canonical JSON)',
    '  SHA256SUMS      the SHA-256 of every file',
    '  SHA256SUMS.sig  the Ed25519 signature of SHA256SUMS by the sender\'s vault key',
    '  vault-key.pem   that key\'s public half',
    '  verify.html     an offline checking page',
    '',
    'How to check that no file was changed:',
    '  1. Open verify.html in a browser, click "Choose folder" and select this folder. Every file is hashed and compared on your computer; nothing is sent anywhere.',
    '  2. Or, in a Linux/macOS terminal inside this folder: sha256sum -c SHA256SUMS (macOS: shasum -a 256 -c SHA256SUMS)',
    '  3. Or, on Windows: certutil -hashfile FILE SHA256, and compare with SHA256SUMS.',
    '',
    'How to check that the packet comes from the sender:',
    `  It is signed by a vault key with the fingerprint ${r.keyFingerprint}`,
    '  Anyone can make a key, so confirm this fingerprint with the sender another way (by phone, in person, or with the association that registered their vault).',
    '  verify.html checks it against the fingerprint you were given. But verify.html travels inside this packet, so whoever rebuilt the',
    '  packet could have replaced it too: if you do not trust the sender, use a verify.html you got elsewhere (from an association, say),',
    '  or check the signature and the fingerprint with OpenSSL 3:',
    '    openssl pkeyutl -verify -pubin -inkey vault-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig',
    '    openssl pkey -pubin -in vault-key.pem -outform DER | sha256sum    (its first 32 digits are the fingerprint)',
    '',
    'How to check the custody chain (manifest.json, "custody"):',
    '  Each entry\'s hash = SHA-256(the previous entry\'s hash || the RFC 8785 canonical JSON of its "committed" object);',
    '  each disclosed value\'s digest = SHA-256(the RFC 8785 JSON array [salt, name, value]), which must equal committed.digests[name].',
    '  verify.html and redress verify-packet recompute them all. By hand, for entry N, with jq (for these entries, with ASCII keys and whole numbers, its -S -c output is the canonical form):',
    '    { jq -j ".custody.entries[N-1].committed.prev" manifest.json; jq -jcS ".custody.entries[N-1].committed" manifest.json; } | sha256sum',
    '    jq -jc ".custody.entries[N-1].disclosed.sha256 | [.salt, \\"sha256\\", .value]" manifest.json | sha256sum',
    '',
    `${r.fileCount} files.`,
  ];
  const lines = r.lang === 'zh-CN' ? zh : en;
  if (r.volumes > 1) {
    lines.push(
      '',
      r.lang === 'zh-CN'
        ? `因附件大小限制，本材料分为 ${r.volumes} 个压缩包（part1…part${r.volumes}）。请全部解压到同一文件夹后再核验。`
        : `Because of the attachment size limit this packet comes as ${r.volumes} ZIP files (part1…part${r.volumes}). Extract them all into the same folder before checking.`,
    );
  }
  return lines.join('\r\n') + '\r\n';
}
