import { describe, expect, it } from 'vitest';
import { CountyDirectory } from '../../../src/directory/schema.js';
import { matchPlace } from '../../../src/dialogs/understand/index.js';
import { lanshan } from './lanshan.js';

const codes = (text: string, directory: CountyDirectory = lanshan) => {
  const match = matchPlace(text, directory);
  return { township: match.township?.code, village: match.village?.code, address: match.address };
};

describe('matchPlace', () => {
  it.each([
    ['枣园', 'zaoyuan'],
    ['枣园镇', 'zaoyuan'],
    ['在银雀山那边', 'yinqueshan'],
    ['半程镇的', 'bancheng'],
    ['金雀山街办', 'jinqueshan'],
    ['柳青街道', 'liuqing'],
    ['向阳那边', 'xiangyang'],
    ['我是义堂的', 'yitang'],
    ['李官', 'liguan'],
    ['方城镇', 'fangcheng'],
    ['住在汪沟', 'wanggou'],
    ['临沂市兰山区兰山街道', 'lanshan'],
    ['临沂市兰山区枣园镇', 'zaoyuan'],
    ['白沙布', 'baishabu'],
    ['马场湖镇', 'machanghu'],
    ['棗園鎮', 'zaoyuan'],
  ])('%s → township %s', (text, township) => {
    expect(codes(text)).toEqual({ township, village: undefined, address: undefined });
  });

  it('matches a village with its township, and a village alone implies its township', () => {
    expect(codes('住枣园镇东鲁村')).toEqual({ township: 'zaoyuan', village: 'donglu', address: undefined });
    expect(codes('棗園鎮東魯村')).toEqual({ township: 'zaoyuan', village: 'donglu', address: undefined });
    expect(codes('东鲁村')).toEqual({ township: 'zaoyuan', village: 'donglu', address: undefined });
    expect(codes('东鲁')).toEqual({ township: 'zaoyuan', village: 'donglu', address: undefined });
    expect(codes('我是王庄的')).toEqual({ township: 'zaoyuan', village: 'wangzhuang', address: undefined });
    expect(codes('诸葛村')).toEqual({ township: 'baishabu', village: 'zhuge', address: undefined });
    expect(codes('马场湖镇新庄')).toEqual({ township: 'machanghu', village: 'xinzhuang', address: undefined });
    expect(codes('兰山街道西河社区')).toEqual({ township: 'lanshan', village: 'xihe', address: undefined });
    expect(codes('前十里堡那边')).toEqual({ township: 'yinqueshan', village: 'qianshifo', address: undefined });
  });

  it('tells a township from its seat village of the same name', () => {
    expect(codes('枣园村')).toEqual({ township: 'zaoyuan', village: 'zaoyuan_c', address: undefined });
    expect(codes('银雀山社区')).toEqual({ township: 'yinqueshan', village: 'yinqueshan_sq', address: undefined });
    expect(codes('在银雀山')).toEqual({ township: 'yinqueshan', village: undefined, address: undefined });
  });

  it('keeps the address detail the resident gave', () => {
    expect(matchPlace('东鲁村3组12号', lanshan)).toEqual({
      township: { code: 'zaoyuan', name: '枣园镇' },
      village: { code: 'donglu', name: '东鲁村' },
      address: '东鲁村3组12号',
    });
    expect(codes('住枣园镇东鲁村第二排5号，想申请低保')).toEqual({
      township: 'zaoyuan', village: 'donglu', address: '东鲁村第二排5号',
    });
    expect(codes('枣园镇幸福路8号')).toEqual({ township: 'zaoyuan', village: undefined, address: '枣园镇幸福路8号' });
    expect(codes('地址：临沂市解放路8号')).toEqual({ township: undefined, village: undefined, address: '临沂市解放路8号' });
  });

  it('follows a correction', () => {
    expect(codes('不是枣园，是半程')).toEqual({ township: 'bancheng', village: undefined, address: undefined });
  });

  it('does not take ordinary words for short village names', () => {
    expect(codes('我儿子在西安打工')).toEqual({ township: undefined, village: undefined, address: undefined });
    expect(codes('我是湖北人')).toEqual({ township: undefined, village: undefined, address: undefined });
    expect(codes('我叫张家明')).toEqual({ township: undefined, village: undefined, address: undefined });
  });

  it('does not take the county (兰山区) for 兰山街道', () => {
    expect(codes('兰山区')).toEqual({ township: undefined, village: undefined, address: undefined });
  });

  it('drops a village that is not in the township named', () => {
    expect(codes('枣园镇西河社区')).toEqual({ township: 'zaoyuan', village: undefined, address: undefined });
  });

  it('works for another county file without aliases, from the names alone', () => {
    const bare = CountyDirectory.parse({
      ...lanshan,
      townships: lanshan.townships.map((t) => ({
        ...t,
        aliases: [],
        villages: t.villages.map((v) => ({ ...v, aliases: [] })),
      })),
    });
    expect(codes('在枣园那边', bare)).toEqual({ township: 'zaoyuan', village: undefined, address: undefined });
    expect(codes('义堂镇北湖', bare)).toEqual({ township: 'yitang', village: 'beihu', address: undefined });
  });

  it('gives the same answer on repeated calls with the cached index', () => {
    const first = matchPlace('住枣园镇东鲁村', lanshan);
    for (let i = 0; i < 100; i++) expect(matchPlace('住枣园镇东鲁村', lanshan)).toEqual(first);
  });
});
