import { z } from 'zod';

/**
 * Route schemas come from the same zod schemas the domain functions check, so the OpenAPI document at /docs and
 * Fastify's request validation cannot drift from what the functions accept.
 */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return rest;
}
