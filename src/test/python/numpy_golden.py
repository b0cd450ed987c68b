"""Writes the golden values that nnlab's Java tests compare against (src/test/resources/golden/numpy.txt).

Run from the project root with numpy (and scikit-learn for make_moons) installed:
    python3 src/test/python/numpy_golden.py
Each line is `key value value ...`; doubles are printed with repr() so they round-trip exactly.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "bench"))
import spiral_numpy  # noqa: E402  (the benchmark's reference implementation, reused here)

lines = []


def put(key, values):
    flat = np.asarray(values).ravel()
    lines.append(key + " " + " ".join(repr(float(v)) if flat.dtype.kind == "f" else str(int(v)) for v in flat))


np.random.seed(0)
put("rand_seed0", np.random.rand(10))
np.random.seed(42)
put("randn_seed42", np.random.randn(11))
np.random.seed(7)
put("interleaved_seed7", np.concatenate([np.random.randn(3), np.random.rand(2), np.random.randn(1),
                                          [np.random.normal(2.0, 3.0)], [np.random.uniform(-1, 2)]]))
np.random.seed(1)
put("randint_seed1_0_10", np.random.randint(0, 10, 20))
put("randint_seed1_m5_1000", np.random.randint(-5, 1000, 10))
put("randint_seed1_big", np.random.randint(0, 2 ** 40, 3))
np.random.seed(3)
put("permutation_seed3_10", np.random.permutation(10))
a = np.arange(17)
np.random.shuffle(a)
put("shuffle_seed3_17", a)
np.random.seed(5)
put("choice_seed5_noreplace", np.random.choice(10, 5, replace=False))
put("choice_seed5_replace", np.random.choice(10, 5))
put("choice_seed5_p", np.random.choice(4, 6, p=[0.1, 0.2, 0.3, 0.4]))
np.random.seed(9)
put("normal_seed9", np.random.normal(2.0, 3.0, (2, 3)))
put("uniform_seed9", np.random.uniform(-1, 2, (2, 2)))
np.random.seed(2 ** 32 - 1)
put("rand_seedmax", np.random.rand(3))

np.random.seed(0)
X, y = spiral_numpy.spiral(100, 3, 0.2)
put("spiral_seed0_X", X)
put("spiral_seed0_y", y)
# The 2-layer case study continues the same stream: 0.01*randn weights, step 1.0, reg 1e-3, 10,000 iterations.
loss, accuracy = spiral_numpy.train(X, y, 10000)
put("spiral_seed0_2layer_final_loss_accuracy", [loss, accuracy])

# The softmax linear classifier of the case study, 200 iterations, seed 0.
np.random.seed(0)
X, y = spiral_numpy.spiral(100, 3, 0.2)
W = 0.01 * np.random.randn(2, 3)
b = np.zeros((1, 3))
n = X.shape[0]
for i in range(200):
    scores = np.dot(X, W) + b
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    loss = np.sum(-np.log(probs[range(n), y])) / n + 0.5 * 1e-3 * np.sum(W * W)
    dscores = probs
    dscores[range(n), y] -= 1
    dscores /= n
    dW = np.dot(X.T, dscores) + 1e-3 * W
    db = np.sum(dscores, axis=0, keepdims=True)
    W += -1.0 * dW
    b += -1.0 * db
accuracy = np.mean(np.argmax(np.dot(X, W) + b, axis=1) == y)
put("spiral_seed0_softmax_final_loss_accuracy", [loss, accuracy])

try:
    from sklearn.datasets import make_moons

    Xm, ym = make_moons(n_samples=100, noise=0.1, random_state=0)
    put("moons_100_noise01_seed0_X", Xm)
    put("moons_100_noise01_seed0_y", ym)
    Xm, ym = make_moons(n_samples=7, shuffle=False, random_state=0)
    put("moons_7_noshuffle_X", Xm)
except ImportError:
    sys.exit("scikit-learn is needed for the make_moons golden values: pip install scikit-learn")

np.random.seed(0)
Xs = np.random.uniform(0, 1, (400, 2))
rsq = (Xs[:, 0] - 0.5) ** 2 + (Xs[:, 1] - 0.5) ** 2
z = 10 * (np.exp(-8 * rsq) - 0.5)
u = np.random.uniform(0, 1, 400)
put("synthetic2d_seed0_X", Xs)
put("synthetic2d_seed0_y", (u < 1 / (1 + np.exp(-z))).astype(int))

np.random.seed(0)
xtr = np.random.rand(100)
ytr = np.sin(2 * np.pi * xtr) + np.random.normal(0, 0.1, 100)
put("sine_seed0_x", xtr)
put("sine_seed0_y", ytr)

from sklearn.model_selection import GridSearchCV, StratifiedKFold  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

labels = np.array([2, 0, 1, 0, 2, 2, 1, 0, 0, 1, 2, 2, 0, 1, 1, 0, 2])
test_fold = np.empty(len(labels), dtype=int)
for f, (_, test) in enumerate(StratifiedKFold(n_splits=3).split(np.zeros((len(labels), 1)), labels)):
    test_fold[test] = f
put("stratified_3_labels", labels)
put("stratified_3_test_fold", test_fold)

np.random.seed(0)
X, y = spiral_numpy.spiral(100, 3, 0.2)
grid = GridSearchCV(SVC(kernel="rbf"), {"C": [0.1, 1, 10], "gamma": [0.1, 1, 10]}, cv=5).fit(X, y)
put("spiral_svm_grid_mean_test_score", grid.cv_results_["mean_test_score"])
put("spiral_svm_best_C_gamma_train_accuracy", [grid.best_params_["C"], grid.best_params_["gamma"],
                                                grid.best_estimator_.score(X, y)])

out = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "numpy.txt")
with open(out, "w") as f:
    f.write("# written by src/test/python/numpy_golden.py with numpy " + np.__version__ + "\n")
    f.write("\n".join(lines) + "\n")
print("wrote", len(lines), "entries to", os.path.normpath(out))
