/** Chinese characters in a text: how much was said in words, leaving digits, Latin and punctuation aside. */
export const hanLength = (text: string): number => text.replace(/[^\u4e00-\u9fff]/g, '').length;
