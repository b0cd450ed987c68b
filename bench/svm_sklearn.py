"""Reference for the SVM benchmark: scikit-learn's GridSearchCV(SVC(kernel='rbf')) on the seed-0 spiral.

C and gamma in {0.1, 1, 10}, 5-fold CV (45 fits plus the refit), n_jobs=None as in the exercise.
Prints one JSON line: the best mean CV accuracy, the best model's training accuracy and the median wall time.
Usage: python3 bench/svm_sklearn.py REPEATS
"""
import json
import sys
import time

import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

from spiral_numpy import spiral

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
np.random.seed(0)
X, y = spiral(100, 3, 0.2)
times = []
for r in range(repeats + 1):  # the first run warms caches up and is not counted
    start = time.perf_counter()
    grid = GridSearchCV(SVC(kernel="rbf"), {"C": [0.1, 1, 10], "gamma": [0.1, 1, 10]}, cv=5).fit(X, y)
    if r > 0:
        times.append(time.perf_counter() - start)
print(json.dumps({"seconds_median": float(np.median(times)), "best_cv": float(grid.best_score_),
                  "train_accuracy": float(grid.best_estimator_.score(X, y))}))
