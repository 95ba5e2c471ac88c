// The recipe of the bundled intent model (models/intent/intent.onnx). Changing anything here
// changes the model: run `npm run train:intent` and commit the model with the change.
import { DEFAULT_INTENT_FEATURIZER_PARAMS } from '../../common/intent/intentFeaturizerParams';
import type { IntentTrainingConfig } from '../../common/intent/trainIntentClassifier';

export const INTENT_TRAINING_CONFIG: IntentTrainingConfig = {
  seed: 20261122,
  featurizer: DEFAULT_INTENT_FEATURIZER_PARAMS,
  batchSize: 32,
  learningRate: 0.05,
  maxEpochs: 20,
  grid: {
    l2: [3e-5, 1e-4, 3e-4],
    classWeights: ['balanced'],
    augmented: [false, true],
  },
  thresholdCandidates: [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9],
  thresholdTargetAccuracy: 0.95,
};
