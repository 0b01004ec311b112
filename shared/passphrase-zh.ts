/**
 * A small Chinese-aware dictionary for the passphrase estimator (shared/passphrase-strength.ts). zxcvbn-ts ships
 * English and "common" (international leaked-password) lists but no Chinese one, and its lists rank `woaini1314`,
 * `zhangwei1990` or `我爱你一生一世啊` as strong. This file fills that gap, deliberately small (about 200 entries, a
 * few KB) and hand-picked, not copied from any leak:
 *
 * - PASSWORDS_ZH: patterns reported as the most frequent in the 2011 leaks of Chinese sites (CSDN, Tianya, 7k7k,
 *   Duowan/178, Dodonew) by the published analyses of them, e.g. Li, Han & Xu, "A Large-Scale Empirical Analysis of
 *   Chinese Web Passwords" (USENIX Security 2014) and Wang et al., "Zipf's Law in Passwords" (IEEE TIFS 2017):
 *   pinyin love phrases (woaini), number homophones (5201314 "我爱你一生一世", 1314520, 7758521 "亲亲我吧我爱你"),
 *   keypad walks (147258369, 159357), "qq" + digits. The order is roughly by reported frequency; the estimator
 *   treats the position as the rank (guesses needed), so the order only matters within a factor of ~200.
 * - NAMES_ZH: the most common full names in pinyin and in characters, as widely reported from the Ministry of
 *   Public Security's national name statistics (张伟, 王伟, 王芳, 李伟, 李娜, …), the placeholder names 张三 李四
 *   王五, and the 30 commonest surnames. People put their own or a relative's name in a password.
 * - WORDS_ZH: common pinyin words and Chinese-character words and phrases of love, luck and greeting that a
 *   Chinese speaker reaches for when told to "use a sentence" (我爱你, 一生一世, 恭喜发财, 月亮代表我的心…).
 *
 * Birthdays written as digits (19900101, 900101) need no list: zxcvbn's date matcher finds them; phone, QQ and ID
 * numbers are refused by the estimator's digits-only rule.
 */
export const PASSWORDS_ZH: readonly string[] = [
  '123456', '123456789', '111111', '000000', '12345678', '123123', '5201314', '123321', '11111111', '654321',
  '666666', '1314520', '888888', 'woaini', '7758521', '112233', 'a123456', '147258369', '1234567', '123654',
  'woaini1314', 'qq123456', '5211314', '520520', '521521', '123456a', 'aaaaaa', '123qwe', 'qwe123', '1qaz2wsx',
  '147258', '159357', '258369', '741852963', '963852741', '123654789', '987654321', '1472583690', '0123456789',
  '3344520', '1314521', '201314', '584520', '7758258', '168168', '518518', '110110', '5201314520', '13145201314',
  'woaini520', 'woaini521', 'woaini123', 'woaini1234', 'woaini5201314', 'iloveyou1314', 'a5201314', 'qq5201314',
  'aini1314', 'aini520', 'woaiwojia', 'woaimama', 'woaibaba', 'woainimama', 'wobuzhidao', 'woshishui', 'wodemima',
  'mima123', 'mima', 'nihao', 'nihao123', 'abc123456', 'a123456789', 'zxc123456', 'qwe123456', 'qazwsx123',
  'asd123456', 'q123456', 'z123456', 'w123456', 'aa123456', 'abc123', 'qq123456789', 'qq1234', 'qqqqqq',
  '1234qwer', 'qwer1234', 'zhongguo', 'zhongguo123', 'beijing', 'shanghai', 'beijing2008', 'shanghai123',
  'laopo520', 'laogong520', 'baobei520', 'baobei1314',
];

export const NAMES_ZH: readonly string[] = [
  'zhangwei', 'wangwei', 'wangfang', 'liwei', 'lina', 'zhangmin', 'lijing', 'wangjing', 'liuwei', 'wangxiuying',
  'zhangli', 'lixiuying', 'wangli', 'zhangjing', 'zhangxiuying', 'liqiang', 'wangmin', 'limin', 'wanglei', 'liuyang',
  'wangyan', 'wangyong', 'lijun', 'zhangyong', 'lijie', 'zhangjie', 'zhanglei', 'wangqiang', 'lijuan', 'wangjun',
  'zhangyan', 'zhangtao', 'wangtao', 'liyan', 'wangchao', 'liming', 'liyong', 'wangjuan', 'liujie', 'liumin',
  'zhangsan', 'lisi', 'wangwu', 'xiaoming', 'xiaohong',
  '张伟', '王伟', '王芳', '李伟', '李娜', '张敏', '李静', '王静', '刘伟', '王秀英', '张丽', '李秀英', '王丽', '张静',
  '李强', '王敏', '李敏', '王磊', '刘洋', '王艳', '王勇', '李军', '张勇', '李杰', '张杰', '张磊', '王强', '李娟',
  '张三', '李四', '王五', '小明', '小红',
  'wang', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'zhou', 'sun', 'zhu', 'guo', 'gao', 'lin', 'luo',
  'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng', 'cao', 'peng', 'zeng', 'xiao', 'tian', 'dong',
];

export const WORDS_ZH: readonly string[] = [
  'woaini', 'aini', 'baobei', 'baobao', 'laopo', 'laogong', 'qinaide', 'mama', 'baba', 'xingfu', 'kuaile',
  'pingan', 'tiantian', 'haohao', 'xiaoxiao', 'yisheng', 'yishi', 'yongyuan', 'aiqing', 'xihuan', 'shengri',
  'facai', 'gongxi', 'wanshiruyi', 'xinxiangshicheng', 'zhongguo', 'beijing', 'shanghai', 'guangzhou', 'shenzhen',
  'wode', 'women', 'nihao', 'mima', 'shouji', 'weixin', 'zhifubao', 'taobao',
  '我爱你', '爱你', '我爱你一生一世', '一生一世', '一生一世爱你', '永远爱你', '我爱你中国', '亲爱的', '宝贝', '老婆',
  '老公', '妈妈', '爸爸', '我爱我家', '我的密码', '密码', '你好', '中国', '中华人民共和国', '北京', '上海', '生日快乐',
  '天天向上', '好好学习', '平安', '幸福', '快乐', '发财', '恭喜发财', '一路平安', '万事如意', '心想事成', '身体健康',
  '月亮代表我的心', '我的', '永远', '喜欢', '一二三四五六七八九十', '一二三四五六',
];
