"""Sample answers for 06_backprop, used by the autograde tests.

ALTERNATIVES: correct answers written differently from the reference (loops over samples, the
lecture's per-unit formulas, other ways to average); a submission made of them must score full marks.
MISTAKES: classic wrong answers, each replacing one answer cell: (answer cell, items it breaks, code).
`train` calls the learner's forward, mse_loss, backward and sgd_step, so a mistake in any of them
also breaks `train`; `backward` is tested on caches built inside its test cell, so a wrong
`forward` does not break it.
"""

ALTERNATIVES = {
    "forward": '''
def forward(X, params):
    # one layer at a time through a small helper, written with np.dot and explicit copies
    def layer(inputs, W, b):
        z = np.dot(inputs, np.asarray(W, dtype=float)) + np.asarray(b, dtype=float)
        return z, 1.0 / (1.0 + np.exp(-z))
    X = np.array(X, dtype=float)
    with np.errstate(over="ignore"):
        Z1, A1 = layer(X, params["W1"], params["b1"])
        Z2, A2 = layer(A1, params["W2"], params["b2"])
    return dict(X=X, Z1=Z1, A1=A1, Z2=Z2, A2=A2)
''',
    "mse_loss": '''
def mse_loss(A2, Y):
    # average over the rows of each row's half sum of squares
    A2, Y = np.asarray(A2, dtype=float), np.asarray(Y, dtype=float)
    return np.mean([0.5 * np.sum((a - y) ** 2) for a, y in zip(A2, Y)])
''',
    "backward": '''
def backward(params, cache, Y):
    # the lecture's way: one sample at a time, delta times the previous activation, then average
    Y = np.asarray(Y, dtype=float)
    W2 = params["W2"]
    grads = {key: np.zeros(np.shape(value)) for key, value in params.items()}
    for x, a1, a2, y in zip(cache["X"], cache["A1"], cache["A2"], Y):
        delta3 = (a2 - y) * a2 * (1 - a2)
        delta2 = np.array([np.sum(delta3 * W2[j]) for j in range(len(a1))]) * a1 * (1 - a1)
        grads["W2"] += np.outer(a1, delta3)
        grads["b2"] += delta3
        grads["W1"] += np.outer(x, delta2)
        grads["b1"] += delta2
    return {key: value / len(Y) for key, value in grads.items()}
''',
    "DELTA_OUT": '''
# from the network itself instead of the rounded numbers: a tuple of two floats
output = forward(X_EXAMPLE, P_EXAMPLE)["A2"][0]
DELTA_OUT = tuple(float(d) for d in (output - Y_EXAMPLE[0]) * output * (1 - output))
''',
    "DELTA_HIDDEN": '''
# the matrix form, kept as one row of shape (1, 2)
hidden = forward(X_EXAMPLE, P_EXAMPLE)["A1"]
DELTA_HIDDEN = (np.reshape(DELTA_OUT, (1, 2)) @ P_EXAMPLE["W2"].T) * hidden * (1 - hidden)
''',
    "sgd_step": '''
def sgd_step(params, grads, eta):
    new = {}
    for key, value in params.items():
        new[key] = np.copy(value) - eta * grads[key]
    return new
''',
    "train": '''
def train(X, Y, params, eta, epochs):
    losses = np.zeros(epochs)
    epoch = 0
    while epoch < epochs:
        cache = forward(X, params)
        grads = backward(params, cache, Y)
        losses[epoch] = mse_loss(cache["A2"], Y)
        params = sgd_step(params, grads, eta)
        epoch += 1
    return params, losses
''',
}

MISTAKES = {
    "forward_second_layer_on_Z1": ("forward", ["forward", "train"], '''
def forward(X, params):
    X = np.asarray(X, dtype=float)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = Z1 @ params["W2"] + params["b2"]
    return {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": sigmoid(Z2)}
'''),
    "forward_lecture_index_order": ("forward", ["forward", "train"], '''
def forward(X, params):
    X = np.asarray(X, dtype=float)
    Z1 = X @ params["W1"].T + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"].T + params["b2"]
    return {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": sigmoid(Z2)}
'''),
    "mse_without_N": ("mse_loss", ["mse_loss", "train"], '''
def mse_loss(A2, Y):
    return np.sum((np.asarray(A2) - np.asarray(Y)) ** 2) / 2
'''),
    "mse_mean_over_all_numbers": ("mse_loss", ["mse_loss", "train"], '''
def mse_loss(A2, Y):
    return np.mean((np.asarray(A2) - np.asarray(Y)) ** 2) / 2
'''),
    "mse_divides_by_size": ("mse_loss", ["mse_loss", "train"], '''
def mse_loss(A2, Y):
    A2, Y = np.asarray(A2, dtype=float), np.asarray(Y, dtype=float)
    return np.sum((A2 - Y) ** 2) / (2 * A2.size)
'''),
    "backward_missing_hidden_slope": ("backward", ["backward", "train"], '''
def backward(params, cache, Y):
    N = len(Y)
    Delta2 = (cache["A2"] - Y) * cache["A2"] * (1 - cache["A2"])
    Delta1 = Delta2 @ params["W2"].T
    return {"W1": cache["X"].T @ Delta1 / N, "b1": Delta1.sum(axis=0) / N,
            "W2": cache["A1"].T @ Delta2 / N, "b2": Delta2.sum(axis=0) / N}
'''),
    "backward_W2_not_transposed": ("backward", ["backward", "train"], '''
def backward(params, cache, Y):
    N = len(Y)
    Delta2 = (cache["A2"] - Y) * cache["A2"] * (1 - cache["A2"])
    Delta1 = (Delta2 @ params["W2"]) * cache["A1"] * (1 - cache["A1"])
    return {"W1": cache["X"].T @ Delta1 / N, "b1": Delta1.sum(axis=0) / N,
            "W2": cache["A1"].T @ Delta2 / N, "b2": Delta2.sum(axis=0) / N}
'''),
    "backward_without_1_over_N": ("backward", ["backward", "train"], '''
def backward(params, cache, Y):
    Delta2 = (cache["A2"] - Y) * cache["A2"] * (1 - cache["A2"])
    Delta1 = (Delta2 @ params["W2"].T) * cache["A1"] * (1 - cache["A1"])
    return {"W1": cache["X"].T @ Delta1, "b1": Delta1.sum(axis=0),
            "W2": cache["A1"].T @ Delta2, "b2": Delta2.sum(axis=0)}
'''),
    "backward_error_sign_flipped": ("backward", ["backward", "train"], '''
def backward(params, cache, Y):
    N = len(Y)
    Delta2 = (Y - cache["A2"]) * cache["A2"] * (1 - cache["A2"])
    Delta1 = (Delta2 @ params["W2"].T) * cache["A1"] * (1 - cache["A1"])
    return {"W1": cache["X"].T @ Delta1 / N, "b1": Delta1.sum(axis=0) / N,
            "W2": cache["A1"].T @ Delta2 / N, "b2": Delta2.sum(axis=0) / N}
'''),
    "backward_seed_slide_minus": ("backward", ["backward", "train"], '''
def backward(params, cache, Y):
    # the slide's typo: the second output's contribution subtracted instead of added
    N = len(Y)
    Delta2 = (cache["A2"] - Y) * cache["A2"] * (1 - cache["A2"])
    signs = np.where(np.arange(Delta2.shape[1]) == 0, 1.0, -1.0)
    Delta1 = ((Delta2 * signs) @ params["W2"].T) * cache["A1"] * (1 - cache["A1"])
    return {"W1": cache["X"].T @ Delta1 / N, "b1": Delta1.sum(axis=0) / N,
            "W2": cache["A1"].T @ Delta2 / N, "b2": Delta2.sum(axis=0) / N}
'''),
    # what the old Hint 2 gave: right for arrays, a crash for Y as a list of rows
    "backward_assumes_Y_is_an_array": ("backward", ["backward"], '''
def backward(params, cache, Y):
    X, A1, A2 = cache["X"], cache["A1"], cache["A2"]
    N = Y.shape[0]
    Delta2 = (A2 - Y) * A2 * (1 - A2)
    Delta1 = (Delta2 @ params["W2"].T) * A1 * (1 - A1)
    return {"W2": A1.T @ Delta2 / N, "b2": Delta2.sum(axis=0) / N,
            "W1": X.T @ Delta1 / N, "b1": Delta1.sum(axis=0) / N}
'''),
    "sgd_step_goes_uphill": ("sgd_step", ["sgd_step", "train"], '''
def sgd_step(params, grads, eta):
    return {key: params[key] + eta * grads[key] for key in params}
'''),
    "sgd_step_in_place": ("sgd_step", ["sgd_step", "train"], '''
def sgd_step(params, grads, eta):
    for key in params:
        params[key] -= eta * grads[key]
    return params
'''),
    "train_loss_after_the_update": ("train", ["train"], '''
def train(X, Y, params, eta, epochs):
    losses = []
    for _ in range(epochs):
        cache = forward(X, params)
        params = sgd_step(params, backward(params, cache, Y), eta)
        losses.append(mse_loss(forward(X, params)["A2"], Y))
    return params, losses
'''),
    # DELTA_HIDDEN is built from the learner's DELTA_OUT, so a wrong DELTA_OUT breaks both
    "delta_out_without_the_slope": ("DELTA_OUT", ["DELTA_OUT", "DELTA_HIDDEN"], '''
DELTA_OUT = [0.617158 - 1, 0.520742 - 0]
'''),
    "delta_hidden_W2_not_transposed": ("DELTA_HIDDEN", ["DELTA_HIDDEN"], '''
# the weights into each output (a column of W2) instead of the weights out of each hidden unit
DELTA_HIDDEN = [(DELTA_OUT[0] * 0.5 + DELTA_OUT[1] * 0.7) * 0.689974 * (1 - 0.689974),
                (DELTA_OUT[0] * -0.3 + DELTA_OUT[1] * 0.4) * 0.475021 * (1 - 0.475021)]
'''),
}

# Honest answers in a form the grader must carry across to the checks as the value they stand
# for (issue 22): name -> (answer cell, code around the reference answer, which is {reference}).
HONEST_FORMS = {
    "backward_returns_a_defaultdict": ("backward", '''
import collections

{reference}

plain_backward = backward


def backward(params, cache, Y):
    # the gradients gathered in a defaultdict (a missing key would read as 0.0)
    return collections.defaultdict(float, plain_backward(params, cache, Y))
'''),
}
