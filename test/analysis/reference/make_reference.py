#!/usr/bin/python3
"""Reference values for effective robustness, computed independently of shiftlab with numpy/scipy.

Implements PAPER.md's formulas directly: OLS on probit/logit-transformed baseline accuracies
(scipy.stats.linregress), the regression-mean interval with std ddof 0, t quantile with n-2 degrees
of freedom, and clipping to [1/(2N), 1 - 1/(2N)]. Regenerate with:
    /usr/bin/python3 test/analysis/reference/make_reference.py > test/analysis/reference/er-reference.json
"""
import json
import sys

import numpy as np
from scipy import special, stats


def forward(scale, p):
    return stats.norm.ppf(p) if scale == "probit" else special.logit(p)


def inverse(scale, z):
    return stats.norm.cdf(z) if scale == "probit" else special.expit(z)


def clip(acc, count):
    low = 1.0 / (2 * count)
    return float(np.clip(acc, low, 1 - low))


def case(name, baseline, models, count, scale="probit", interval=0.95):
    bx = np.array([clip(x, count) for x, _ in baseline])
    by = np.array([clip(y, count) for _, y in baseline])
    tx, ty = forward(scale, bx), forward(scale, by)
    n = len(tx)
    fit = stats.linregress(tx, ty)
    r2 = fit.rvalue ** 2
    s_e = np.std(ty) * np.sqrt((1 - r2) * (n - 1) / (n - 2))
    S = n * np.std(tx) ** 2
    t = stats.t.ppf(1 - (1 - interval) / 2, n - 2)
    out_models = []
    for x, y in models:
        x, y = clip(x, count), clip(y, count)
        z = fit.slope * forward(scale, x) + fit.intercept
        h = t * s_e * np.sqrt(1 / n + (forward(scale, x) - tx.mean()) ** 2 / S)
        predicted, lower, upper = inverse(scale, z), inverse(scale, z - h), inverse(scale, z + h)
        out_models.append({
            "x": x, "y": y, "predicted": float(predicted), "lower": float(lower), "upper": float(upper),
            "er": float(y - predicted), "low": float(y - upper), "high": float(y - lower),
        })
    return {
        "name": name, "scale": scale, "interval": interval, "count": count,
        "baseline": [list(p) for p in baseline], "models": [list(m) for m in models],
        "fit": {"slope": float(fit.slope), "intercept": float(fit.intercept), "r2": float(r2), "n": n,
                "t": float(t), "residualScale": float(s_e), "sxx": float(S)},
        "results": out_models,
    }


def copies_case(values):
    values = np.array(values)
    half = 1.96 * np.std(values) / np.sqrt(len(values))
    return {"values": values.tolist(), "mean": float(values.mean()),
            "low": float(values.mean() - half), "high": float(values.mean() + half)}


def paper_copies_case(name, baseline_copies, arm_copies, count, scale="probit", interval=0.95):
    """PAPER.md's copies rule: each checkpoint's copies averaged into one baseline point, the arm's copies
    averaged, then clipping (with `count`, the smallest evaluated set) and ER with the regression interval."""
    baseline = [(float(np.mean([x for x, _ in copies])), float(np.mean([y for _, y in copies]))) for copies in baseline_copies]
    arm = (float(np.mean([x for x, _ in arm_copies])), float(np.mean([y for _, y in arm_copies])))
    result = case(name, baseline, [arm], count, scale, interval)
    result["baselineCopies"] = [[list(p) for p in copies] for copies in baseline_copies]
    result["armCopies"] = [list(p) for p in arm_copies]
    return result


typical = [(0.62, 0.31), (0.70, 0.37), (0.75, 0.42), (0.80, 0.45), (0.84, 0.52), (0.88, 0.55), (0.91, 0.61), (0.94, 0.66)]
cases = [
    case("n = 3", [(0.70, 0.40), (0.80, 0.52), (0.90, 0.60)], [(0.85, 0.60), (0.75, 0.40)], count=1000),
    case("perfect line", [(p, float(stats.norm.cdf(0.8 * stats.norm.ppf(p) - 0.3))) for p in (0.6, 0.7, 0.8, 0.9, 0.95)],
         [(0.85, 0.7), (0.99, 0.9)], count=2000),
    case("clipping", [(0.90, 0.50), (0.95, 0.60), (0.99, 0.70), (1.0, 0.78)], [(1.0, 1.0), (0.97, 0.0)], count=500),
    case("logit scale", typical, [(0.90, 0.70), (0.65, 0.30)], count=10000, scale="logit"),
    case("typical 8 points", typical, [(0.90, 0.70), (0.65, 0.30), (0.99, 0.8)], count=10000),
    case("typical 8 points, 90% interval", typical, [(0.90, 0.70)], count=10000, interval=0.90),
]
paper_copies = [
    paper_copies_case("3 copies per checkpoint, 4 arm copies",
                      [[(0.70, 0.40), (0.72, 0.43), (0.69, 0.39)], [(0.80, 0.52), (0.79, 0.50), (0.82, 0.55)],
                       [(0.86, 0.57), (0.85, 0.58), (0.88, 0.60)], [(0.90, 0.60), (0.91, 0.63), (0.90, 0.61)]],
                      [(0.85, 0.66), (0.86, 0.70), (0.84, 0.64), (0.85, 0.69)], count=2000),
    paper_copies_case("worst group at 0 in every copy: clipped with the group's own size",
                      [[(0.60, 0.0), (0.62, 0.0)], [(0.70, 0.05), (0.71, 0.10)], [(0.80, 0.20), (0.82, 0.25)],
                       [(0.90, 0.40), (0.88, 0.35)]],
                      [(0.85, 0.45), (0.86, 0.50)], count=40),
]
json.dump({"cases": cases, "paperCopies": paper_copies,
           "copies": [copies_case([0.05, 0.07, 0.04, 0.08]), copies_case([0.1, 0.1])]},
          sys.stdout, indent=2)
sys.stdout.write("\n")
