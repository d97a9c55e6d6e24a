import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { currentLearnerId } from '../learner/current-learner';
import { logger } from '../observability/logger';
import { portalMetrics } from '../observability/portal-metrics';
import { touchLearner } from '../progress/progress-store';
import { portal, type PortalServices } from '../portal-services';
import { ApiError, errorBody } from './api-error';

export interface LearnerRequest<P> {
  request: Request;
  params: P;
  learnerId: string;
  services: PortalServices;
}

/**
 * Wraps a route handler: resolves the learner from the signed cookie, maps domain errors to HTTP
 * once, and logs unexpected errors with ids while answering generically.
 */
export function learnerRoute<P>(handler: (req: LearnerRequest<P>) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<P> }) => {
    const requestId = crypto.randomUUID();
    try {
      const learnerId = await currentLearnerId(await cookies());
      if (!learnerId) throw new ApiError('not-allowed', 'no learner session: reload the page to get one');
      const services = await portal();
      await touchLearner(services.db, learnerId);
      const body = await handler({ request, params: await context.params, learnerId, services });
      return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError('internal', `unexpected error (request ${requestId})`);
      if (!(error instanceof ApiError)) logger().error({ err: error, requestId, url: request.url }, 'api handler failed');
      portalMetrics().apiErrors.inc({ code: apiError.code });
      return NextResponse.json(errorBody(apiError.code, apiError.message), { status: apiError.status });
    }
  };
}

/** Reads a JSON body (bounded) and validates it, naming the bad field. */
export async function jsonBody<T>(request: Request, schema: import('zod').ZodType<T>, what: string): Promise<T> {
  const text = await request.text();
  if (text.length > 64 * 1024) throw new ApiError('invalid-input', `${what}: body larger than 64 KiB`);
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError('invalid-input', `${what}: body is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ApiError.fromZod(what, parsed.error);
  return parsed.data;
}
