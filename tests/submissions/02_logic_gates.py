"""Sample answers for 02_logic_gates, used by the autograde tests.

ALTERNATIVES: correct answers written differently from the reference (other parameter sets, the
threshold form, a search written as three nested loops): full marks, since the tests accept any
triple that computes the gate (find_perceptron_params must return the first triple that works).
MISTAKES: classic wrong answers, each replacing one answer cell: (answer cell, items it breaks, code).
No graded item calls another one (the gates and the search use the given perceptron), so each
mistake breaks only its own item.
"""

ALTERNATIVES = {
    "AND": '''
def AND(x1, x2):
    # the other AND of the lecture, w = (1, 1), b = -1.5
    return perceptron([x1, x2], [1.0, 1.0], -1.5)
''',
    "NAND": '''
def NAND(x1, x2):
    # threshold form: fire when w·x > theta, i.e. b = -theta
    w, theta = np.array([-0.5, -0.5]), -0.7
    return perceptron(np.array([x1, x2], dtype=float), w, -theta)
''',
    "OR": '''
def OR(x1, x2):
    return perceptron(np.array([[x1, x2]]), np.array([0.7, 0.7]), -0.3)[0]
''',
    "GATE_PARAMS": '''
GATE_PARAMS = {
    "AND": [1.0, 1.0, -1.5],
    "NAND": (-2, -2, 3),
    "OR": (0.5, 0.5, -0.2),
    "NOR": (-0.3, -0.4, 0.2),
}
''',
    "find_perceptron_params": '''
def find_perceptron_params(targets, values=np.linspace(-1, 1, 21)):
    # three nested loops visit the triples in itertools.product order; stop at the first match
    wanted = [int(t) for t in targets]
    for w1 in values:
        for w2 in values:
            for b in values:
                if truth_table(w1, w2, b).tolist() == wanted:
                    return (w1, w2, b)
    return None
''',
    "SLIDE_AND": '''
# the letter, chosen by code from the net inputs of b = -1
net = -1.0 + TRUTH_INPUTS @ np.array([1.0, 1.0])
still_and = truth_table(1.0, 1.0, -1.0).tolist() == [0, 0, 0, 1]
SLIDE_AND = "b" if still_and and (net == 0).sum() == 2 else "a"
''',
    "AND_COUNT": '''
# all 125 triples at once; np.count_nonzero of a NumPy comparison
grid = np.array(list(itertools.product([-2, -1, 0, 1, 2], repeat=3)), dtype=float)
outputs = (grid[:, 2:3] + grid[:, :2] @ TRUTH_INPUTS.T > 0).astype(int)
AND_COUNT = np.int64(np.count_nonzero((outputs == [0, 0, 0, 1]).all(axis=1)))
''',
}

MISTAKES = {
    "and_threshold_used_as_bias": ("AND", ["AND"], '''
def AND(x1, x2):
    return perceptron(np.array([x1, x2]), np.array([0.5, 0.5]), 0.7)
'''),
    "nand_bias_sign_copied_from_theta": ("NAND", ["NAND"], '''
def NAND(x1, x2):
    return perceptron(np.array([x1, x2]), np.array([-0.5, -0.5]), -0.7)
'''),
    "or_returns_a_boolean": ("OR", ["OR"], '''
def OR(x1, x2):
    return -0.5 + 1.0 * x1 + 1.0 * x2 > 0
'''),
    "nor_bias_sign": ("GATE_PARAMS", ["GATE_PARAMS"], '''
GATE_PARAMS = {"AND": (0.5, 0.5, -0.7), "NAND": (-0.5, -0.5, 0.7), "OR": (1.0, 1.0, -0.5),
               "NOR": (-1.0, -1.0, -0.5)}
'''),
    "search_any_row_matches": ("find_perceptron_params", ["find_perceptron_params"], '''
def find_perceptron_params(targets, values=np.linspace(-1, 1, 21)):
    for w1, w2, b in itertools.product(values, repeat=3):
        if (truth_table(w1, w2, b) == np.asarray(targets)).any():
            return (w1, w2, b)
    return None
'''),
    "search_ignores_values": ("find_perceptron_params", ["find_perceptron_params"], '''
def find_perceptron_params(targets, values=np.linspace(-1, 1, 21)):
    for w1, w2, b in itertools.product(np.linspace(-1, 1, 21), repeat=3):
        if np.array_equal(truth_table(w1, w2, b), targets):
            return (w1, w2, b)
    return None
'''),
    "search_returns_the_last_triple_tried": ("find_perceptron_params", ["find_perceptron_params"], '''
def find_perceptron_params(targets, values=np.linspace(-1, 1, 21)):
    for w1, w2, b in itertools.product(values, repeat=3):
        if np.array_equal(truth_table(w1, w2, b), targets):
            break
    return (w1, w2, b)
'''),
    "gate_params_threshold_form": ("GATE_PARAMS", ["GATE_PARAMS"], '''
GATE_PARAMS = {"AND": (0.5, 0.5, 0.7), "NAND": (-0.5, -0.5, -0.7), "OR": (1.0, 1.0, -0.5),
               "NOR": (-1.0, -1.0, 0.5)}
'''),
    "search_keeps_the_last_match": ("find_perceptron_params", ["find_perceptron_params"], '''
def find_perceptron_params(targets, values=np.linspace(-1, 1, 21)):
    # collects every match and returns the last one, not the first
    wanted = [int(t) for t in targets]
    matches = []
    for w1, w2, b in itertools.product(values, repeat=3):
        if truth_table(w1, w2, b).tolist() == wanted:
            matches.append((w1, w2, b))
    return matches[-1] if matches else None
'''),
    "slide_and_trusts_the_slide": ("SLIDE_AND", ["SLIDE_AND"], '''
SLIDE_AND = "c"
'''),
    "and_count_with_step_of_zero_one": ("AND_COUNT", ["AND_COUNT"], '''
# counts with a >= 0 (step(0) = 1), not the given perceptron's a > 0
AND_COUNT = sum([int(b + w1 * x1 + w2 * x2 >= 0) for x1, x2 in TRUTH_INPUTS] == [0, 0, 0, 1]
                for w1, w2, b in itertools.product([-2, -1, 0, 1, 2], repeat=3))
'''),
    "and_count_on_the_default_grid": ("AND_COUNT", ["AND_COUNT"], '''
AND_COUNT = sum(truth_table(w1, w2, b).tolist() == [0, 0, 0, 1]
                for w1, w2, b in itertools.product(np.linspace(-1, 1, 21), repeat=3))
'''),
}
