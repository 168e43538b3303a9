/**
 * Words for family members, as residents say them: a spouse (老婆, 老头子, 当家的, 孩子他爸),
 * parents, children and the wider family. Who applies for whom is read from these
 * ("俺是他老婆" is a family member applying).
 */
/** The husband or wife, however said: one person in a household ("俺老伴" and "俺对象" are the same one). */
export const SPOUSE_WORDS = [
  '老伴', '老婆', '老公', '老头子', '老头', '老婆子', '老太婆', '媳妇', '爱人', '对象', '丈夫', '妻子', '男人', '汉子', '当家的', '孩子他爸', '孩子他爹', '孩子他妈', '孩子他娘',
] as const;

export const KINSHIP_WORDS = [
  '家属', '家人', '亲戚',
  ...SPOUSE_WORDS,
  '父亲', '母亲', '爸', '妈', '爹', '娘', '公公', '婆婆', '岳父', '岳母', '丈人', '丈母娘',
  '孩子', '儿子', '儿媳', '儿', '女儿', '闺女', '女婿', '孙', '外孙',
  '爷', '奶', '姥', '哥', '姐', '弟', '妹', '叔', '婶', '舅', '姨', '侄', '外甥', '嫂', '姑',
] as const;

/** Any family word, longest first so 老头子 is read before 老头. */
export const KINSHIP = new RegExp([...KINSHIP_WORDS].sort((a, b) => b.length - a.length).join('|'));
