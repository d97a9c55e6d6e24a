export const bookinfoNs = 'default';

/** The subsets each Bookinfo service needs in L03 (a route will use these) and may have. */
export const bookinfoSubsets: Record<string, { required: string[]; optional: string[] }> = {
  productpage: { required: ['v1'], optional: [] },
  reviews: { required: ['v1', 'v2', 'v3'], optional: [] },
  ratings: { required: ['v1'], optional: ['v2'] },
  details: { required: ['v1'], optional: ['v2'] },
};
