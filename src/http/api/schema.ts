import { z } from 'zod';
import { jsonSchema } from '../../json-schema.js';

export { jsonSchema };

export const TrackingParams = jsonSchema(z.object({ trackingNumber: z.string().regex(/^[0-9A-Za-z-]{4,40}$/) }));
export const IdParams = jsonSchema(z.object({ id: z.uuid() }));
export const ReasonBody = z.object({ reason: z.string().describe('为什么需要查看完整个人信息，例如“回访核实身份” / why the full data is needed') });

/** Every staff API route: a bearer token from `hotline staff add`. */
export const bearer = [{ bearerAuth: [] }];
