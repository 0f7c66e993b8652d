"""Sample answers for 07_digits, used by the autograde tests.

ALTERNATIVES: correct answers written differently from the reference; a submission made of them
must score full marks.
MISTAKES: classic wrong answers, each replacing one answer cell: (answer cell, items it breaks, code).
`accuracy` calls the learner's forward_softmax, but only through argmax, which a sigmoid output
(the classic slip) leaves unchanged; the tests of the other items build their inputs themselves, except that train_minibatch (and
HYPERPARAMS, which trains with it) runs the learner's forward_softmax, cross_entropy and
backward_softmax: a mistake there changes its losses or params too.
"""

ALTERNATIVES = {
    "one_hot": '''
def one_hot(labels, n_classes=10):
    labels = np.asarray(labels)
    Y = np.zeros((labels.shape[0], n_classes))
    Y[np.arange(labels.shape[0]), labels] = 1
    return Y
''',
    "forward_softmax": '''
def forward_softmax(X, params, activation="sigmoid"):
    X = np.asarray(X, dtype=float)
    Z1 = np.dot(X, params["W1"]) + params["b1"]
    A1 = np.where(Z1 > 0, Z1, 0.0) if activation == "relu" else sigmoid(Z1)
    Z2 = np.dot(A1, params["W2"]) + params["b2"]
    shifted = np.exp(Z2 - np.max(Z2, axis=-1, keepdims=True))
    return {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": shifted / np.sum(shifted, axis=-1, keepdims=True)}
''',
    "accuracy": '''
def accuracy(X, labels, params, batch_size=100):
    # one batch at a time with np.array_split, then image by image inside each batch
    X, labels = np.asarray(X, dtype=float), np.asarray(labels)
    n_batches = max(1, int(np.ceil(len(X) / batch_size)))
    correct = 0
    for X_batch, label_batch in zip(np.array_split(X, n_batches), np.array_split(labels, n_batches)):
        probs = forward_softmax(X_batch, params)["A2"]
        for p, label in zip(probs, label_batch):
            correct += int(np.argmax(p) == label)
    return float(correct) / len(X)
''',
    "cross_entropy": '''
def cross_entropy(A2, Y):
    # only the right class counts: pick its probability in each row
    A2, Y = np.asarray(A2, dtype=float), np.asarray(Y, dtype=float)
    right = A2[np.arange(len(A2)), np.argmax(Y, axis=1)]
    return -np.mean(np.log(right + 1e-7))
''',
    "backward_softmax": '''
def backward_softmax(params, cache, Y, activation="sigmoid"):
    # sample by sample, as the lecture does, then the average
    grads = {key: np.zeros(np.shape(value)) for key, value in params.items()}
    for x, z1, a1, a2, y in zip(cache["X"], cache["Z1"], cache["A1"], cache["A2"], np.asarray(Y, dtype=float)):
        delta2 = a2 - y
        slope = relu_derivative(z1) if activation == "relu" else a1 * (1 - a1)
        delta1 = (params["W2"] @ delta2) * slope
        grads["W2"] += np.outer(a1, delta2)
        grads["b2"] += delta2
        grads["W1"] += np.outer(x, delta1)
        grads["b1"] += delta1
    return {key: value / len(cache["X"]) for key, value in grads.items()}
''',
    "STEPS_PER_EPOCH": '''
STEPS_PER_EPOCH = 1437 // 32 + 1   # 44 full batches and a short one
''',
    "train_minibatch": '''
def train_minibatch(X, Y, params, eta, epochs, batch_size, seed, activation="sigmoid"):
    # a while loop over the batches, and the update written out key by key
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        probabilities = forward_softmax(X, params, activation)["A2"]
        losses.append(cross_entropy(probabilities, Y))
        shuffled = rng.permutation(X.shape[0])
        start = 0
        while start < X.shape[0]:
            batch = shuffled[start:start + batch_size]
            grads = backward_softmax(params, forward_softmax(X[batch], params, activation), Y[batch], activation)
            params = {key: params[key] - eta * grads[key] for key in params}
            start += batch_size
    return params, losses
''',
    "HYPERPARAMS": '''
HYPERPARAMS = dict(eta=1, epochs=20, batch_size=32, n_hidden=32, activation="sigmoid")
''',
}

MISTAKES = {
    "one_hot_counts_from_1": ("one_hot", ["one_hot"], '''
def one_hot(labels, n_classes=10):
    return np.eye(n_classes)[np.asarray(labels) - 1]
'''),
    "forward_sigmoid_output": ("forward_softmax", ["forward_softmax", "train_minibatch"], '''
def forward_softmax(X, params, activation="sigmoid"):
    X = np.asarray(X, dtype=float)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1) if activation == "relu" else sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": sigmoid(Z2)}
'''),
    "forward_softmax_without_max_subtraction": ("forward_softmax", ["forward_softmax"], '''
def forward_softmax(X, params, activation="sigmoid"):
    X = np.asarray(X, dtype=float)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1) if activation == "relu" else sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    E = np.exp(Z2)
    return {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": E / E.sum(axis=-1, keepdims=True)}
'''),
    "accuracy_drops_the_last_short_batch": ("accuracy", ["accuracy"], '''
def accuracy(X, labels, params, batch_size=100):
    correct, seen = 0, 0
    for i in range(0, len(X) - batch_size + 1, batch_size):
        probs = forward_softmax(X[i:i + batch_size], params)["A2"]
        correct += np.sum(np.argmax(probs, axis=1) == labels[i:i + batch_size])
        seen += batch_size
    return correct / max(seen, 1)
'''),
    "accuracy_drops_the_last_batch_but_divides_by_all": ("accuracy", ["accuracy"], '''
def accuracy(X, labels, params, batch_size=100):
    correct = 0
    for i in range(0, len(X) - batch_size + 1, batch_size):
        probs = forward_softmax(X[i:i + batch_size], params)["A2"]
        correct += np.sum(np.argmax(probs, axis=1) == labels[i:i + batch_size])
    return correct / len(X)
'''),
    "accuracy_returns_the_count": ("accuracy", ["accuracy"], '''
def accuracy(X, labels, params, batch_size=100):
    probs = forward_softmax(X, params)["A2"]
    return np.sum(np.argmax(probs, axis=1) == labels)
'''),
    "cross_entropy_summed_over_rows": ("cross_entropy", ["cross_entropy", "train_minibatch"], '''
def cross_entropy(A2, Y):
    return -np.sum(np.asarray(Y) * np.log(np.asarray(A2) + 1e-7))
'''),
    "backward_softmax_keeps_the_sigmoid_slope": ("backward_softmax", ["backward_softmax", "train_minibatch"], '''
def backward_softmax(params, cache, Y, activation="sigmoid"):
    N = len(Y)
    A1, A2 = cache["A1"], cache["A2"]
    Delta2 = (A2 - Y) * A2 * (1 - A2)
    slope = relu_derivative(cache["Z1"]) if activation == "relu" else A1 * (1 - A1)
    Delta1 = (Delta2 @ params["W2"].T) * slope
    return {"W1": cache["X"].T @ Delta1 / N, "b1": Delta1.sum(axis=0) / N,
            "W2": A1.T @ Delta2 / N, "b2": Delta2.sum(axis=0) / N}
'''),
    "backward_softmax_without_1_over_N": ("backward_softmax", ["backward_softmax", "train_minibatch", "HYPERPARAMS"], '''
def backward_softmax(params, cache, Y, activation="sigmoid"):
    A1 = cache["A1"]
    Delta2 = cache["A2"] - Y
    slope = relu_derivative(cache["Z1"]) if activation == "relu" else A1 * (1 - A1)
    Delta1 = (Delta2 @ params["W2"].T) * slope
    return {"W1": cache["X"].T @ Delta1, "b1": Delta1.sum(axis=0),
            "W2": A1.T @ Delta2, "b2": Delta2.sum(axis=0)}
'''),
    "steps_per_epoch_drops_the_short_batch": ("STEPS_PER_EPOCH", ["STEPS_PER_EPOCH"], '''
STEPS_PER_EPOCH = 1437 // 32
'''),
    "train_minibatch_records_the_loss_after_the_epoch": ("train_minibatch", ["train_minibatch"], '''
def train_minibatch(X, Y, params, eta, epochs, batch_size, seed, activation="sigmoid"):
    rng, losses = np.random.default_rng(seed), []
    for epoch in range(epochs):
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch_size):
            rows = order[i:i + batch_size]
            grads = backward_softmax(params, forward_softmax(X[rows], params, activation), Y[rows], activation)
            params = sgd_step(params, grads, eta)
        losses.append(cross_entropy(forward_softmax(X, params, activation)["A2"], Y))
    return params, losses
'''),
    "train_minibatch_new_generator_every_epoch": ("train_minibatch", ["train_minibatch"], '''
def train_minibatch(X, Y, params, eta, epochs, batch_size, seed, activation="sigmoid"):
    losses = []
    for epoch in range(epochs):
        losses.append(cross_entropy(forward_softmax(X, params, activation)["A2"], Y))
        order = np.random.default_rng(seed).permutation(len(X))
        for i in range(0, len(X), batch_size):
            rows = order[i:i + batch_size]
            grads = backward_softmax(params, forward_softmax(X[rows], params, activation), Y[rows], activation)
            params = sgd_step(params, grads, eta)
    return params, losses
'''),
    "hyperparams_learning_rate_too_small": ("HYPERPARAMS", ["HYPERPARAMS"], '''
HYPERPARAMS = {"eta": 0.05, "epochs": 30, "batch_size": 32, "n_hidden": 32, "activation": "sigmoid"}
'''),
}
