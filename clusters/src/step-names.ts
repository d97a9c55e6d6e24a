// The pipeline's step names (docs/learner-environment.md), apart from the steps themselves so config can validate them.

export const kindSteps = [
  'doctor',
  'create-cluster',
  'preload-images',
  'core-dns',
  'install-istio',
  'injector-ready',
  'label-ns',
  'bookinfo',
  'addons',
  'toolbox',
  'smoke',
] as const;
export type StepName = (typeof kindSteps)[number];

/** An `existing` cluster was made elsewhere: no create, no image preload, and its DNS is its own business. */
export const existingSteps: readonly StepName[] = [
  'doctor',
  'install-istio',
  'injector-ready',
  'label-ns',
  'bookinfo',
  'addons',
  'toolbox',
  'smoke',
];
