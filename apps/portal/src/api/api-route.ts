import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { currentLearnerId } from '../learner/current-learner';
import { logger } from '../observability/logger';
import { portalMetrics } from '../observability/portal-metrics';
import { portalConfig } from '../portal-config';
import { touchLearner } from '../progress/progress-store';
import { portal, type PortalServices } from '../portal-services';
import { ApiError, errorBody } from './api-error';
import { domainErrorToApiError } from './domain-errors';
import { assertJsonContentType, assertSameOrigin, portalOrigin } from './request-guards';

export { jsonBody } from './json-body';

export interface LearnerRequest<P> {
  request: Request;
  params: P;
  learnerId: string;
  services: PortalServices;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Answers an error as JSON: the one place where an error becomes an HTTP status. */
export function errorResponse(error: unknown, request: Request, requestId: string): NextResponse {
  const apiError = error instanceof ApiError ? error : domainErrorToApiError(error);
  if (!apiError) logger().error({ err: error, requestId, url: request.url }, 'api handler failed');
  const answer = apiError ?? new ApiError('internal', `unexpected error (request ${requestId})`);
  portalMetrics().apiErrors.inc({ code: answer.code });
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (answer.retryAfterSeconds !== undefined) headers['retry-after'] = String(answer.retryAfterSeconds);
  return NextResponse.json(errorBody(answer.code, answer.message, answer.details), { status: answer.status, headers });
}

/**
 * The one wrapper every API route goes through: refuses state-changing requests from other origins
 * or without JSON (CSRF), then resolves who is asking (`identify` throws ApiError when nobody
 * acceptable is), runs the handler and maps errors to HTTP once. A handler may answer a Response of
 * its own (an event stream, a CSV); anything else is sent as JSON.
 */
export function guardedRoute<Who, P>(identify: (request: Request) => Promise<Who>, handler: (req: { request: Request; params: P } & Who) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<P> }) => {
    const requestId = crypto.randomUUID();
    try {
      if (!safeMethods.has(request.method)) {
        assertSameOrigin(request, portalOrigin(request, portalConfig().PORTAL_PUBLIC_URL));
        assertJsonContentType(request);
      }
      const who = await identify(request);
      const body = await handler({ request, params: await context.params, ...who });
      if (body instanceof Response) return body;
      return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      return errorResponse(error, request, requestId);
    }
  };
}

/** A learner's route: the signed learner cookie names who asks. */
export function learnerRoute<P>(handler: (req: LearnerRequest<P>) => Promise<unknown>) {
  return guardedRoute<{ learnerId: string; services: PortalServices }, P>(async () => {
    const learnerId = await currentLearnerId(await cookies());
    if (!learnerId) throw new ApiError('not-allowed', 'no learner session: reload the page to get one');
    const services = await portal();
    await touchLearner(services.db, learnerId);
    return { learnerId, services };
  }, handler);
}

/** The same guards without a session (instructor sign-in, which makes the session). */
export function publicRoute<P>(handler: (req: { request: Request; params: P }) => Promise<unknown>) {
  return guardedRoute<object, P>(async () => ({}), handler);
}
