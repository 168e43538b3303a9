import { html } from '../html.js';
import { page, type PageContext } from '../layout.js';

/** An error as a page: what went wrong in plain words and the way back; `code` is the API's code for it, on the alert. */
export function errorPage(ctx: PageContext, title: string, message: string, back: string | undefined, code?: string): string {
  return page(
    { ...ctx, error: message, errorCode: code },
    title,
    html`<p class="actions">${back ? html`<a class="button" href="${back}">返回上一页修改</a>` : ''}<a class="button secondary" href="/console">回到首页</a></p>`,
  );
}
