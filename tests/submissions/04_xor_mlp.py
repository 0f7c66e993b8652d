"""Sample answers for 04_xor_mlp, used by the autograde tests.

ALTERNATIVES: correct answers written differently from the reference (other gate wiring, loops,
another XOR network); a submission made of them must score full marks.
MISTAKES: classic wrong answers, each replacing one answer cell: (answer cell, items it breaks, code).
The reference mlp_forward calls layer_forward, so a layer_forward that computes the wrong thing
breaks mlp_forward too. The mlp_forward tests use their own softmax, so a broken softmax costs
only its own points.
"""

ALTERNATIVES = {
    "XOR": '''
def XOR(x1, x2):
    # (x1 and not both) or (x2 and not both): four gates instead of three
    not_both = NAND(x1, x2)
    return OR(AND(x1, not_both), AND(x2, not_both))
''',
    "layer_forward": '''
def layer_forward(X, W, b, activation):
    # explicit sums over the inputs, one unit at a time
    X, W, b = np.asarray(X, dtype=float), np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    rows = np.atleast_2d(X)
    Z = np.zeros((rows.shape[0], W.shape[1]))
    for n in range(rows.shape[0]):
        for j in range(W.shape[1]):
            Z[n, j] = b[j] + sum(rows[n, i] * W[i, j] for i in range(W.shape[0]))
    return activation(Z if X.ndim == 2 else Z[0])
''',
    "XOR_NET": '''
XOR_NET = {   # hidden: OR and AND; output: OR minus twice AND
    "W1": np.array([[1.0, 1.0], [1.0, 1.0]]),
    "b1": np.array([-0.5, -1.5]),
    "W2": np.array([[1.0], [-2.0]]),
    "b2": np.array([-0.5]),
}
''',
    "softmax": '''
def softmax(a):
    # exp(a - logsumexp(a)), with the max pulled out of the log
    a = np.asarray(a, dtype=float)
    m = a.max(axis=-1, keepdims=True)
    log_sum = m + np.log(np.exp(a - m).sum(axis=-1, keepdims=True))
    return np.exp(a - log_sum)
''',
    "mlp_forward": '''
def mlp_forward(X, params, activation=sigmoid, output_activation=None):
    # walk the layers by name until there is none left, without layer_forward
    A, l = np.asarray(X, dtype=float), 1
    while f"W{l}" in params:
        Z = A @ np.asarray(params[f"W{l}"], dtype=float) + np.asarray(params[f"b{l}"], dtype=float)
        if f"W{l + 1}" in params:
            A = activation(Z)
        elif output_activation is None:
            A = Z
        else:
            A = output_activation(Z)
        l += 1
    return A
''',
    "collapse_linear": '''
def collapse_linear(params):
    # read the one layer off the two-layer network: b is its output for the input 0,
    # row i of W is how much the output grows when input i goes from 0 to 1
    W1, b1 = np.asarray(params["W1"], dtype=float), np.asarray(params["b1"], dtype=float)
    W2, b2 = np.asarray(params["W2"], dtype=float), np.asarray(params["b2"], dtype=float)
    def two_layers(X):
        return (X @ W1 + b1) @ W2 + b2
    b = two_layers(np.zeros(W1.shape[0]))
    return two_layers(np.eye(W1.shape[0])) - b, b
''',
    "XOR_LINEAR_BEST": '''
XOR_LINEAR_BEST = 4 - 1   # one line can put at most three of the four XOR points on their sides
''',
}

MISTAKES = {
    "xor_with_or_last": ("XOR", ["XOR"], '''
def XOR(x1, x2):
    return OR(NAND(x1, x2), OR(x1, x2))
'''),
    "xor_with_and_first": ("XOR", ["XOR"], '''
def XOR(x1, x2):
    return AND(AND(x1, x2), OR(x1, x2))
'''),
    "layer_without_bias": ("layer_forward", ["layer_forward", "mlp_forward"], '''
def layer_forward(X, W, b, activation):
    return activation(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float))
'''),
    "layer_activation_before_bias": ("layer_forward", ["layer_forward", "mlp_forward"], '''
def layer_forward(X, W, b, activation):
    return activation(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float)) + np.asarray(b, dtype=float)
'''),
    "xor_net_lecture_orientation": ("XOR_NET", ["XOR_NET"], '''
XOR_NET = {   # rows = units, as on the slides: the transpose of the batch convention
    "W1": np.array([[-0.5, -0.5], [1.0, 1.0]]),
    "b1": np.array([0.7, -0.5]),
    "W2": np.array([[0.5], [0.5]]),
    "b2": np.array([-0.7]),
}
'''),
    "xor_net_flat_output_weights": ("XOR_NET", ["XOR_NET"], '''
XOR_NET = {
    "W1": np.array([[-0.5, 1.0], [-0.5, 1.0]]),
    "b1": np.array([0.7, -0.5]),
    "W2": np.array([0.5, 0.5]),
    "b2": np.array([-0.7]),
}
'''),
    "xor_net_computes_or": ("XOR_NET", ["XOR_NET"], '''
XOR_NET = {
    "W1": np.array([[1.0, 1.0], [1.0, 1.0]]),
    "b1": np.array([-0.5, -1.5]),
    "W2": np.array([[1.0], [0.0]]),
    "b2": np.array([-0.5]),
}
'''),
    "softmax_overflows": ("softmax", ["softmax"], '''
def softmax(a):
    e = np.exp(np.asarray(a, dtype=float))
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    "softmax_one_max_for_the_batch": ("softmax", ["softmax"], '''
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.max(a))
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    "softmax_sums_the_whole_batch": ("softmax", ["softmax"], '''
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e)
'''),
    "mlp_activation_after_the_output": ("mlp_forward", ["mlp_forward"], '''
def mlp_forward(X, params, activation=sigmoid, output_activation=None):
    L = sum(1 for key in params if key.startswith("W"))
    A = np.asarray(X, dtype=float)
    for l in range(1, L + 1):
        A = layer_forward(A, params[f"W{l}"], params[f"b{l}"], activation)
    return A if output_activation is None else output_activation(A)
'''),
    "mlp_sorted_key_names": ("mlp_forward", ["mlp_forward"], '''
def mlp_forward(X, params, activation=sigmoid, output_activation=None):
    names = sorted(key for key in params if key.startswith("W"))   # W1, W10, W11, W2, ...
    A = np.asarray(X, dtype=float)
    for k, name in enumerate(names):
        last = k == len(names) - 1
        h = (output_activation or (lambda z: z)) if last else activation
        A = layer_forward(A, params[name], params["b" + name[1:]], h)
    return A
'''),
    "mlp_trusts_the_dict_order": ("mlp_forward", ["mlp_forward"], '''
def mlp_forward(X, params, activation=sigmoid, output_activation=None):
    weights = [value for key, value in params.items() if key.startswith("W")]
    biases = [value for key, value in params.items() if key.startswith("b")]
    A = np.asarray(X, dtype=float)
    for k, (W, b) in enumerate(zip(weights, biases)):
        last = k == len(weights) - 1
        h = (output_activation or (lambda z: z)) if last else activation
        A = layer_forward(A, W, b, h)
    return A
'''),
    "collapse_forgets_the_hidden_bias": ("collapse_linear", ["collapse_linear"], '''
def collapse_linear(params):
    W1, W2 = np.asarray(params["W1"], dtype=float), np.asarray(params["W2"], dtype=float)
    return W1 @ W2, np.asarray(params["b2"], dtype=float)
'''),
    "collapse_transposes_the_product": ("collapse_linear", ["collapse_linear"], '''
def collapse_linear(params):
    W1, b1 = np.asarray(params["W1"], dtype=float), np.asarray(params["b1"], dtype=float)
    W2, b2 = np.asarray(params["W2"], dtype=float), np.asarray(params["b2"], dtype=float)
    return W2.T @ W1.T, b1 @ W2 + b2
'''),
    "xor_linear_best_all_four": ("XOR_LINEAR_BEST", ["XOR_LINEAR_BEST"], '''
XOR_LINEAR_BEST = 4   # "the weights can be anything, so surely some setting works"
'''),
}
