"""Writes notebooks/01-spiral-softmax-vs-2layer.ipynb (run from the project root)."""
from notebook_builder import code, md, write

write("notebooks/01-spiral-softmax-vs-2layer.ipynb", [
    md("""
# The spiral: a linear softmax classifier, then a two-layer network

This notebook follows the classic "minimal neural network case study" (cs231n) one step at a time. We generate a
data set that no straight line can split, train a linear softmax classifier on it with gradient descent and watch it
fail, then add one hidden layer of ReLU units and watch the same training loop succeed.

Every gradient here is written by hand from the chain rule, so the last section checks them against finite
differences. The random numbers come from `NumpyRandom`, which reproduces numpy's `np.random.seed(0)` stream
exactly: the data and the starting weights are the same as in a numpy run with seed 0, and so are the losses.
"""),
    code("Mode.describe()"),
    md("""
## 1. Data

`K = 3` classes of `N = 100` points in `D = 2` dimensions. Class `j` lies along an arm of a spiral: its radius grows
evenly from 0 to 1 while its angle runs from `4j` to `4(j+1)` radians, plus Gaussian noise of standard deviation 0.2
on the angle. A point is `(r·sin t, r·cos t)`.

The two features already lie in [-1, 1] with mean near zero, so we skip the usual standardization.
"""),
    code("""
int N = 100, D = 2, K = 3;
NumpyRandom rng = new NumpyRandom(0);
Dataset spiral = Datasets.spiral(N, K, 0.2, rng);
Matrix X = spiral.X();     // 300 x 2, one example per row
int[] y = spiral.y();      // 300 labels in {0, 1, 2}
int n = X.rows();
X.shapeString()
"""),
    code("""Plots.scatter("Spiral data: N=100 points per class, K=3 classes", X, y)"""),
    md("""
## 2. A linear softmax classifier, piece by piece

### Parameters
A weight matrix `W` (D×K) with small random entries and a zero bias row `b` (1×K): one column of weights and one bias
per class.
"""),
    code("""
Matrix W = rng.randn(D, K).times(0.01);
Matrix b = Matrix.zeros(1, K);
W
"""),
    md("""
### Class scores
One matrix product scores all 300 examples against all 3 classes at once; the bias row is added to every row:
`scores = X·W + b`, a 300×3 matrix.
"""),
    code("""
Matrix scores = X.dot(W).addRow(b);
scores.shapeString()
"""),
    md("""
### Loss
The softmax turns a row of scores `f` into probabilities `p_k = e^{f_k} / Σ_j e^{f_j}`. The cross-entropy loss of
example `i` is `L_i = -log p_{y_i}`: near 0 when the right class gets almost all of the probability, large when it
gets little. The full loss averages it over the data and adds an L2 penalty on the weights:

$$L = \\frac{1}{n}\\sum_i L_i + \\frac{1}{2}\\lambda \\sum_{k,l} W_{k,l}^2$$

The factor ½ is there so that the penalty's gradient is simply `λW`.

`Matrix.oneHot(y, K)` is the 300×3 indicator matrix `Y` with `Y[i, y_i] = 1`, so `probs.mul(Y).rowSums()` picks each
example's probability of its own class.
"""),
    code("""
double reg = 1e-3;                          // λ, the regularization strength
Matrix Y = Matrix.oneHot(y, K);

Matrix expScores = scores.exp();
Matrix probs = expScores.divColumn(expScores.rowSums());   // each row sums to 1
Matrix correctLogProbs = probs.mul(Y).rowSums().log().times(-1);
double dataLoss = correctLogProbs.sum() / n;
double regLoss = 0.5 * reg * W.sumOfSquares();
double loss = dataLoss + regLoss;
loss
"""),
    md("""
With tiny random weights all classes get probability about 1/3, so the loss starts near `-log(1/3) = 1.0986`.

### Gradient on the scores
Working the chain rule through the softmax and the log gives a strikingly simple result:
`∂L_i/∂f_k = p_k - 1(y_i = k)`. In matrix form the gradient of the data loss with respect to the scores is
`(P - Y)/n`: the probabilities, minus one at each correct class, averaged.
"""),
    code("""
Matrix dscores = probs.sub(Y).div(n);
dscores.rowRange(0, 3)
"""),
    md("""
### Backpropagation into W and b
`scores = X·W + b`, so `dW = Xᵀ·dscores` and `db` is the column sums of `dscores`; the penalty adds `λW` to `dW`.
"""),
    code("""
Matrix dW = X.T().dot(dscores).add(W.times(reg));
Matrix db = dscores.colSums();
dW
"""),
    md("""
### One update
Gradient descent takes a step against the gradient: `W ← W - step·dW`, `b ← b - step·db`. We use a step size of 1.

### The whole loop
Put together, 200 iterations, printing the loss every 10. The exercise printed 1.096956 at iteration 0 and 0.786302
at iteration 190.
"""),
    code("""
double stepSize = 1.0;
NanGuard guard = new NanGuard();    // stops with a clear message if the loss ever becomes NaN or infinite
List<Double> linearLosses = new ArrayList<>();
long linearStart = System.nanoTime();
for (int i = 0; i < 200; i++) {
    scores = X.dot(W).addRow(b);
    expScores = scores.exp();
    probs = expScores.divColumn(expScores.rowSums());
    loss = -probs.mul(Y).rowSums().log().sum() / n + 0.5 * reg * W.sumOfSquares();
    guard.check(loss, i, stepSize);
    linearLosses.add(loss);
    if (i % 10 == 0) System.out.println(String.format("iteration %3d: loss %.6f", i, loss));

    dscores = probs.sub(Y).div(n);
    dW = X.T().dot(dscores).add(W.times(reg));
    db = dscores.colSums();
    W.addScaledInPlace(-stepSize, dW);
    b.addScaledInPlace(-stepSize, db);
}
double linearSeconds = (System.nanoTime() - linearStart) / 1e9;
"""),
    md("""
### How good is it?
The predicted class is the one with the highest score. The exercise reports 49% training accuracy.
"""),
    code("""
Matrix linearW = W, linearB = b;
double linearAccuracy = Labels.accuracy(X.dot(W).addRow(b).argmaxRows(), y);
String.format("training accuracy: %.1f%%", 100 * linearAccuracy)
"""),
    code("""
Plots.decisionRegions("Linear softmax classifier: decision regions", X, y,
        grid -> grid.dot(linearW).addRow(linearB).argmaxRows())
"""),
    md("""
The regions are three wedges bounded by straight lines: that is all a linear classifier can draw, and the spiral
arms cross every wedge.

## 3. A two-layer network

One hidden layer of `h = 100` ReLU units between the input and the scores:

`hidden = max(0, X·W1 + b1)`, `scores = hidden·W2 + b2`.

The new weights again start as `0.01·randn`, drawn from the same random stream right after the linear classifier's.
We keep copies of the starting values to train the same network again with nnlab's layer objects later.
"""),
    code("""
int h = 100;                                  // hidden units
Matrix W1 = rng.randn(D, h).times(0.01), b1 = Matrix.zeros(1, h);
Matrix W2 = rng.randn(h, K).times(0.01), b2 = Matrix.zeros(1, K);
Map<String, Matrix> initial = Map.of("W1", W1.copy(), "b1", b1.copy(), "W2", W2.copy(), "b2", b2.copy());
"""),
    md("""
### Forward pass
Only one line is new compared with the linear classifier: the hidden layer.
"""),
    code("""
Matrix hidden = X.dot(W1).addRow(b1).maximum(0);    // ReLU
scores = hidden.dot(W2).addRow(b2);
hidden.shapeString() + " hidden, " + scores.shapeString() + " scores"
"""),
    md("""
### Backward pass
The loss and `dscores` are computed exactly as before. Then:

1. **Second layer.** The same rule as for the linear classifier with `hidden` in place of `X`:
   `dW2 = hiddenᵀ·dscores`, `db2` = column sums of `dscores`.
2. **Into the hidden layer.** `hidden` feeds the scores through `W2`, so `dhidden = dscores·W2ᵀ`.
3. **Through the ReLU.** `max(0, z)` passes the gradient where `z > 0` and blocks it elsewhere: a switch.
4. **First layer.** `dW1 = Xᵀ·dhidden`, `db1` = column sums of `dhidden`.
5. **Penalty.** `λW1` and `λW2` are added to `dW1` and `dW2` (the loss penalizes both weight matrices).

We write the forward and backward pass once, as a method that returns the loss and fills in the gradients, so the
training loop and the gradient check below run the very same code.
"""),
    code("""
double twoLayerLossAndGradients(Map<String, Matrix> p, Map<String, Matrix> grads, Matrix X, int[] y, double reg) {
    int n = X.rows();
    Matrix W1 = p.get("W1"), b1 = p.get("b1"), W2 = p.get("W2"), b2 = p.get("b2");
    // forward
    Matrix hidden = X.dot(W1).addRow(b1).maximum(0);
    Matrix scores = hidden.dot(W2).addRow(b2);
    Matrix expScores = scores.exp();
    Matrix probs = expScores.divColumn(expScores.rowSums());
    Matrix Y = Matrix.oneHot(y, scores.cols());
    double dataLoss = -probs.mul(Y).rowSums().log().sum() / n;
    double regLoss = 0.5 * reg * W1.sumOfSquares() + 0.5 * reg * W2.sumOfSquares();
    // backward
    Matrix dscores = probs.sub(Y).div(n);
    Matrix dW2 = hidden.T().dot(dscores);
    Matrix db2 = dscores.colSums();
    Matrix dhidden = dscores.dot(W2.T());
    dhidden = dhidden.zip(hidden, (d, a) -> a > 0 ? d : 0.0);    // the ReLU switch
    Matrix dW1 = X.T().dot(dhidden);
    Matrix db1 = dhidden.colSums();
    grads.put("W1", dW1.add(W1.times(reg)));
    grads.put("b1", db1);
    grads.put("W2", dW2.add(W2.times(reg)));
    grads.put("b2", db2);
    return dataLoss + regLoss;
}
"""),
    md("""
### Training
10,000 iterations of full-batch gradient descent with step size 1, printing every 1000. The exercise printed
1.098744 at iteration 0 and 0.245292 at iteration 9000.
"""),
    code("""
Map<String, Matrix> net = new LinkedHashMap<>(Map.of("W1", W1, "b1", b1, "W2", W2, "b2", b2));
Map<String, Matrix> grads = new HashMap<>();
int iterations = Mode.pick(10_000, 2_000);
NanGuard twoLayerGuard = new NanGuard();
List<Double> twoLayerLosses = new ArrayList<>();
long twoLayerStart = System.nanoTime();
for (int i = 0; i < iterations; i++) {
    loss = twoLayerLossAndGradients(net, grads, X, y, reg);
    twoLayerGuard.check(loss, i, stepSize);
    twoLayerLosses.add(loss);
    if (i % 1000 == 0) System.out.println(String.format("iteration %5d: loss %.6f", i, loss));
    for (String name : net.keySet()) net.get(name).addScaledInPlace(-stepSize, grads.get(name));
}
double twoLayerSeconds = (System.nanoTime() - twoLayerStart) / 1e9;
String.format("%d iterations in %.2f s", iterations, twoLayerSeconds)
"""),
    code("""
int[] predictTwoLayer(Map<String, Matrix> p, Matrix X) {
    Matrix hidden = X.dot(p.get("W1")).addRow(p.get("b1")).maximum(0);
    return hidden.dot(p.get("W2")).addRow(p.get("b2")).argmaxRows();
}
double twoLayerAccuracy = Labels.accuracy(predictTwoLayer(net, X), y);
String.format("training accuracy: %.1f%% (the exercise: 98%%)", 100 * twoLayerAccuracy)
"""),
    code("""
Plots.decisionRegions("2-layer ReLU network (h=100): decision regions", X, y, grid -> predictTwoLayer(net, grid))
"""),
    code("""
double[] steps = IntStream.range(0, iterations).asDoubleStream().toArray();
Plots.lines("Training loss, full-batch gradient descent", "iteration", "loss", steps, Map.of(
        "2-layer net", twoLayerLosses.stream().mapToDouble(Double::doubleValue).toArray()))
"""),
    md("""
## 4. The same network with nnlab's layers

The library packages exactly these steps: `Dense` is `X·W + b` with its backward pass, `Activation.relu()` is the
switch, `SoftmaxCrossEntropy` returns the loss and `dscores`, `Regularizer.l2Half(λ)` adds `½λΣW²` and `λW`, and
`Trainer` runs the loop. Started from the same initial weights, it retraces the hand-written run.

The two runs agree to about ten digits for the first few thousand iterations and then drift apart by a few units in
the fourth decimal. The library's softmax subtracts each row's maximum score before exponentiating (so that large
scores cannot overflow) and the hand-written loop does not; that changes the last bit of a few probabilities. Late in
training some hidden units have inputs sitting right at ReLU's kink for a few points, where a last-bit change decides
whether the gradient passes, and such differences grow. Both end at the same place to within 0.001.
"""),
    code("""
Sequential model = new Sequential(        // starts from the hand-written run's initial weights
        new Dense("1", initial.get("W1").copy(), initial.get("b1").copy()),
        Activation.relu(),
        new Dense("2", initial.get("W2").copy(), initial.get("b2").copy()));
History history = new Trainer(model, new SoftmaxCrossEntropy())
        .optimizer(new GradientDescent(stepSize))
        .regularizer(Regularizer.l2Half(reg))
        .fullBatch(iterations)
        .showProgress()
        .fit(X, spiral.targets());
String.format("nnlab layers: final loss %.6f (hand-written: %.6f), training accuracy %.1f%%",
        history.finalLoss(), twoLayerLosses.get(iterations - 1), 100 * history.finalTrainAccuracy())
"""),
    md("""
## 5. Is the hand-written backward pass right?

A gradient check compares every analytic gradient entry with the centered difference `(L(θ+ε) - L(θ-ε)) / 2ε`
(ε = 1e-5) and reports the relative error `|a - n| / max(1e-8, |a| + |n|)`. Around 1e-7 or below means the math is
right; a slip in the math shows up as an error near 1.

Where should we check? Not at the trained weights: training pushes many hidden inputs to sit right at ReLU's kink
(the gradient keeps nudging them back and forth across 0), and a finite difference that straddles the kink measures
half of one slope and half of the other. Let us count them.
"""),
    code("""
Matrix trainedInputs = X.dot(net.get("W1")).addRow(net.get("b1"));     // hidden-layer inputs z, 300 x 100
long atKink = Arrays.stream(trainedInputs.data()).filter(z -> Math.abs(z) < 1e-5).count();
atKink + " of " + trainedInputs.size() + " hidden inputs are within 1e-5 of the kink"
"""),
    md("""
So we check at a random point of parameter space instead, on a dozen examples, running the very method the training
loop used. With weights of order 1 the hidden inputs are spread out and the chance that one of them lies within ε of
0 is tiny.
"""),
    code("""
NumpyRandom probeRng = new NumpyRandom(1);
Map<String, Matrix> probe = new LinkedHashMap<>();
probe.put("W1", probeRng.randn(D, h));
probe.put("b1", probeRng.randn(1, h).times(0.5));
probe.put("W2", probeRng.randn(h, K).times(0.1));
probe.put("b2", probeRng.randn(1, K).times(0.1));
Dataset few = spiral.rows(probeRng.choice(n, 12, false));

Map<String, Matrix> analytic = new HashMap<>();
twoLayerLossAndGradients(probe, analytic, few.X(), few.y(), reg);
GradCheckReport check = GradCheck.of(probe,
                () -> twoLayerLossAndGradients(probe, new HashMap<>(), few.X(), few.y(), reg))
        .against(analytic)
        .run();
Notebook.table(check.toTable());
check.passed() ? "all gradients agree with finite differences" : check.toString()
"""),
    md("""
## 6. Summary

Our numbers beside the exercise's published ones (the exercise's losses are its last printed lines: iteration 190
for the linear classifier, iteration 9000 for the network). In quick mode the network trains for fewer iterations,
so only full mode is comparable.
"""),
    code("""
int lastPrinted = (iterations - 1) / 1000 * 1000;
Table summary = Table.create("Spiral: linear softmax vs 2-layer network").addColumns(
        StringColumn.create("model", "linear softmax", "2-layer ReLU net, hand-written", "2-layer ReLU net, nnlab layers"),
        IntColumn.create("iterations", 200, iterations, iterations),
        DoubleColumn.create("loss (last printed)", linearLosses.get(190), twoLayerLosses.get(lastPrinted),
                history.losses()[lastPrinted]),
        DoubleColumn.create("exercise loss", 0.786302, 0.245292, 0.245292),
        DoubleColumn.create("train accuracy %", 100 * linearAccuracy, 100 * twoLayerAccuracy,
                100 * history.finalTrainAccuracy()),
        DoubleColumn.create("exercise accuracy %", 49, 98, 98),
        DoubleColumn.create("seconds", linearSeconds, twoLayerSeconds, history.seconds()));
Notebook.table(summary);
"""),
    md("""
For reference, numpy running this notebook's code with seed 0 (the linear classifier first, then the network, from
one random stream) prints 0.786302 at iteration 190 and 0.245061 at iteration 9000, and ends at 0.244849 with 98%.

One hidden layer is enough: the linear classifier's loss stalls near 0.79 with about half of the points right,
while the network's loss falls to about 0.25 and it classifies about 98% of the training points correctly. The only
changes were one line in the forward pass and one more round of the chain rule in the backward pass.
"""),
    md("""
## Checks

The run against the exercise's numbers, in one table (in quick mode the shortened runs are listed, not compared).
"""),
    code("""
new Checks("This run against the exercise")
        .near("linear classifier: loss at iteration 190", linearLosses.get(190), 0.786302, 0.01)
        .near("linear classifier: training accuracy", linearAccuracy, 0.49, 0.03)
        .near("2-layer net by hand: final loss", twoLayerLosses.get(iterations - 1), 0.245, 0.01)
        .near("2-layer net by hand: training accuracy", twoLayerAccuracy, 0.98, 0.03)
        .near("2-layer net with nnlab's layers: final loss", history.finalLoss(), 0.245, 0.01)
        .that("the hand-written gradients pass the gradient check", check.passed())
        .show();
"""),
])
