"""Toy data sets for the demos, made with NumPy alone (no download).

Each maker returns ``(X, Y)``: ``X`` of shape ``(n, 2)`` with both features roughly in
[-1.2, 1.2] (centred, so a sigmoid network starts in its sensitive range) and ``Y`` of shape
``(n, 1)`` holding 0.0 or 1.0. A fixed ``seed`` gives the same points every time.
"""

import numpy as np

from course.i18n import translatable

__all__ = ["xor_points", "circles", "moons", "DATASETS", "DATASET_LABELS", "make_dataset"]


def _check(n, noise):
    if int(n) != n or n < 2:
        raise ValueError(f"n must be a whole number of points, at least 2; got {n!r}")
    if noise < 0:
        raise ValueError(f"noise must be 0 or more; got {noise!r}")
    return int(n)


def xor_points(n=200, noise=0.05, seed=0):
    """Points in the four quadrants; class 1 where x1 and x2 have opposite signs (XOR of the signs)."""
    n = _check(n, noise)
    rng = np.random.default_rng(seed)
    magnitude = rng.uniform(0.1, 1.0, size=(n, 2))          # keep a gap around both axes
    X = magnitude * rng.choice([-1.0, 1.0], size=(n, 2))
    Y = (X[:, 0] * X[:, 1] < 0).astype(float)
    return X + noise * rng.normal(size=X.shape), Y[:, None]


def circles(n=200, noise=0.05, seed=0):
    """A disc (class 1, radius below 0.5) inside a ring (class 0, radius 0.7 to 1.0)."""
    n = _check(n, noise)
    rng = np.random.default_rng(seed)
    Y = (np.arange(n) % 2).astype(float)
    radius = np.where(Y == 1, rng.uniform(0.0, 0.5, n), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X + noise * rng.normal(size=X.shape), Y[:, None]


def moons(n=200, noise=0.08, seed=0):
    """Two interleaved half circles: class 0 the upper one, class 1 the lower one."""
    n = _check(n, noise)
    rng = np.random.default_rng(seed)
    Y = (np.arange(n) % 2).astype(float)
    t = rng.uniform(0, np.pi, n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(Y[:, None] == 1, lower, upper)
    X = (X - [0.5, 0.25]) * 0.8                             # centre on the origin
    return X + noise * rng.normal(size=X.shape), Y[:, None]


DATASETS = {"XOR": xor_points, "circles": circles, "moons": moons}
# each data set's name as a menu shows it (through tr(); the gate name XOR is the same in every language)
DATASET_LABELS = {"XOR": "XOR", "circles": translatable("circles"), "moons": translatable("moons")}


def make_dataset(name, n=200, noise=None, seed=0):
    """One of DATASETS by name (noise None: that data set's default)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    maker = DATASETS[name]
    return maker(n, seed=seed) if noise is None else maker(n, noise=noise, seed=seed)
