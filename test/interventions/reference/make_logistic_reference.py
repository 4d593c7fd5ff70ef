#!/usr/bin/python3
"""Reference fits for shiftlab's logistic regression and DFR head, computed by scikit-learn.

The DFR recipe is PAPER.md's (the paper's code): StandardScaler on the held-out features, sample weights
that give every group the same total (sklearn's 'balanced' convention, N / (G * |g|)), and
LogisticRegression(C=0.001) solved to convergence (newton-cg). Regenerate with Debian's python3-sklearn:
    /usr/bin/python3 test/interventions/reference/make_logistic_reference.py > test/interventions/reference/logistic-reference.json
(newton-cg may warn that it did not converge: at tol 1e-10 its line search reaches float64 precision first.)
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def problem(seed, size, dim, classes, groups):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, size)
    centres = rng.normal(size=(classes, dim)) * 1.5
    # Rounded so the JSON holds exactly the inputs sklearn saw.
    x = np.round(centres[y] + rng.normal(size=(size, dim)), 3)
    # An attribute that mostly agrees with the label, forming label x attribute groups of unequal size.
    attribute = np.where(rng.random(size) < 0.85, y % groups, rng.integers(0, groups, size))
    return x, y, attribute


def balanced(ids):
    values, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
    return len(ids) / (len(values) * counts[inverse])


def fit(x, y, weights, C):
    # newton-cg: lbfgs stops on scipy's default relative-decrease test (ftol) long before tol.
    model = LogisticRegression(C=C, tol=1e-10, max_iter=100000, solver="newton-cg")
    model.fit(x, y, sample_weight=weights)
    return model


def logistic_case(name, seed, size, dim, classes, C, weighted):
    x, y, attribute = problem(seed, size, dim, classes, 2)
    weights = balanced(y * 2 + attribute) if weighted else np.ones(size)
    model = fit(x, y, weights, C)
    return {"name": name, "C": C, "dim": dim, "classes": classes, "x": x.ravel().tolist(), "y": y.tolist(),
            "weights": np.round(weights, 12).tolist(), "coef": model.coef_.tolist(), "intercept": model.intercept_.tolist(),
            "probabilities": np.round(model.predict_proba(x), 10).ravel().tolist()}


def dfr_case(name, seed, size, dim, classes, C):
    x, y, attribute = problem(seed, size, dim, classes, 2)
    scaler = StandardScaler().fit(x)
    model = fit(scaler.transform(x), y, balanced(y * 2 + attribute), C)
    return {"name": name, "C": C, "dim": dim, "classes": classes, "x": x.ravel().tolist(), "y": y.tolist(),
            "attribute": attribute.tolist(), "probabilities": np.round(model.predict_proba(scaler.transform(x)), 10).ravel().tolist()}


json.dump({
    "sklearn": sklearn.__version__,
    "logistic": [
        logistic_case("binary, unweighted, C = 1", 1, 200, 4, 2, 1.0, False),
        logistic_case("binary, group-balanced, C = 0.001", 2, 300, 6, 2, 0.001, True),
        logistic_case("multinomial, group-balanced, C = 0.05", 3, 400, 5, 4, 0.05, True),
        logistic_case("multinomial, unweighted, C = 10", 4, 250, 3, 3, 10.0, False),
    ],
    "dfr": [
        dfr_case("binary DFR, C = 0.001", 5, 600, 8, 2, 0.001),
        dfr_case("10-class DFR, C = 0.001", 6, 600, 8, 10, 0.001),
        dfr_case("10-class DFR, C = 1", 7, 600, 8, 10, 1.0),
    ],
}, sys.stdout)
sys.stdout.write("\n")
