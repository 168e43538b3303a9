import { html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';

export function loginPage(ctx: PageContext, next: string): string {
  return page(
    ctx,
    '工作人员登录',
    html`<div class="card narrow">
<p>请输入系统管理员为您生成的登录令牌。令牌只显示一次，请妥善保管，不要告诉他人。</p>
<form method="post" action="/console/login">
${csrfField(ctx)}
<input type="hidden" name="next" value="${next}">
<label for="token">登录令牌</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<div class="actions"><button type="submit">登录</button></div>
</form></div>`,
  );
}
