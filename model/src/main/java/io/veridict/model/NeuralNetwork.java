package io.veridict.model;

import java.util.List;

/**
 * A feed-forward network of dense layers: {@code h_{k+1} = act_k(W_k h_k + b_k)}; the last layer
 * has one output (the margin) and no activation (a final sigmoid is the {@link Link#LOGISTIC}
 * link).
 *
 * @param featureNames input names, in order
 * @param layers at least one; layer 0 takes {@code featureNames().size()} inputs
 * @param link how the margin becomes a prediction
 */
public record NeuralNetwork(List<String> featureNames, List<DenseLayer> layers, Link link)
    implements FloatModel {
  public NeuralNetwork {
    featureNames = List.copyOf(featureNames);
    layers = List.copyOf(layers);
    if (featureNames.isEmpty() || layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs inputs and at least one layer");
    }
    int in = featureNames.size();
    for (int k = 0; k < layers.size(); k++) {
      DenseLayer l = layers.get(k);
      if (l.inputs() != in) {
        throw new IllegalArgumentException(
            "layer " + k + " takes " + l.inputs() + " inputs but receives " + in);
      }
      in = l.outputs();
    }
    DenseLayer last = layers.get(layers.size() - 1);
    if (last.outputs() != 1 || last.activation() != Activation.NONE) {
      throw new IllegalArgumentException(
          "the last layer must have one output and no activation (got " + last.outputs()
              + " outputs, " + last.activation() + ")");
    }
  }

  @Override
  public double margin(double[] x) {
    FloatModel.checkLength(this, x);
    FloatModel.checkNoMissing(x, "neural-network");
    double[] h = x;
    for (DenseLayer l : layers) {
      h = l.apply(h);
    }
    return h[0];
  }

  /** An activation applied after a dense layer. */
  public enum Activation {
    NONE,
    RELU
  }

  /**
   * One dense layer: {@code out[j] = act(bias[j] + sum_i weights[j][i] * in[i])}.
   *
   * @param weights {@code [outputs][inputs]}
   * @param bias one per output
   */
  public record DenseLayer(double[][] weights, double[] bias, Activation activation) {
    public DenseLayer {
      if (weights.length == 0 || weights[0].length == 0 || bias.length != weights.length) {
        throw new IllegalArgumentException("a dense layer needs [out][in] weights and one bias per output");
      }
      double[][] copy = new double[weights.length][];
      for (int j = 0; j < weights.length; j++) {
        if (weights[j].length != weights[0].length) {
          throw new IllegalArgumentException("ragged weight matrix at row " + j);
        }
        copy[j] = weights[j].clone();
        for (double w : copy[j]) {
          ModelChecks.finite(w, "weight");
        }
      }
      weights = copy;
      bias = bias.clone();
      for (double b : bias) {
        ModelChecks.finite(b, "bias");
      }
    }

    public int inputs() {
      return weights[0].length;
    }

    public int outputs() {
      return weights.length;
    }

    @Override
    public double[][] weights() {
      double[][] copy = new double[weights.length][];
      for (int j = 0; j < weights.length; j++) {
        copy[j] = weights[j].clone();
      }
      return copy;
    }

    @Override
    public double[] bias() {
      return bias.clone();
    }

    /** Weight {@code [out][in]} without copying. */
    public double weight(int out, int in) {
      return weights[out][in];
    }

    /** Bias {@code [out]} without copying. */
    public double biasAt(int out) {
      return bias[out];
    }

    double[] apply(double[] in) {
      double[] out = new double[weights.length];
      for (int j = 0; j < out.length; j++) {
        double s = bias[j];
        for (int i = 0; i < in.length; i++) {
          s += weights[j][i] * in[i];
        }
        out[j] = activation == Activation.RELU ? Math.max(0, s) : s;
      }
      return out;
    }
  }
}
