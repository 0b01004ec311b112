import { Recipient } from '../recipient.js';
import cnAlipay from './cn-alipay.json' with { type: 'json' };
import cnBank from './cn-bank.json' with { type: 'json' };
import cnCac12377 from './cn-cac-12377.json' with { type: 'json' };
import cnCsrc12386 from './cn-csrc-12386.json' with { type: 'json' };
import cnMiit12321 from './cn-miit-12321.json' with { type: 'json' };
import cnNfra12378 from './cn-nfra-12378.json' with { type: 'json' };
import cnPboc12363 from './cn-pboc-12363.json' with { type: 'json' };
import cnPolice from './cn-police.json' with { type: 'json' };
import cnSamr12315 from './cn-samr-12315.json' with { type: 'json' };
import cnWechatPay from './cn-wechat-pay.json' with { type: 'json' };
import euDpa from './eu-dpa.json' with { type: 'json' };
import ukActionFraud from './uk-action-fraud.json' with { type: 'json' };
import ukIco from './uk-ico.json' with { type: 'json' };
import usCfpb from './us-cfpb.json' with { type: 'json' };
import usFtc from './us-ftc.json' with { type: 'json' };
import usIc3 from './us-ic3.json' with { type: 'json' };

/** Every shipped recipient profile, validated once at load: a malformed data file fails loudly, at startup. */
export const RECIPIENTS: readonly Recipient[] = [cnAlipay, cnBank, cnCac12377, cnCsrc12386, cnMiit12321, cnNfra12378, cnPboc12363, cnPolice, cnSamr12315, cnWechatPay, euDpa, ukActionFraud, ukIco, usCfpb, usFtc, usIc3].map((r) => Recipient.parse(r));
