import { z } from 'zod';
import type { MixResult, ReviewsVersion } from '../probes';

const reviewsAnswerSchema = z.looseObject({
  podname: z.string().optional(),
  reviews: z
    .array(z.looseObject({ rating: z.looseObject({ color: z.string().optional() }).optional() }))
    .optional(),
});

export function emptyMix(): MixResult {
  return { sent: 0, answered: 0, counts: { v1: 0, v2: 0, v3: 0 }, unknown: 0, failures: {}, colours: { v1: [], v2: [], v3: [] } };
}

/**
 * Adds one answer of `/api/v1/products/0/reviews` to the tally: the version comes from the pod
 * name (`reviews-v2-…`); the rating colour (none = v1, black = v2, red = v3) is kept to cross-check.
 */
export function addReviewsAnswer(mix: MixResult, status: number, body: string): void {
  mix.sent += 1;
  if (status !== 200) {
    mix.failures[String(status)] = (mix.failures[String(status)] ?? 0) + 1;
    return;
  }
  let parsed: z.infer<typeof reviewsAnswerSchema> | undefined;
  try {
    const result = reviewsAnswerSchema.safeParse(JSON.parse(body));
    parsed = result.success ? result.data : undefined;
  } catch {
    parsed = undefined;
  }
  const version = /^reviews-(v[123])-/.exec(parsed?.podname ?? '')?.[1] as ReviewsVersion | undefined;
  if (!version) {
    mix.unknown += 1;
    return;
  }
  mix.answered += 1;
  mix.counts[version] += 1;
  const colour = parsed?.reviews?.find((r) => r.rating?.color)?.rating?.color ?? 'none';
  if (!mix.colours[version].includes(colour)) mix.colours[version].push(colour);
}

/** "v1 20/20" style summary for assertion `actual` fields. */
export function describeMix(mix: MixResult): string {
  const parts = (['v1', 'v2', 'v3'] as const).map((v) => `${v} ${mix.counts[v]}`);
  const failures = Object.entries(mix.failures).map(([s, n]) => `HTTP ${s === '0' ? 'no answer' : s} ×${n}`);
  const unknown = mix.unknown ? [`unrecognised ×${mix.unknown}`] : [];
  return `${parts.join(', ')} of ${mix.sent} requests${[...failures, ...unknown].length ? ` (${[...failures, ...unknown].join(', ')})` : ''}`;
}
