export * from './lab-schema';
export { LabLoadError } from './lab-load-error';
export { defaultLabsDir, findStep, loadLab, loadLabs, type FoundStep } from './load-labs';
export { judgePrediction, type ObservedValue, type PredictionVerdict } from './judge-prediction';
