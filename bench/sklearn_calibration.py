"""Fit times of scikit-learn's Platt (sigmoid) and isotonic calibration on the benchmark's label distribution.

Prints one line per method: "name 10000 100000 1000000" with single-shot fit times in ms (best of 3), for the
bench's comparison with Oversight's own fits. Same distribution as CalibrationBenchmark (score uniform in
[0.5, 1) rounded to 4 decimals, correct with probability score^4), not the same draws.
"""
import time

import numpy as np
from sklearn.calibration import _SigmoidCalibration
from sklearn.isotonic import IsotonicRegression


def labels(n, seed=42):
    rng = np.random.default_rng(seed)
    s = np.round(0.5 + 0.5 * rng.random(n), 4)
    y = (rng.random(n) < s ** 4).astype(float)
    return s, y


def best_of(fit, runs=3):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fit()
        best = min(best, time.perf_counter() - start)
    return best * 1000


sizes = (10_000, 100_000, 1_000_000)
data = {n: labels(n) for n in sizes}
for name, make in (("platt", lambda: _SigmoidCalibration()),
                   ("isotonic", lambda: IsotonicRegression(out_of_bounds="clip"))):
    times = [best_of(lambda n=n: make().fit(*data[n])) for n in sizes]
    print(name, " ".join(f"{t:.1f}" for t in times))
