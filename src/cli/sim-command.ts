import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { createDb } from '../db/client.js';
import { createSimClient, type SimChannel } from '../sim/sim-client.js';

const CHANNEL_NAMES: Record<string, string> = { sms: '短信', voice: '电话', wecom: '企业微信' };

/** `hotline sim`: converse with the running hotline from the terminal as an SMS, voice or WeCom user. */
export function registerSimCommand(program: Command, config: () => Config): void {
  program
    .command('sim')
    .argument('<channel>', 'sms | voice | wecom')
    .option('--from <id>', 'your phone number (sms, voice) or WeCom user id', '+8613800000000')
    .option('--url <url>', 'where the hotline listens', 'http://127.0.0.1:3000')
    .description('talk to the running hotline; requests are signed as Twilio and WeCom sign them. Voice: a line of digits/*/# is keyed, other text is spoken')
    .action(async (channel: string, opts: { from: string; url: string }) => {
      if (!['sms', 'voice', 'wecom'].includes(channel)) throw new Error('channel must be sms, voice or wecom');
      const c = config();
      const db = channel === 'wecom' ? createDb(c.databaseUrl) : undefined;
      const client = createSimClient({
        baseUrl: opts.url.replace(/\/+$/, ''),
        publicBaseUrl: c.http.publicBaseUrl,
        channel: channel as SimChannel,
        from: opts.from,
        to: c.twilio?.numbers.civil,
        twilio: c.twilio,
        wecom: c.wecom,
        db,
      });
      const show = (lines: string[]) => lines.forEach((l) => console.log(`热线> ${l}`));
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
      rl.setPrompt('您> ');
      const how = channel === 'voice' ? '输入文字即“说话”，输入一串数字/*/# 即按键' : '输入文字按回车发送';
      console.log(`已连接 ${opts.url}（${CHANNEL_NAMES[channel]}，${opts.from}）。${how}；输入 /quit 退出。`);
      try {
        show(await client.start());
        if (client.ended) return console.log('（通话已结束，模拟器退出）');
        rl.prompt();
        for await (const line of rl) {
          if (line.trim() === '/quit') break;
          if (line.trim() !== '') show(await client.send(line));
          if (client.ended) {
            console.log('（通话已结束，模拟器退出）');
            break;
          }
          rl.prompt();
        }
      } finally {
        rl.close();
        await db?.$disconnect();
      }
    });
}
