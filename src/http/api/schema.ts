import { z } from 'zod';

/**
 * Route schemas come from the same zod schemas the domain functions check, so the OpenAPI document at /docs and
 * Fastify's request validation cannot drift from what the functions accept.
 */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return rest;
}

export const TrackingParams = jsonSchema(z.object({ trackingNumber: z.string().regex(/^[0-9A-Za-z-]{4,40}$/) }));
export const IdParams = jsonSchema(z.object({ id: z.uuid() }));
export const ReasonBody = z.object({ reason: z.string().describe('为什么需要查看完整个人信息，例如“回访核实身份” / why the full data is needed') });

/** Every staff API route: a bearer token from `hotline staff add`. */
export const bearer = [{ bearerAuth: [] }];
