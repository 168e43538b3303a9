import type { FastifySchemaValidationError } from 'fastify';

/**
 * A request the route's JSON schema refused (a bad body, query or path), told in Chinese: which field and what is
 * wrong with it. The code stays `invalid_request`; each problem is also given machine-readable (field, rule, params)
 * for API clients. Fastify's validator (ajv) stops at the first problem, so there is usually one.
 */
export type ValidationProblem = {
  /** Where, as a path from the request part: `body.note`, `querystring.period`, `params.id`, `body.items[0]`. */
  field: string;
  /** The JSON-schema keyword that failed: required, type, maxLength, enum… */
  rule: string;
  /** ajv's parameters for the rule: { limit }, { allowedValues }, { missingProperty }… */
  params: Record<string, unknown>;
  /** The same problem in Chinese, for this field alone. */
  message: string;
};

export type DescribedValidation = { message: string; details: { in: string; problems: ValidationProblem[] } };

type Schema = Record<string, unknown>;

const PART: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };

const TYPE: Record<string, string> = {
  string: '文字（字符串）',
  number: '数字',
  integer: '整数',
  boolean: '是或否（true / false）',
  object: '对象（JSON 对象）',
  array: '列表（数组）',
  null: '空值（null）',
};

const FORMAT: Record<string, string> = {
  date: '日期，如 2026-10-01',
  'date-time': '日期时间，如 2026-10-01T09:00:00+08:00',
  time: '时间，如 09:00:00',
  email: '电子邮箱地址',
  uri: '网址',
  url: '网址',
  uuid: '编号（UUID，如 123e4567-e89b-42d3-a456-426614174000）',
  ipv4: 'IP 地址',
  ipv6: 'IP 地址',
};

/** A name from the request (an unknown property) is echoed back cut short. */
const clip = (s: string, max = 40) => (s.length > max ? `${s.slice(0, max)}…` : s);
const shown = (v: unknown) => (typeof v === 'string' ? clip(v) : clip(JSON.stringify(v) ?? String(v)));

/** `/items/0/note` → `.items[0].note` (JSON-pointer segments, ~1 and ~0 decoded). */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${clip(seg)}`))
    .join('');
}

/** The subschema a schemaPath (`#/properties/note/maxLength`) points into, without its last segment; undefined when it can't be followed ($ref…). */
function schemaAt(root: unknown, schemaPath: string): Schema | undefined {
  const segs = schemaPath.replace(/^#/, '').split('/').slice(1, -1).map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  for (const seg of segs) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Schema)[seg];
  }
  return node && typeof node === 'object' ? (node as Schema) : undefined;
}

/** A Chinese label the schema gives the field: its `title`, or a description that is a short label (not a sentence). */
function labelOf(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  if (typeof schema.title === 'string' && schema.title.trim()) return clip(schema.title.trim());
  const described = typeof schema.description === 'string' ? schema.description.split(' / ')[0]!.trim() : '';
  return described.length <= 12 && /[\u4e00-\u9fff]/.test(described) && !/[，。；：,.;:|（(]/.test(described) ? described : undefined;
}

function describeOne(e: FastifySchemaValidationError, part: string, root: unknown): ValidationProblem {
  const p = (e.params ?? {}) as Record<string, unknown>;
  let pointer = e.instancePath ?? '';
  let schema = schemaAt(root, e.schemaPath ?? '');
  // required and additionalProperties fail on the object; the field is the property it names.
  const named = e.keyword === 'required' ? p.missingProperty : e.keyword === 'additionalProperties' ? p.additionalProperty : undefined;
  if (typeof named === 'string') {
    pointer = `${pointer}/${named.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const props = schema?.properties as Record<string, Schema> | undefined;
    schema = props && typeof props[named] === 'object' ? props[named] : undefined;
  }
  const field = `${part}${pathOf(pointer)}`;
  const label = labelOf(schema);
  const who = pointer === '' ? (PART[part] ?? part) : label ? `“${label}”（${field}）` : field;
  // A space after a path (body.note 太长), none after Chinese (请求体的类型不对).
  const f = /[\u4e00-\u9fff）”]$/.test(who) ? who : `${who} `;
  const limit = p.limit;
  let message: string;
  switch (e.keyword) {
    case 'required':
      message = `缺少必填字段 ${who}`;
      break;
    case 'type': {
      const types = String(p.type ?? '').split(',').map((t) => TYPE[t] ?? t);
      message = `${f}的类型不对：应为${types.join('或')}`;
      break;
    }
    case 'minLength':
      message = Number(limit) <= 1 ? `${f}不能为空` : `${f}太短：至少 ${limit} 个字`;
      break;
    case 'maxLength':
      message = `${f}太长：最多 ${limit} 个字`;
      break;
    case 'minimum':
    case 'exclusiveMinimum':
      message = p.comparison === '>' ? `${f}太小：必须大于 ${limit}` : `${f}太小：不能小于 ${limit}`;
      break;
    case 'maximum':
    case 'exclusiveMaximum':
      message = p.comparison === '<' ? `${f}太大：必须小于 ${limit}` : `${f}太大：不能大于 ${limit}`;
      break;
    case 'minItems':
      message = Number(limit) <= 1 ? `${f}不能为空列表` : `${f}项数太少：至少 ${limit} 项`;
      break;
    case 'maxItems':
      message = `${f}项数太多：最多 ${limit} 项`;
      break;
    case 'enum': {
      const values = Array.isArray(p.allowedValues) ? p.allowedValues : [];
      const list = values.slice(0, 20).map(shown).join('、') + (values.length > 20 ? ' 等' : '');
      message = `${f}不在可选值内：应为 ${list} 之一`;
      break;
    }
    case 'const':
      message = `${f}只能是 ${shown(p.allowedValue)}`;
      break;
    case 'format':
    case 'pattern': {
      // A pattern next to a format (an id: format uuid plus its regex) is told by the format, not the regex.
      const format = typeof p.format === 'string' ? p.format : typeof schema?.format === 'string' ? schema.format : undefined;
      message = format
        ? `${f}格式不对：应为${FORMAT[format] ?? ` ${format} 格式`}`
        : `${f}格式不对：应符合 ${clip(String(p.pattern ?? ''), 80)}`;
      break;
    }
    case 'additionalProperties':
      message = `${f}是不接受的字段，请删去`;
      break;
    case 'multipleOf':
      message = `${f}应为 ${shown(p.multipleOf)} 的整数倍`;
      break;
    case 'uniqueItems':
      message = `${f}有重复项（第 ${Number(p.j) + 1} 项与第 ${Number(p.i) + 1} 项相同）`;
      break;
    case 'anyOf':
    case 'oneOf':
      message = `${f}不符合任何一种可接受的写法`;
      break;
    default:
      message = `${f}的内容不符合要求，请检查后重试`;
  }
  return { field, rule: e.keyword, params: p, message };
}

/**
 * The Chinese answer to a schema-validation failure. `routeSchema` is the part's schema (`req.routeOptions.schema.body`
 * …), used only for a field's Chinese label; `english` is fastify's own message, kept after " / " as in every other
 * bilingual error message of the API.
 */
export function describeValidation(
  errors: FastifySchemaValidationError[],
  part: string | undefined,
  routeSchema: unknown,
  english?: string,
): DescribedValidation {
  const where = part ?? 'body';
  const problems = errors.map((e) => describeOne(e, where, routeSchema));
  const told = problems.length ? problems.map((p) => p.message).join('；') : `${PART[where] ?? where}的内容不符合要求`;
  const message = `请求有误：${told}。请改正后重新提交${english ? ` / ${english}` : ''}`;
  return { message, details: { in: where, problems } };
}
