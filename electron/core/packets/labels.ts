import type { IncidentType } from '../../../shared/case-model.js';

/** Everything a packet says to its recipient, in the packet's language (which need not be the UI language). */
export interface PacketLabels {
  docTitle: (caseTitle: string) => string;
  subject: string;
  to: string;
  from: string;
  date: string;
  re: string;
  coverIntro: (p: { incident: string; totals: string; items: number; start: string }) => string;
  coverRequest: string;
  coverContents: string;
  coverClose: string;
  howToSubmit: string;
  summary: string;
  complainant: string;
  name: string;
  idNumber: string;
  phone: string;
  email: string;
  address: string;
  cards: string;
  incidentType: string;
  started: string;
  discovered: string;
  totalLoss: string;
  evidenceCount: string;
  request: string;
  recipientAsks: (name: string) => string;
  narrative: string;
  noNarrative: string;
  timeline: string;
  time: string;
  event: string;
  source: string;
  evCaseStarted: string;
  evCaseDiscovered: string;
  evLoss: string;
  evTransaction: (direction: string) => string;
  losses: string;
  description: string;
  amount: string;
  totalFor: (currency: string) => string;
  noLosses: string;
  counterparties: string;
  role: string;
  identifier: string;
  note: string;
  noCounterparties: string;
  roles: Record<string, string>;
  identifierKinds: Record<string, string>;
  evidenceIndex: string;
  number: string;
  titleKindTime: string;
  sha256: string;
  kinds: Record<string, string>;
  /** n is empty when the original is not in the packet (the usual case: it stays in the vault) */
  redactedMark: (n: string, sha: string) => string;
  redactedOf: (n: string) => string;
  /** date-fns pattern for the letter's date */
  letterDateFormat: string;
  packetFileHash: string;
  originalHash: string;
  locationMark: string;
  messages: string;
  direction: string;
  counterpart: string;
  text: string;
  directions: Record<string, string>;
  transactions: string;
  account: string;
  reference: string;
  status: string;
  recordSource: (count: number) => string;
  appendices: string;
  appendix: (n: string, title: string) => string;
  fileIn: (path: string) => string;
  notReproduced: string;
  /** an image that cannot be decoded: shown as a card saying so, with why */
  notRendered: (part: 'header' | 'data') => string;
  integrity: string;
  integrityIntro: string;
  /** what the signature shows and what it cannot: that the key is the sender's, which the recipient must confirm */
  signedBy: string;
  keyFingerprint: string;
  chainHead: string;
  algorithm: string;
  algorithmText: string;
  howToCheck: string;
  checkSteps: string[];
  disclosure: string;
  disclosureIntro: string;
  fieldNames: Record<string, string>;
  rules: Record<string, string>;
  notProvided: string;
  redactedItems: string;
  noneRedacted: string;
  locationItems: string;
  noneLocation: string;
  /** images that travel as they are: their content is not masked */
  uncheckedItems: string;
  uncheckedIntro: string;
  declaration: string;
  declarationText: string;
  signature: string;
  signedDate: string;
  incidentTypes: Record<IncidentType, string>;
  volumeNote: (n: number) => string;
}

const zh: PacketLabels = {
  docTitle: (t) => `投诉举报材料：${t}`,
  subject: '投诉举报材料',
  to: '致',
  from: '报告人',
  date: '日期',
  re: '事由',
  coverIntro: ({ incident, totals, items, start }) => `本人于${start}遭受${incident}，造成经济损失共计${totals}。现将事实经过、时间线、损失明细、对方身份信息及${items}项证据材料整理如下，每项证据均附有SHA-256校验值，可逐一核验。`,
  coverRequest: '请求事项',
  coverContents: '本材料包括：摘要、事实经过、时间线、损失明细、对方信息、证据目录、附录（证据内容）、完整性说明及声明。证据原件见 originals/ 文件夹。',
  coverClose: '以上情况属实，恳请受理。',
  howToSubmit: '提交方式',
  summary: '摘要',
  complainant: '报告人信息',
  name: '姓名',
  idNumber: '身份证号码',
  phone: '电话',
  email: '电子邮箱',
  address: '地址',
  cards: '本人银行卡/账户',
  incidentType: '案件类型',
  started: '开始时间',
  discovered: '发现时间',
  totalLoss: '损失合计',
  evidenceCount: '证据数量',
  request: '请求事项',
  recipientAsks: (n) => `${n}要求提供的材料`,
  narrative: '事实经过',
  noNarrative: '（未填写事实经过）',
  timeline: '时间线',
  time: '时间',
  event: '事件',
  source: '来源',
  evCaseStarted: '事件开始',
  evCaseDiscovered: '发现被骗',
  evLoss: '损失',
  evTransaction: (d) => `交易（${d}）`,
  losses: '损失明细',
  description: '说明',
  amount: '金额',
  totalFor: (c) => `合计（${c}）`,
  noLosses: '（未登记损失）',
  counterparties: '对方身份信息',
  role: '角色',
  identifier: '标识',
  note: '备注',
  noCounterparties: '（未登记对方信息）',
  roles: { suspect: '嫌疑人', counterparty: '交易对方', platform: '平台', bank: '银行', witness: '证人', other: '其他' },
  identifierKinds: { phone: '电话', 'bank-account': '银行账户', alipay: '支付宝', wechat: '微信', qq: 'QQ', email: '邮箱', url: '网址', app: 'APP', other: '其他' },
  evidenceIndex: '证据目录',
  number: '编号',
  titleKindTime: '名称 / 类型 / 采集时间 / 文件',
  sha256: 'SHA-256',
  kinds: { screenshot: '截图', photo: '照片', document: '文件', audio: '音频', video: '视频', 'message-export': '短信导出', 'payment-record': '支付记录', 'bank-record': '银行流水', 'chat-export': '聊天记录导出', record: '记录', other: '其他' },
  redactedMark: (n, sha) => `已遮挡处理，原件${n ? ` ${n} ` : ''}SHA-256：${sha}`,
  redactedOf: (n) => (n ? `已遮挡处理的副本（原件 ${n}）` : '已遮挡处理的副本'),
  letterDateFormat: 'yyyy年M月d日',
  packetFileHash: '本材料中文件的 SHA-256（已去除位置信息）：',
  originalHash: '未遮挡原件的 SHA-256：',
  locationMark: '已去除位置信息',
  messages: '聊天及短信记录',
  direction: '方向',
  counterpart: '对方',
  text: '内容',
  directions: { out: '发出', in: '收到', neutral: '—' },
  transactions: '交易记录',
  account: '对方账户',
  reference: '交易号',
  status: '状态',
  recordSource: (n) => `共 ${n} 条，均从所列证据文件中提取，可按来源定位核对。`,
  appendices: '附录：证据内容',
  appendix: (n, t) => `证据 ${n}：${t}`,
  fileIn: (p) => `文件：${p}`,
  notReproduced: '该文件类型无法在PDF中显示，请查看 originals/ 中的原件。',
  notRendered: (part) => `注意：这张图片无法显示：${part === 'header' ? '文件头无法读取' : '图像数据已损坏或不完整'}（例如传输中断）。原件按原样附在 originals/ 中，其 SHA-256 见上。`,
  integrity: '完整性说明',
  integrityIntro: '所有证据在采集时即计算SHA-256并写入哈希链式保管记录，之后任何改动都会被发现。',
  signedBy: '签名：本材料由发送者证据库的密钥（Ed25519）签名，密钥指纹见下。任何人都可以生成密钥，因此请通过其他途径（电话、当面、所属援助机构的登记）向发送者核对指纹；核对一致之前，本材料只能视为自证材料，持有副本的人可以重新生成其校验值并另行签名。',
  keyFingerprint: '证据库密钥指纹',
  chainHead: '保管链最新记录',
  algorithm: '算法',
  algorithmText: 'SHA-256（FIPS 180-4）；保管记录哈希 = SHA-256(前一记录哈希 || 记录 committed 对象的 RFC 8785 规范化 JSON)，其中每个字段以加盐摘要 SHA-256([盐值, 字段名, 值]) 代替（核对方法见 README.txt）',
  howToCheck: '如何核验',
  checkSteps: [
    '用浏览器打开 verify.html，选择本材料所在文件夹，页面会逐一核对每个文件（无需联网）。',
    '或在命令行执行：sha256sum -c SHA256SUMS',
    '或将任一文件的SHA-256与证据目录中的值比对（Windows：certutil -hashfile 文件名 SHA256）。',
  ],
  disclosure: '个人信息披露说明',
  disclosureIntro: '本材料只包含该接收方所需的个人信息：',
  fieldNames: { name: '姓名', idNumber: '身份证号码', phone: '电话', email: '电子邮箱', address: '地址', cardNumbers: '银行卡号' },
  rules: { full: '完整提供', last4: '仅显示后四位', omit: '不提供' },
  notProvided: '未填写',
  redactedItems: '经遮挡处理的证据',
  noneRedacted: '无',
  locationItems: '已去除位置信息（GPS）的图片',
  noneLocation: '无',
  uncheckedItems: '未经个人信息检查的图片',
  uncheckedIntro: '上述遮挡规则只作用于文字。以下图片按原样提供，本软件不识别图片中的内容，其中可见的个人信息未作遮挡；发送前已提示提交人自行检查。',
  declaration: '声明',
  declarationText: '本人声明：以上所述及所附证据材料均真实、完整，如有虚假，愿承担相应法律责任。',
  signature: '签名：',
  signedDate: '日期：',
  incidentTypes: { impersonation: '冒充身份诈骗', 'fake-investment': '虚假投资理财诈骗', 'loan-fraud': '虚假贷款诈骗', 'task-scam': '刷单返利诈骗', 'romance-scam': '网络交友诈骗', 'account-takeover': '账户被盗用', 'data-leak': '个人信息泄露', phishing: '网络钓鱼', other: '其他' },
  volumeNote: (n) => `因附件大小限制，本材料分为 ${n} 卷提交。`,
};

const en: PacketLabels = {
  docTitle: (t) => `Complaint packet: ${t}`,
  subject: 'Complaint and evidence packet',
  to: 'To',
  from: 'From',
  date: 'Date',
  re: 'Re',
  coverIntro: ({ incident, totals, items, start }) => `On ${start} I became the victim of ${incident}, with a total loss of ${totals}. This packet sets out the facts, a timeline, the losses, the other side's identifiers and ${items} evidence items, each with its SHA-256 so that every file can be checked.`,
  coverRequest: 'What I request',
  coverContents: 'Contents: summary, facts, timeline, losses, counterparties, evidence index, appendices reproducing the evidence, integrity notes and a declaration. The original files are in the originals/ folder.',
  coverClose: 'Thank you for considering this report.',
  howToSubmit: 'How to submit',
  summary: 'Summary',
  complainant: 'Complainant',
  name: 'Name',
  idNumber: 'ID number',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  cards: 'My cards / accounts',
  incidentType: 'Type of incident',
  started: 'Started',
  discovered: 'Discovered',
  totalLoss: 'Total loss',
  evidenceCount: 'Evidence items',
  request: 'Request',
  recipientAsks: (n) => `What ${n} asks for`,
  narrative: 'What happened',
  noNarrative: '(no account of the facts was written)',
  timeline: 'Timeline',
  time: 'Time',
  event: 'Event',
  source: 'Source',
  evCaseStarted: 'Incident began',
  evCaseDiscovered: 'Fraud discovered',
  evLoss: 'Loss',
  evTransaction: (d) => `Transaction (${d})`,
  losses: 'Losses',
  description: 'Description',
  amount: 'Amount',
  totalFor: (c) => `Total (${c})`,
  noLosses: '(no losses recorded)',
  counterparties: 'Counterparties',
  role: 'Role',
  identifier: 'Identifier',
  note: 'Note',
  noCounterparties: '(no counterparties recorded)',
  roles: { suspect: 'Suspect', counterparty: 'Counterparty', platform: 'Platform', bank: 'Bank', witness: 'Witness', other: 'Other' },
  identifierKinds: { phone: 'Phone', 'bank-account': 'Bank account', alipay: 'Alipay', wechat: 'WeChat', qq: 'QQ', email: 'Email', url: 'Web address', app: 'App', other: 'Other' },
  evidenceIndex: 'Evidence index',
  number: 'No.',
  titleKindTime: 'Title / kind / captured / file',
  sha256: 'SHA-256',
  kinds: { screenshot: 'Screenshot', photo: 'Photo', document: 'Document', audio: 'Audio', video: 'Video', 'message-export': 'Message export', 'payment-record': 'Payment record', 'bank-record': 'Bank record', 'chat-export': 'Chat export', record: 'Record', other: 'Other' },
  redactedMark: (n, sha) => `Redacted copy${n ? ` of ${n}` : ''}, original SHA-256: ${sha}`,
  redactedOf: (n) => (n ? `redacted copy (original: ${n})` : 'redacted copy'),
  letterDateFormat: 'd MMMM yyyy',
  packetFileHash: 'SHA-256 of the file in this packet (location removed):',
  originalHash: 'SHA-256 of the unredacted original:',
  locationMark: 'location data removed',
  messages: 'Message transcripts',
  direction: 'Dir.',
  counterpart: 'Other party',
  text: 'Text',
  directions: { out: 'sent', in: 'received', neutral: '—' },
  transactions: 'Transactions',
  account: 'Counterparty account',
  reference: 'Reference',
  status: 'Status',
  recordSource: (n) => `${n} records, each extracted from the evidence file named in its source and traceable to it.`,
  appendices: 'Appendices: the evidence',
  appendix: (n, t) => `Evidence ${n}: ${t}`,
  fileIn: (p) => `File: ${p}`,
  notReproduced: 'This kind of file cannot be shown in a PDF; see the original in originals/.',
  notRendered: (part) => `Warning: this image could not be rendered: ${part === 'header' ? 'its header cannot be read' : 'its picture data is damaged or incomplete'} (a transfer cut short, for example). The original is included as it is in originals/, with the SHA-256 above.`,
  integrity: 'Integrity',
  integrityIntro: 'Every item was hashed with SHA-256 when it was captured and recorded on a hash-chained custody log; any later change is detectable.',
  signedBy: 'Signed: the sender\'s vault key (Ed25519) signed this packet; its fingerprint is below. Anyone can make a key, so confirm the fingerprint with the sender another way (by phone, in person, or with the association that registered their vault). Until then the packet is self-attested: anyone holding a copy could have rebuilt its hashes and signed them with a key of their own.',
  keyFingerprint: 'Vault key fingerprint',
  chainHead: 'Custody chain head',
  algorithm: 'Algorithm',
  algorithmText: 'SHA-256 (FIPS 180-4); custody entry hash = SHA-256(previous hash || RFC 8785 canonical JSON of the entry\'s committed object), in which each field is a salted digest SHA-256([salt, name, value]) (README.txt shows how to check)',
  howToCheck: 'How to check the files',
  checkSteps: [
    'Open verify.html in any browser and select this packet\'s folder: every file is checked on your computer, offline.',
    'Or run: sha256sum -c SHA256SUMS',
    'Or compare any file\'s SHA-256 with the evidence index (Windows: certutil -hashfile FILE SHA256).',
  ],
  disclosure: 'Personal data in this packet',
  disclosureIntro: 'This packet carries only the personal data this recipient needs:',
  fieldNames: { name: 'Name', idNumber: 'ID number', phone: 'Phone', email: 'Email', address: 'Address', cardNumbers: 'Card numbers' },
  rules: { full: 'given in full', last4: 'last four only', omit: 'not given' },
  notProvided: 'not provided',
  redactedItems: 'Redacted items',
  noneRedacted: 'none',
  locationItems: 'Images with location (GPS) data removed',
  noneLocation: 'none',
  uncheckedItems: 'Images not checked for personal data',
  uncheckedIntro: 'The masking above applies to text. These images travel as they are: this software does not read what they show, so personal data visible in them is not masked; the sender was asked to check them before sending.',
  declaration: 'Declaration',
  declarationText: 'I declare that the information in this packet and the evidence attached are true and complete to the best of my knowledge.',
  signature: 'Signature:',
  signedDate: 'Date:',
  incidentTypes: { impersonation: 'an impersonation scam', 'fake-investment': 'a fake investment scam', 'loan-fraud': 'a loan fraud', 'task-scam': 'a task scam', 'romance-scam': 'a romance scam', 'account-takeover': 'an account takeover', 'data-leak': 'a personal data leak', phishing: 'phishing', other: 'fraud' },
  volumeNote: (n) => `Because of the attachment size limit this packet is split into ${n} volumes.`,
};

export type PacketLang = 'zh-CN' | 'en';
export const LABELS: Record<PacketLang, PacketLabels> = { 'zh-CN': zh, en };
