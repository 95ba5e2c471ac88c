// The whole training recipe of the bundled intent model, from the fixed split to ONNX bytes, as one
// deterministic pure function (npm run train:intent wraps it with file I/O; the determinism test
// runs it twice). Everything that is chosen is chosen on the validation split only:
// 1. featurize train and validation once with the configured featurizer;
// 2. for every grid point (L2 strength × class weighting × with/without the augmented typo copies)
//    train up to maxEpochs with the seeded trainer and score the model after every epoch on
//    validation: macro-F1, then the lower log-loss, then the earlier point, wins;
// 3. fit the softmax temperature on the winner's validation logits;
// 4. pick the uncertainty threshold: the lowest candidate at which the calibrated predictions at or
//    above it are right at least thresholdTargetAccuracy of the time on validation;
// 5. export ONNX with labels, featurizer, temperature, threshold, hyperparameters, data hash and
//    validation metrics in its metadata.
import { computeIntentMetrics, expectedCalibrationError } from './computeIntentMetrics';
import type { IntentDataExample } from './assembleIntentData';
import { countIntentLabels } from './assembleIntentData';
import { exportIntentOnnx } from './exportIntentOnnx';
import { featurizeIntent } from './featurizeIntent';
import { fitTemperature } from './fitTemperature';
import type { IntentFeaturizerParams } from './intentFeaturizerParams';
import { INTENT_LABELS } from './intentLabels';
import type { IntentLabel } from './intentLabels';
import { INTENT_METADATA_KEY, intentModelMetadataSchema } from './intentModelMetadata';
import type { IntentModelMetadata, IntentTrainingInfo, IntentValidationMetrics } from './intentModelMetadata';
import { computeLogits, softmax } from './predictProba';
import { readOnnxMetadata } from './readOnnxMetadata';
import type { SoftmaxRegressionModel } from './SoftmaxRegressionModel';
import { trainSoftmaxRegression } from './trainSoftmaxRegression';
import type { SoftmaxTrainingExample } from './trainSoftmaxRegression';

export interface IntentTrainingConfig {
  readonly seed: number;
  readonly featurizer: IntentFeaturizerParams;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Each grid point trains this long and is scored after every epoch (early stopping on validation). */
  readonly maxEpochs: number;
  readonly grid: {
    readonly l2: readonly number[];
    readonly classWeights: readonly ('balanced' | 'uniform')[];
    /** Whether the augmented typo copies of the train split are used. */
    readonly augmented: readonly boolean[];
  };
  readonly thresholdCandidates: readonly number[];
  readonly thresholdTargetAccuracy: number;
}

export interface IntentSearchPoint {
  readonly l2: number;
  readonly classWeights: 'balanced' | 'uniform';
  readonly augmented: boolean;
  readonly epochs: number;
  readonly macroF1: number;
  readonly accuracy: number;
  readonly logLoss: number;
}

export interface TrainIntentClassifierOptions {
  readonly train: readonly IntentDataExample[];
  readonly validation: readonly IntentDataExample[];
  readonly config: IntentTrainingConfig;
  /** sha256 of the split files, recorded in the metadata. */
  readonly dataSha256: string;
  readonly modelVersion: string;
  readonly producerVersion?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

export interface TrainedIntentClassifier {
  readonly bytes: Uint8Array;
  readonly metadata: IntentModelMetadata;
  readonly model: SoftmaxRegressionModel;
  /** The best epoch of every grid point, in grid order. */
  readonly search: readonly IntentSearchPoint[];
}

interface Candidate {
  readonly point: IntentSearchPoint;
  readonly model: SoftmaxRegressionModel;
}

/** Whether an example is an augmented copy rather than hand-written. */
export function isAugmentedIntentExample(example: IntentDataExample): boolean {
  return example.source.startsWith('typo:');
}

export function trainIntentClassifier(options: TrainIntentClassifierOptions): TrainedIntentClassifier {
  const { config, validation } = options;
  if (validation.length === 0) throw new RangeError('The validation split is empty; hyperparameters cannot be chosen without it');
  const toExample = (example: IntentDataExample): SoftmaxTrainingExample => ({
    features: featurizeIntent(example.text, config.featurizer),
    label: INTENT_LABELS.indexOf(example.label),
  });
  const train = options.train.map((example) => ({ example: toExample(example), augmented: isAugmentedIntentExample(example) }));
  const held = validation.map(toExample);
  const heldLabels = held.map((example) => example.label);

  let best = null as Candidate | null;
  const search: IntentSearchPoint[] = [];
  for (const augmented of config.grid.augmented) {
    const examples = train.filter((entry) => augmented || !entry.augmented).map((entry) => entry.example);
    for (const classWeights of config.grid.classWeights) {
      for (const l2 of config.grid.l2) {
        let pointBest = null as Candidate | null;
        trainSoftmaxRegression(examples, {
          classCount: INTENT_LABELS.length,
          epochs: config.maxEpochs,
          batchSize: config.batchSize,
          learningRate: config.learningRate,
          l2,
          seed: config.seed,
          ...(classWeights === 'balanced' ? { classWeights: 'balanced' as const } : {}),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onEpoch: ({ epoch, snapshot }) => {
            const model = snapshot();
            const logits = held.map((example) => computeLogits(model, example.features));
            const predicted = logits.map((row) => INTENT_LABELS[argmax(row)] ?? 'general');
            const metrics = computeIntentMetrics(
              validation.map((e) => e.label),
              predicted,
            );
            const point: IntentSearchPoint = {
              l2,
              classWeights,
              augmented,
              epochs: epoch + 1,
              macroF1: metrics.macroF1,
              accuracy: metrics.accuracy,
              logLoss: logLoss(logits, heldLabels, 1),
            };
            if (pointBest === null || isBetter(point, pointBest.point)) pointBest = { point, model };
          },
        });
        if (pointBest === null) continue;
        const { point, model } = pointBest;
        search.push(point);
        options.onProgress?.(
          `l2=${String(l2)} weights=${classWeights} augmented=${String(augmented)}: best epoch ${String(point.epochs)}, ` +
            `validation macro-F1 ${point.macroF1.toFixed(4)}, accuracy ${point.accuracy.toFixed(4)}, log-loss ${point.logLoss.toFixed(4)}`,
        );
        if (best === null || isBetter(point, best.point)) best = { point, model };
      }
    }
  }
  if (best === null) throw new RangeError('The hyperparameter grid is empty');

  const logits = held.map((example) => computeLogits(best.model, example.features));
  const temperature = fitTemperature(logits, heldLabels);
  const model: SoftmaxRegressionModel = { ...best.model, temperature };
  const probabilities = logits.map((row) => softmax(row, temperature));
  const threshold = chooseThreshold(probabilities, heldLabels, config);

  const { point } = best;
  const trainUsed = options.train.filter((example) => point.augmented || !isAugmentedIntentExample(example));
  const training: IntentTrainingInfo = {
    dataSha256: options.dataSha256,
    seed: config.seed,
    hyperparameters: {
      l2: point.l2,
      classWeights: point.classWeights,
      augmented: point.augmented,
      epochs: point.epochs,
      learningRate: config.learningRate,
      batchSize: config.batchSize,
    },
    counts: {
      train: countIntentLabels(trainUsed),
      validation: countIntentLabels(validation),
      augmented: trainUsed.filter(isAugmentedIntentExample).length,
    },
  };
  const bytes = exportIntentOnnx({
    model,
    labels: INTENT_LABELS,
    featurizer: config.featurizer,
    modelVersion: options.modelVersion,
    ...(options.producerVersion === undefined ? {} : { producerVersion: options.producerVersion }),
    uncertaintyThreshold: threshold,
    training,
    validation: summarize(probabilities, validation, threshold),
  });
  // Read back from the bytes, so the metadata returned is exactly what the file says.
  const metadata = intentModelMetadataSchema.parse(JSON.parse(readOnnxMetadata(bytes)[INTENT_METADATA_KEY] ?? 'null'));
  return { bytes, metadata, model, search };
}

/** Higher macro-F1 wins; on a tie the lower log-loss; on a tie the point seen first. */
function isBetter(candidate: IntentSearchPoint, incumbent: IntentSearchPoint): boolean {
  if (candidate.macroF1 !== incumbent.macroF1) return candidate.macroF1 > incumbent.macroF1;
  return candidate.logLoss < incumbent.logLoss;
}

function chooseThreshold(probabilities: readonly Float64Array[], labels: readonly number[], config: IntentTrainingConfig): number {
  const candidates = [...config.thresholdCandidates].sort((a, b) => a - b);
  for (const threshold of candidates) {
    let covered = 0;
    let right = 0;
    probabilities.forEach((row, i) => {
      const k = argmax(row);
      if ((row[k] ?? 0) < threshold) return;
      covered++;
      if (k === labels[i]) right++;
    });
    if (covered > 0 && right / covered >= config.thresholdTargetAccuracy) return threshold;
  }
  return candidates.at(-1) ?? 0.5;
}

function summarize(
  probabilities: readonly Float64Array[],
  validation: readonly IntentDataExample[],
  threshold: number,
): IntentValidationMetrics {
  const predicted: IntentLabel[] = probabilities.map((row) => INTENT_LABELS[argmax(row)] ?? 'general');
  const confidences = probabilities.map((row) => Math.max(...row));
  const correct = predicted.map((label, i) => label === validation[i]?.label);
  const metrics = computeIntentMetrics(
    validation.map((e) => e.label),
    predicted,
  );
  const certain = confidences.flatMap((confidence, i) => (confidence >= threshold ? [correct[i] === true] : []));
  const perClass = Object.fromEntries(
    INTENT_LABELS.map((label) => {
      const { precision, recall, f1, support } = metrics.perClass[label];
      return [label, { precision: round(precision), recall: round(recall), f1: round(f1), support }];
    }),
  );
  return {
    examples: metrics.examples,
    accuracy: round(metrics.accuracy),
    macroF1: round(metrics.macroF1),
    perClass,
    uncertainRate: round(1 - certain.length / Math.max(1, confidences.length)),
    accuracyWhenCertain: round(certain.length === 0 ? 0 : certain.filter(Boolean).length / certain.length),
    expectedCalibrationError: round(expectedCalibrationError(confidences, correct)),
  };
}

function logLoss(logits: readonly Float64Array[], labels: readonly number[], temperature: number): number {
  let total = 0;
  logits.forEach((row, i) => {
    total -= Math.log(Math.max(softmax(row, temperature)[labels[i] ?? 0] ?? 0, Number.MIN_VALUE));
  });
  return total / Math.max(1, logits.length);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if ((values[k] ?? -Infinity) > (values[best] ?? -Infinity)) best = k;
  return best;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
