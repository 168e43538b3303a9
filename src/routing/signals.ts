/**
 * Urgent signals from the domain reference and the words residents use for them.
 * A signal word alone flags the case; a cue only counts together with another cue
 * (a child or an elderly person AND nobody caring for them; a serious illness AND no treatment;
 * cold weather AND no heating).
 */

/** Listed most pressing first; reasons follow this order. */
export const SIGNAL_KINDS = [
  'fire', 'gas', 'collapse', 'trapped', 'flood', 'violence', 'acute_illness', 'self_harm',
  'alone', 'cold', 'no_shelter', 'no_food', 'untreated_illness',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** Readable Mandarin naming the signal, for the duty officer. */
export const SIGNAL_LABEL: Record<SignalKind, string> = {
  fire: '火情',
  gas: '燃气泄漏或中毒',
  collapse: '房屋倒塌或有倒塌危险',
  trapped: '有人被困或落水',
  flood: '被水淹或洪水',
  violence: '正在发生暴力',
  acute_illness: '急症',
  self_harm: '有轻生或自伤的话',
  alone: '儿童、老人或残疾人无人照料',
  cold: '受冻',
  no_shelter: '今晚无处栖身',
  no_food: '吃不上饭',
  untreated_illness: '重病得不到治疗',
};

/** What to tell the caller (domain reference: "also tell the caller to ring 119/120/110"). */
export const SIGNAL_ADVICE: Partial<Record<SignalKind, string>> = {
  fire: '提醒拨打119',
  gas: '提醒拨打119/120',
  collapse: '提醒拨打119',
  trapped: '提醒拨打119/110',
  flood: '提醒拨打119',
  violence: '提醒拨打110',
  acute_illness: '提醒拨打120',
  self_harm: '可转12356心理援助热线',
};

/** Signals that put a life in immediate physical danger. Self-harm is reported separately as mentalHealth. */
export const LIFE_DANGER: ReadonlySet<SignalKind> = new Set(['violence', 'flood', 'fire', 'gas', 'collapse', 'trapped', 'acute_illness']);

/** Events that can be told as past ("上个月着了火"); needs such as hunger or suicidal talk are never discounted that way. */
export const EVENT_SIGNALS: ReadonlySet<SignalKind> = new Set(['violence', 'flood', 'fire', 'gas', 'collapse', 'trapped']);

/** Signals raised by a word alone; 'alone' and 'untreated_illness' only come from cues together (urgency.ts). */
export const SIGNAL_WORDS: Record<Exclude<SignalKind, 'alone' | 'untreated_illness'>, readonly string[]> = {
  self_harm: [
    '不想活', '不活了', '活不下去', '没法活', '活着没意思', '活着太累', '活着还有啥意思', '想死', '寻死', '寻短见', '轻生',
    '自杀', '喝药', '喝农药', '上吊', '跳楼', '跳河', '跳井', '跳下去', '割腕', '安眠药', '死了算了', '一死了之', '不如死了',
    '想不开', '撑不下去', '了结自己', '活够了', '没盼头', '熬不下去', '没人在乎我', '活着有什么意思', '活着一点意思', '该不该跳',
    '要不要跳', '想跳', '遗书', '后事', '交代后事', '永别', '结束这一切', '结束自己', '结束生命', '离开这个世界',
  ],
  violence: [
    '家暴', '施暴', '正在打', '在打我', '在打她', '在打他', '又在打', '打我', '打俺', '打她', '打人', '打孩子', '打老婆', '被打',
    '挨打', '往死里打', '男人打', '拿刀', '拿着刀', '动刀', '砍人', '要杀', '杀了我', '掐脖子', '打伤', '砍我', '砍他', '砍她',
    '要砍', '菜刀', '动手打', '捅', '推下', '把我推', '推我',
  ],
  no_food: [
    '没饭吃', '吃不上饭', '没得吃', '没东西吃', '没吃东西', '没吃饭', '饿了', '饿肚子', '饿得', '揭不开锅', '断顿', '断粮',
    '吃的也没有', '没送饭', '没人给送饭',
  ],
  no_shelter: [
    '今晚没地方', '没地方住', '没处住', '没地方去', '睡大街', '露宿', '桥洞', '无家可归', '赶出来', '撵出来', '不知道住哪',
    '没法住', '睡在外面', '睡在街上', '睡在马路', '收留', '没地方睡', '住的地方都没有', '没有住的地方', '没住处', '睡了好几宿',
    '睡了好几晚', '在外面睡', '睡马路', '露天睡',
  ],
  cold: ['冻得', '冻坏', '冻死', '冻伤', '挨冻', '受冻', '快冻', '雪地里', '躺在雪地'],
  flood: [
    '淹了', '被淹', '淹到', '水淹', '进水', '发大水', '洪水', '决口', '被大水冲', '山洪', '溃坝', '决堤', '垮坝', '水库要',
    '水库漏',
  ],
  fire: [
    '着火', '着了火', '房着了', '屋着了', '失火', '起火', '火灾', '烧起来', '冒烟', '冒黑烟', '火着了', '大火', '冒火花', '火花',
    '焦糊味', '糊味', '烧焦',
  ],
  gas: ['煤气', '燃气', '漏气', '煤气味', '一氧化碳', '熏倒', '煤气中毒'],
  collapse: [
    '塌了', '倒塌', '坍塌', '快塌', '要塌', '房子塌', '墙倒', '冲倒', '压塌', '砸塌', '滑坡', '泥石流', '不敢住', '墙歪',
    '墙都歪', '房子歪', '随时会塌', '随时要塌', '不敢在屋里', '不敢进屋', '不敢回屋', '梁裂', '房梁', '大梁',
  ],
  trapped: [
    '被困', '困在', '出不来', '压在下面', '压住了', '埋了', '触电', '掉到河里', '掉河里', '掉井里', '落水', '溺水', '还在里面',
    '还没撤出来', '需要转移',
  ],
  acute_illness: [
    '晕倒', '晕过去', '昏迷', '叫不醒', '不省人事', '吐血', '大出血', '抽起来', '抽搐', '喘不上气', '快不行了', '病危',
    '口吐白沫', '一动不动', '摔倒', '起不来', '抽筋', '晕了', '昏过去', '休克', '喘不过气', '呼吸困难', '高烧不退', '叫不起来',
    '喊不醒', '醒不过来', '叫不应', '中毒',
  ],
};

export const CUE_KINDS = ['vulnerable', 'no_care', 'serious_illness', 'untreated', 'cold_weather', 'no_heating', 'life', 'hopeless'] as const;
export type CueKind = (typeof CUE_KINDS)[number];

export const CUE_WORDS: Record<CueKind, readonly string[]> = {
  vulnerable: [
    '孩子', '小孩', '娃', '儿童', '孙子', '孙女', '外甥', '侄子', '侄女', '婴儿', '老人', '老太太', '老大爷', '老汉', '老头',
    '老嬷嬷', '大娘', '大爷', '奶奶', '爷爷', '八十', '九十', '残疾', '瘫', '瘫痪', '傻子', '智障', '精神病', '精神有问题',
    '痴呆', '失能', '卧床', '老奶奶', '老爷爷', '岁的孩子', '岁的小孩', '十几岁', '十三岁', '十四岁', '十五岁', '十六岁',
    '十四了', '十五了', '十六了', '傻乎乎', '小女孩', '小男孩', '女娃', '男娃',
  ],
  no_care: [
    '没人管', '没有人管', '没人照顾', '没有人照顾', '无人照顾', '没人照看', '没人看着', '一个人在家', '自己在家', '独自在家',
    '家里没人', '就她一个人', '就他一个人', '就俺一个人', '锁在', '扔下', '撇下', '几天没见', '没出门', '喊也不应', '叫门没人应',
    '走丢', '走失', '说不清', '谁也不要', '没人带', '没人看孩子', '没人做饭', '没回来', '找不着', '没找着', '联系不上', '失联',
    '离家出走', '骗出去', '走散', '问啥都不说', '问什么都不说',
  ],
  serious_illness: [
    '癌', '癌症', '白血病', '尿毒症', '脑梗', '脑出血', '心脏病', '住院', '病重', '高烧', '发高烧', '起不来炕', '病得',
  ],
  untreated: [
    '没钱看', '没钱治', '治不起', '不治了', '没去医院', '不敢去医院', '没人送', '停药', '断药', '在家躺着', '在家里躺着', '等死',
    '家里没人', '不给治', '不给看', '不给办住院', '不让住院', '交不上押金', '押金交不上', '住不起院', '没钱住院', '离医院远',
    '送不了医院',
  ],
  cold_weather: ['天冷', '天这么冷', '冬天', '大冬天', '下雪', '零下', '冷得', '太冷', '天太冷', '下大雪', '寒潮', '降温'],
  /** "活着" with "没意思/没盼头" anywhere near: weariness of life said loosely. */
  life: ['活着', '这辈子', '人活着', '活下去', '活在世上'],
  hopeless: [
    '没意思', '没啥意思', '没盼头', '没指望', '太累了', '受够了', '没人在乎', '不想拖累', '拖累', '受罪', '遭罪', '活受罪',
  ],
  no_heating: [
    '没炉子', '没有炉子', '连个炉子', '没暖气', '没有暖气', '没棉袄', '连个棉袄', '没被子', '连床被子', '没钱买煤', '买不起煤',
    '没煤烧', '没生炉子', '没生火', '没烧炕', '炕是凉的', '没取暖',
  ],
};
