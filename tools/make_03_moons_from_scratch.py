"""Writes notebooks/03-moons-from-scratch.ipynb (run from the project root)."""
from notebook_builder import code, md, write

write("notebooks/03-moons-from-scratch.ipynb", [
    md("""
# Two moons: a neural network from scratch

A network of 50 ReLU units learns to separate two interleaved half-moons. Everything is written out: the forward
pass, the error, the backward pass (error backpropagation), and plain gradient descent. A gradient check proves the
backward pass before we train with it, and a small multiple of plots shows the decision function taking shape over
32 iterations.
"""),
    code("Mode.describe()"),
    md("""
## 1. Data and a grid to look at

`Datasets.moons` draws the same points as scikit-learn's `make_moons(n_samples=100, random_state=0)`: two half-circles,
no noise. As in the exercise the inputs are mapped by `x ↦ 2x - 1`, and the labels 0/1 become targets `t = ±1`.

To look at a decision function `y(x1, x2)` we evaluate it on a 100×100 grid over [-4, 4]² and colour each half:
red where `y > 0` (predicting `t = +1`, the red points), blue where `y < 0` (predicting `t = -1`, the blue points),
with the boundary `y = 0` as a dark line. The shading deepens with `|y|`. The small pictures further down leave out
the legend; the colours mean the same there.
"""),
    code("""
Dataset moons = Datasets.moons(100, 0.0, true, new NumpyRandom(0));
Matrix X = moons.X().times(2).plus(-1);      // the exercise's rescaling
int[] labels = moons.y();                    // 0 / 1, for colouring
Matrix t = Datasets.signs(labels);           // targets -1 / +1, a 100 x 1 column
int N = X.rows();
double[] box = {-4, 4, -4, 4};
Matrix grid = Datasets.meshgrid(-4, 4, -4, 4, 100);     // 10,000 points, one per row
grid.shapeString() + " grid points"
"""),
    md("""
Before any learning, a dummy decision function `y = x1 + x2`: its boundary is the line `x1 + x2 = 0`.
"""),
    code("""
Plots.binaryRegions("Dummy decision function y = x1 + x2", X, labels, g -> g.col(0).add(g.col(1)), 0, box)
"""),
    md("""
## 2. The network

For each of the `NH = 50` hidden units `j`:

$$z_j = x_1 w_{1j} + x_2 w_{2j} + b_j, \\qquad a_j = \\max(0, z_j), \\qquad y = \\sum_{j=1}^{50} a_j v_j.$$

In matrix form, for all points at once: `Z = X·W + B`, `A = max(0, Z)`, `Y = A·V`, with `W` 2×50, `B` 1×50 and
`V` 50×1. The initial values follow the exercise: `W ~ N(0, 1/√2)`, `B ~ N(0, 1)`, `V ~ N(0, 1/√50)`, here drawn from
a `NumpyRandom(1)` stream (the exercise does not fix a seed).
"""),
    code("""
int NH = 50;
NumpyRandom rng = new NumpyRandom(1);
Map<String, Matrix> net = new LinkedHashMap<>();
net.put("W", rng.normal(0, 1 / Math.sqrt(2), 2, NH));
net.put("B", rng.normal(0, 1, 1, NH));
net.put("V", rng.normal(0, 1 / Math.sqrt(NH), NH, 1));

Matrix forward(Map<String, Matrix> p, Matrix X) {
    Matrix Z = X.dot(p.get("W")).addRow(p.get("B"));
    Matrix A = Z.maximum(0);
    return A.dot(p.get("V"));
}
Plots.binaryRegions("The untrained network", X, labels, g -> forward(net, g), 0, box)
"""),
    md("""
## 3. The error and its gradient

The error counts how far each misclassified point is on the wrong side, and ignores the correct ones:

$$\\mathcal{E}(\\theta) = \\frac{1}{N}\\sum_{k=1}^{N} \\max\\left(0, -y^{(k)} t^{(k)}\\right).$$

Backpropagation, from the output back to the inputs (`⊙` multiplies entry by entry):

* `∂E/∂y_k = -t_k / N` where `y_k t_k < 0` (a mistake), and 0 where the point is on the right side;
* `∂E/∂V = Aᵀ · ∂E/∂Y`;
* `∂E/∂A = ∂E/∂Y · Vᵀ`, and through the ReLU: `∂E/∂Z = ∂E/∂A ⊙ 1(Z > 0)`;
* `∂E/∂W = Xᵀ · ∂E/∂Z` and `∂E/∂B` = column sums of `∂E/∂Z`.

The `1/N` inside `∂E/∂y` makes every parameter gradient an average over the data, as the exercise asks.
"""),
    code("""
double errorAndGradients(Map<String, Matrix> p, Map<String, Matrix> grads, Matrix X, Matrix t) {
    int N = X.rows();
    // forward
    Matrix Z = X.dot(p.get("W")).addRow(p.get("B"));
    Matrix A = Z.maximum(0);
    Matrix Y = A.dot(p.get("V"));
    Matrix margin = Y.mul(t);                                   // y·t > 0 when a point is classified right
    double error = margin.times(-1).maximum(0).mean();
    // backward
    Matrix dY = margin.zip(t, (yt, target) -> yt < 0 ? -target : 0.0).div(N);
    Matrix dZ = dY.dot(p.get("V").T()).zip(Z, (g, z) -> z > 0 ? g : 0.0);    // the ReLU switch
    grads.put("W", X.T().dot(dZ));
    grads.put("B", dZ.colSums());
    grads.put("V", A.T().dot(dY));
    return error;
}
Map<String, Matrix> grads = new HashMap<>();
String.format("initial error %.4f", errorAndGradients(net, grads, X, t))
"""),
    md("""
### Check the backward pass before trusting it

Finite differences of the error against the analytic gradients, for every one of the 200 parameters. The error
has kinks (at `y·t = 0` and where a hidden input crosses 0), but at a random starting point no data point sits
within the step ε = 1e-5 of one, so the check is meaningful.
"""),
    code("""
GradCheckReport check = GradCheck.of(net, () -> errorAndGradients(net, new HashMap<>(), X, t))
        .against(grads)
        .run();
Notebook.table(check.toTable());
check.passed() ? "the backward pass agrees with finite differences" : check.toString()
"""),
    md("""
## 4. Thirty-two steps of gradient descent

Each iteration computes the error and its gradient on all 100 points and moves every parameter a step against its
gradient: `θ ← θ - η·∂E/∂θ`. The exercise does not print its step size; η = 0.1 takes the error to almost zero in 32
iterations. We keep a snapshot of the decision function at a few chosen iterations.
"""),
    code("""
double learningRate = 0.1;
int iterations = 32;
Set<Integer> snapshotAt = Set.of(0, 1, 2, 4, 8, 16, 24, 31);
List<BufferedImage> snapshots = new ArrayList<>();
double[] errors = new double[iterations];
for (int it = 0; it < iterations; it++) {
    errors[it] = errorAndGradients(net, grads, X, t);
    if (snapshotAt.contains(it)) {
        snapshots.add(Plots.binaryRegions(String.format("iteration %d: error %.4f", it, errors[it]),
                X, labels, g -> forward(net, g), 0, box, 380, 300));
    }
    for (String name : net.keySet()) net.get(name).addScaledInPlace(-learningRate, grads.get(name));
}
Plots.grid(4, snapshots.toArray(new BufferedImage[0]))
"""),
    code("""
Plots.lines("Error during training (η = 0.1)", "iteration", "error", IntStream.range(0, iterations)
        .asDoubleStream().toArray(), Map.of("E(θ)", errors))
"""),
    code("""
int[] predicted = Arrays.stream(forward(net, X).data()).mapToInt(y -> y > 0 ? 1 : 0).toArray();
double accuracy = Labels.accuracy(predicted, labels);
String.format("after %d iterations: error %.5f, %.0f%% of the points on the right side",
        iterations, errorAndGradients(net, new HashMap<>(), X, t), 100 * accuracy)
"""),
    md("""
The first steps move the boundary a lot, because many points are misclassified and each one pulls. As the error
shrinks, fewer points contribute, so the updates get smaller: this error has no reward for being *more* right, so
the boundary stops moving as soon as (almost) every point is on its side. It ends wherever that first happens,
often close to some points, which is why later exercises prefer losses that keep pushing, like the cross-entropy.
"""),
    md("""
## Checks

What this run must show, in one table; the notebook runner fails if any check does.
"""),
    code("""
new Checks("This run")
        .that("the hand-written backward pass passes the gradient check", check.passed())
        .that("the error after 32 iterations is below 0.01", errors[iterations - 1] < 0.01)
        .that("at least 95% of the points are on the right side", accuracy >= 0.95)
        .show();
"""),
])
