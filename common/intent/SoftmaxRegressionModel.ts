// A multinomial logistic regression over sparse features: what trainSoftmaxRegression produces,
// predictProba evaluates and exportIntentOnnx writes out as an ONNX graph.

export interface SoftmaxRegressionModel {
  readonly classCount: number;
  /** Width of the feature vectors (the featurizer's bucket count). */
  readonly dimension: number;
  /** Row-major [classCount × dimension]: row k holds class k's weights. */
  readonly weights: Float32Array;
  /** [classCount]. */
  readonly bias: Float32Array;
  /** Logits are divided by this before the softmax; 1 until fitTemperature calibrates it. */
  readonly temperature: number;
}
