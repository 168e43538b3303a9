import type { Channel } from '../domain/messages.js';

/**
 * SMS and voice share the phone number, so a dropped call can be finished by SMS;
 * WeCom members and WeChat customers are identified by their own ids.
 */
export function identityKind(channel: Channel): 'phone' | 'wecom_user' | 'wechat_external' | 'console' {
  switch (channel) {
    case 'sms':
    case 'voice':
      return 'phone';
    case 'wecom_app':
      return 'wecom_user';
    case 'wecom_kf':
      return 'wechat_external';
    case 'console':
      return 'console';
  }
}
