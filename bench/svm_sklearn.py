"""Reference for the SVM benchmark: scikit-learn's GridSearchCV(SVC(kernel='rbf')) on the seed-0 spiral.

C and gamma in {0.1, 1, 10}, 5-fold CV (45 fits plus the refit), n_jobs=None as in the exercise.
Usage: svm_sklearn.py REPS. One warm-up run, then REPS timed grid searches; one JSON line (bench/benchutil.py) with the
best mean CV accuracy and the best model's training accuracy.
"""
import sys

import numpy as np
import sklearn
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

from benchutil import emit, measure
from spiral_numpy import spiral

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
np.random.seed(0)
X, y = spiral(100, 3, 0.2)
result = {}


def run():
    result["grid"] = GridSearchCV(SVC(kernel="rbf"), {"C": [0.1, 1, 10], "gamma": [0.1, 1, 10]}, cv=5).fit(X, y)


records = measure(run, reps, warmup=1)
grid = result["grid"]
emit("scikit-learn", sklearn.__version__, 1, records, best_cv=float(grid.best_score_),
     train_accuracy=float(grid.best_estimator_.score(X, y)), best_C=grid.best_params_["C"],
     best_gamma=grid.best_params_["gamma"])
