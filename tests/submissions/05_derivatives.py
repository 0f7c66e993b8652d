"""Sample answers for 05_derivatives, used by the autograde tests.

ALTERNATIVES: correct answers written differently from the reference (in place and restored,
other formulas); a submission made of them must score full marks.
MISTAKES: classic wrong answers, each replacing one answer cell: (answer cell, items it breaks, code).
The reference neuron_grads calls sigmoid_derivative, so a sigmoid_derivative that computes the
wrong slope breaks neuron_grads too; the overflowing one does not (no neuron_grads test has a net
input below about -700).
gradient_descent calls the learner's numerical_gradient, so a numerical_gradient that is wrong on
the checks' functions breaks gradient_descent too; ETA_LIMIT is a number, right within 0.01.
"""

ALTERNATIVES = {
    "numerical_derivative": '''
def numerical_derivative(f, x, h=1e-4):
    # the average of the forward and the backward difference is the central difference
    x = np.asarray(x, dtype=float)
    forward = (f(x + h) - f(x)) / h
    backward = (f(x) - f(x - h)) / h
    return (forward + backward) / 2
''',
    "numerical_gradient": '''
def numerical_gradient(f, x, h=1e-4):
    # Deep Learning from Scratch style: change x in place, element by element, and restore it
    x = np.asarray(x, dtype=float)          # no copy for a float array: the caller's x is changed...
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        keep = float(x[i])
        x[i] = keep + h
        fxh1 = f(x)
        x[i] = keep - h
        fxh2 = f(x)
        x[i] = keep                         # ...and restored before the next element
        grad[i] = (fxh1 - fxh2) / (2 * h)
        it.iternext()
    return grad
''',
    "sigmoid_derivative": '''
def sigmoid_derivative(z):
    # the stable form of e^-|z| / (1 + e^-|z|)^2 (symmetric in z)
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return e / (1 + e) ** 2
''',
    "relu_derivative": '''
def relu_derivative(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)
''',
    "neuron_grads": '''
def neuron_grads(w, x, b):
    # by hand, without sigmoid_derivative
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    y = sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b)
    slope = y * (1 - y)
    return np.array([slope * xi for xi in x]), slope
''',
    "gradient_descent": '''
def gradient_descent(f, x0, eta, steps):
    # a path array filled in row by row
    x0 = np.asarray(x0, dtype=float)
    path = np.empty((steps + 1,) + x0.shape)
    path[0] = x0
    for k in range(steps):
        path[k + 1] = path[k] - eta * numerical_gradient(f, path[k])
    return path
''',
    "ETA_LIMIT": '''
# found by experiment: bisect between a step size that converges and one that diverges
low, high = 0.3, 0.7
for _ in range(30):
    middle = (low + high) / 2
    path = gradient_descent(lambda v: v[0] ** 2 + v[0] * v[1] + v[1] ** 2, [2.5, -1.0], middle, 200)
    values = [p[0] ** 2 + p[0] * p[1] + p[1] ** 2 for p in path]
    low, high = (middle, high) if values[-1] < values[0] else (low, middle)
ETA_LIMIT = round(low, 2)
''',
}

MISTAKES = {
    "forward_difference": ("numerical_derivative", ["numerical_derivative"], '''
def numerical_derivative(f, x, h=1e-4):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x)) / h
'''),
    "divides_by_h": ("numerical_derivative", ["numerical_derivative"], '''
def numerical_derivative(f, x, h=1e-4):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x - h)) / h
'''),
    "gradient_forgets_to_restore": ("numerical_gradient", ["numerical_gradient", "gradient_descent"], '''
def numerical_gradient(f, x, h=1e-4):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        keep = x[i]
        x[i] = keep + h
        up = f(x)
        x[i] = keep - h
        down = f(x)
        grad[i] = (up - down) / (2 * h)
    return grad
'''),
    "gradient_keeps_ints": ("numerical_gradient", ["numerical_gradient"], '''
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x)                       # a list of ints stays an int array
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        keep = x[i]
        x[i] = keep + h
        up = f(x)
        x[i] = keep - h
        down = f(x)
        x[i] = keep
        grad[i] = (up - down) / (2 * h)
    return grad
'''),
    "gradient_nudges_everything": ("numerical_gradient", ["numerical_gradient", "gradient_descent"], '''
def numerical_gradient(f, x, h=1e-4):
    x = np.asarray(x, dtype=float)
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))
'''),
    "sigmoid_derivative_overflows": ("sigmoid_derivative", ["sigmoid_derivative"], '''
def sigmoid_derivative(z):
    e = np.exp(-np.asarray(z, dtype=float))
    return e / (1 + e) ** 2
'''),
    "sigmoid_derivative_one_minus_z": ("sigmoid_derivative", ["sigmoid_derivative", "neuron_grads"], '''
def sigmoid_derivative(z):
    return sigmoid(z) * (1 - np.asarray(z, dtype=float))
'''),
    "relu_derivative_at_zero_is_one": ("relu_derivative", ["relu_derivative"], '''
def relu_derivative(z):
    return (np.asarray(z) >= 0).astype(float)
'''),
    "relu_derivative_booleans": ("relu_derivative", ["relu_derivative"], '''
def relu_derivative(z):
    return np.asarray(z) > 0
'''),
    "neuron_grads_without_the_slope": ("neuron_grads", ["neuron_grads"], '''
def neuron_grads(w, x, b):
    return np.asarray(x, dtype=float), 1.0
'''),
    "neuron_grads_uses_w": ("neuron_grads", ["neuron_grads"], '''
def neuron_grads(w, x, b):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    slope = sigmoid_derivative(w @ x + b)
    return slope * w, slope
'''),
    "neuron_grads_value_not_slope": ("neuron_grads", ["neuron_grads"], '''
def neuron_grads(w, x, b):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    y = sigmoid(w @ x + b)
    return y * x, y
'''),
    "descent_climbs": ("gradient_descent", ["gradient_descent"], '''
def gradient_descent(f, x0, eta, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x + eta * numerical_gradient(f, x)
        path.append(x)
    return np.array(path)
'''),
    "descent_path_without_x0": ("gradient_descent", ["gradient_descent"], '''
def gradient_descent(f, x0, eta, steps):
    x = np.array(x0, dtype=float)
    path = []
    for _ in range(steps):
        x = x - eta * numerical_gradient(f, x)
        path.append(x)
    return np.array(path)
'''),
    "descent_updates_in_place": ("gradient_descent", ["gradient_descent"], '''
def gradient_descent(f, x0, eta, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x -= eta * numerical_gradient(f, x)   # changes the array already in the path
        path.append(x)
    return np.array(path)
'''),
    "eta_limit_from_the_flattest_direction": ("ETA_LIMIT", ["ETA_LIMIT"], '''
ETA_LIMIT = 2 / np.linalg.eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]])).min()
'''),
}
