/**
 * Common Chinese surnames (simplified), enough to tell "我是王秀英" (a name) from
 * "我是他女儿" or "我是低保户" (not a name). Characters that are mostly function words
 * (和, 都, 来, 但, 由) are left out on purpose: they start far more phrases than names.
 */
const SINGLE =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼满闻厉伊仝郜阚权帅屠朴盖练廉禹井祖漆巴丰支卿狄计索宣晋初门容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况宿逯隆茹战慕亢嵇湛宾戎茅揭尉冶檀衣展昝幸奉衡富尧';

const COMPOUND = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯', '长孙', '宇文', '轩辕', '端木', '独孤', '南宫', '呼延', '西门'];

const singles = new Set(SINGLE);

/** Length of the surname the text starts with (2 for a compound surname), or 0. */
export function surnameLength(text: string): number {
  if (COMPOUND.some((s) => text.startsWith(s))) return 2;
  return singles.has(text[0] ?? '') ? 1 : 0;
}
