package nnlab.loss;

import nnlab.math.Matrix;

/** A loss value and its gradient with respect to the scores it was computed from. */
public record LossResult(double loss, Matrix dscores) {
}
