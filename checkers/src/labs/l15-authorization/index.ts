import type { StepCheck } from '../../check-api';
import { allowNothing } from './allow-nothing';
import { denyPost } from './deny-post';
import { detailsReviewsViewer } from './details-reviews-viewer';
import { productpageViewer } from './productpage-viewer';
import { ratingsViewer } from './ratings-viewer';

export const checks: StepCheck[] = [allowNothing, productpageViewer, detailsReviewsViewer, ratingsViewer, denyPost];
