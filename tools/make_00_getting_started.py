"""Writes notebooks/00-getting-started.ipynb (run from the project root)."""
from notebook_builder import code, md, write

write("notebooks/00-getting-started.ipynb", [
    md("""
# Getting started with nnlab

A five-minute tour of the whole chain: generate a data set, look at it, train a small neural network whose
backward pass is written by hand, look at what it learned, and *prove* the backward pass right with a numerical
gradient check. Every later notebook builds on these pieces.

Run the cells from top to bottom (Shift+Enter). The kernel already imports nnlab, so cells only contain the lesson.
"""),
    code("Mode.describe()"),
    md("""
## 1. Data: the spiral

Three classes of 100 points each, wound around the origin. `NumpyRandom` is a random generator that produces the
very same numbers as numpy's `np.random.seed(0)`, so this data set equals the one of the classic Python exercise.
"""),
    code("""
NumpyRandom rng = new NumpyRandom(0);
Dataset spiral = Datasets.spiral(100, 3, 0.2, rng);   // 100 points per class, 3 classes, angle noise 0.2
spiral.X().shapeString()
"""),
    code("""Plots.scatter("Spiral data: 3 classes of 100 points", spiral.X(), spiral.y())"""),
    md("""
No straight line separates these classes, so a linear classifier cannot do well. A network with one hidden layer
of 100 ReLU units can.

## 2. A two-layer network

`scores = ReLU(X·W1 + b1)·W2 + b2`, trained with full-batch gradient descent on the softmax cross-entropy loss plus
the L2 penalty `0.5·λ·(ΣW1² + ΣW2²)`. The weights start as `0.01·randn`, drawn from the same random stream as the
data, exactly like the exercise.
"""),
    code("""
Sequential net = new Sequential(
        new Dense("1", 2, 100, Init.scaledNormal(0.01), rng),
        Activation.relu(),
        new Dense("2", 100, 3, Init.scaledNormal(0.01), rng));
int iterations = Mode.pick(3000, 300);
History history = new Trainer(net, new SoftmaxCrossEntropy())
        .optimizer(new GradientDescent(1.0))
        .regularizer(Regularizer.l2Half(1e-3))
        .fullBatch(iterations)
        .showProgress()
        .fit(spiral.X(), spiral.targets());
String.format("final loss %.4f, training accuracy %.1f%%", history.finalLoss(), 100 * history.finalTrainAccuracy())
"""),
    md("""
## 3. What did it learn?

Each point of the plane is coloured by the class the network predicts there; the data sit on top in the same
colours.
"""),
    code("""Plots.decisionRegions("2-layer ReLU net: decision regions", spiral.X(), spiral.y(), net::predict)"""),
    code("""Plots.history("2-layer net", history)"""),
    code("""Notebook.table(history.toTable(iterations / 10));"""),
    md("""
Every picture can also be saved, as PNG or as SVG for slides and papers (in SVG, axes, text, lines and points stay
sharp vectors; decision regions are embedded as a bitmap):
"""),
    code("""
String figures = System.getProperty("java.io.tmpdir") + "/nnlab-figures";
BufferedImage curves = Plots.history("2-layer net", history);
Plots.savePng(curves, figures + "/history.png");
Plots.saveSvg(curves, figures + "/history.svg");
new java.io.File(figures + "/history.svg").length() + " bytes of SVG written to " + figures
"""),
    md("""
## 4. Is the backward pass right? A gradient check

The gradients above come from hand-written backpropagation. The gradient check compares them, entry by entry,
with centered finite differences `(L(θ+h) - L(θ-h)) / 2h` and reports the largest relative error
`|a - n| / max(1e-8, |a| + |n|)` per parameter. Errors around 1e-7 or below mean the backward pass is right;
a slip in the math shows up as errors near 1.

One caveat: ReLU has a kink at 0. If some hidden unit's input sits within `h` of 0 for a data point, the finite
difference straddles the kink and disagrees with the (correct) analytic gradient. Checking on a handful of points
makes that unlikely, which is why gradient checks are usually run on a small batch.
"""),
    code("""
Dataset batch = spiral.rows(new NumpyRandom(1).choice(300, 12, false));   // 12 random points
GradCheckReport check = GradCheck.of(net, new SoftmaxCrossEntropy(), Regularizer.l2Half(1e-3),
                batch.X(), batch.targets())
        .maxEntriesPerParam(50, 1)   // a seeded sample of 50 entries per parameter keeps it quick
        .threshold(1e-5)             // see below: tiny gradients make 1e-6 a test of rounding, not of the math
        .run();
Notebook.table(check.toTable());
check.passed()
"""),
    md("""
Why 1e-5 here when nnlab's own tests demand 1e-6: after training from `0.01·randn`, many gradient entries are tiny
(around 1e-7), and for such entries the finite difference itself carries a relative error near 1e-6. A real slip in
a backward pass gives relative errors of 1e-2 to 1, far above either threshold.

That is the whole workflow. The next notebooks take each step slowly: the loss and its gradient written out
line by line, the slips a gradient check catches, SVMs, MNIST and more.
"""),
])
