"""Sample answers for 01_perceptron, used by the autograde tests.

ALTERNATIVES: correct answers written differently from the reference (loops, lists, other
formulas); a submission made of them must score full marks.
MISTAKES: classic wrong answers, each replacing one answer cell: (answer cell, items it breaks, code).
A mistake loses exactly the points of the items it breaks: its own, plus any graded function
defined in terms of it whose output it changes (perceptron calls step_function, so a step that
returns booleans makes the perceptron return booleans too; `>=` does not, as no perceptron test
has a net input of exactly 0).
"""

ALTERNATIVES = {
    "step_function": '''
def step_function(x):
    # a loop over a flattened copy, rebuilt into the input's shape
    x = np.array(x, dtype=float)
    out = np.zeros(x.shape, dtype=int)
    flat_in, flat_out = x.reshape(-1), out.reshape(-1)
    for i in range(flat_in.size):
        if flat_in[i] > 0:
            flat_out[i] = 1
    return out
''',
    "sigmoid": '''
def sigmoid(x):
    # the two-branch stable form, never exp of a positive number
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))
''',
    "tanh": '''
def tanh(x):
    return 2 * sigmoid(2 * np.asarray(x, dtype=float)) - 1
''',
    "relu": '''
def relu(x):
    x = np.asarray(x, dtype=float)
    return x * (x > 0)
''',
    "perceptron": '''
def perceptron(x, w, b):
    x, w = np.asarray(x), np.asarray(w)
    if x.ndim == 1:
        return step_function(b + sum(xi * wi for xi, wi in zip(x, w)))
    return np.array([step_function(b + sum(xi * wi for xi, wi in zip(row, w))) for row in x])
''',
    "SIGMOID_CHANGE": '''
SIGMOID_CHANGE = round(float(sigmoid(4) - sigmoid(2)), 2)   # computed, not read off the explorer
''',
    "NEGATIVE_OUTPUT": '''
NEGATIVE_OUTPUT = "B"   # a capital letter is accepted too
''',
}

MISTAKES = {
    "step_uses_greater_or_equal": ("step_function", ["step_function"], '''
def step_function(x):
    return (np.asarray(x) >= 0).astype(int)
'''),
    "step_returns_booleans": ("step_function", ["step_function", "perceptron"], '''
def step_function(x):
    return np.asarray(x) > 0
'''),
    "sigmoid_overflows": ("sigmoid", ["sigmoid"], '''
def sigmoid(x):
    e = np.exp(np.asarray(x, dtype=float))
    return e / (1 + e)
'''),
    "sigmoid_sign_flipped": ("sigmoid", ["sigmoid"], '''
def sigmoid(x):
    return 1 / (1 + np.exp(np.asarray(x, dtype=float)))
'''),
    "tanh_literal_formula": ("tanh", ["tanh"], '''
def tanh(x):
    x = np.asarray(x, dtype=float)
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
'''),
    "relu_builtin_max": ("relu", ["relu"], '''
def relu(x):
    return max(0, x)
'''),
    "perceptron_without_bias": ("perceptron", ["perceptron"], '''
def perceptron(x, w, b):
    return step_function(np.asarray(x) @ np.asarray(w))
'''),
    "sigmoid_change_is_sigmoid_of_4": ("SIGMOID_CHANGE", ["SIGMOID_CHANGE"], '''
SIGMOID_CHANGE = round(float(sigmoid(4)), 2)
'''),
    "negative_output_counts_relu": ("NEGATIVE_OUTPUT", ["NEGATIVE_OUTPUT"], '''
NEGATIVE_OUTPUT = "c"
'''),
}
