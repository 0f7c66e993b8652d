"""Sample answers for 03_learning_rule, used by the autograde tests.

ALTERNATIVES: correct answers written differently from the reference (loops, np.add, a training loop
built on perceptron_update, a while loop; NAND_EPOCHS as a computed list): full marks.
MISTAKES: classic wrong answers, each replacing one answer cell: (answer cell, items it breaks, code).
The reference perceptron_update and train_perceptron call update_weights, so a mistake in
update_weights breaks all three; a mistake in perceptron_update breaks only itself (the reference
training loop calls update_weights directly).
"""

ALTERNATIVES = {
    "update_weights": '''
def update_weights(w, b, x, y, o, eta):
    # one weight at a time, into a fresh list
    step = eta * (y - o)
    new_w = [wi + step * xi for wi, xi in zip(np.ravel(w), np.ravel(x))]
    return np.array(new_w, dtype=float), b + step
''',
    "SLIDE_OUTPUTS": '''
SLIDE_OUTPUTS = np.array([perceptron(x, [0.55, 0.55], -0.65) for x in TRUTH_INPUTS])
''',
    "perceptron_update": '''
def perceptron_update(w, b, x, y, eta):
    w, x = np.array(w, dtype=float), np.array(x, dtype=float)
    error = y - step_function(b + np.dot(x, w))
    return np.add(w, eta * error * x), b + eta * error
''',
    "train_perceptron": '''
def train_perceptron(X, Y, w, b, eta=0.05, max_epochs=100):
    # built on perceptron_update; a mistake shows as a change of the weights
    X, Y = np.asarray(X, dtype=float), list(Y)
    w, errors = np.array(w, dtype=float), []
    while len(errors) < max_epochs:
        mistakes = 0
        for i in range(len(X)):
            new_w, new_b = perceptron_update(w, b, X[i], Y[i], eta)
            if new_b != b or not np.array_equal(new_w, w):
                mistakes += 1
            w, b = new_w, new_b
        errors.append(mistakes)
        if mistakes == 0:
            break
    return w, b, errors
''',
    "NAND_EPOCHS": '''
# a list, computed with train_perceptron from the stepper's start
NAND_EPOCHS = [len(train_perceptron(TRUTH_INPUTS, [1, 1, 1, 0], [0.55, 0.55], -0.65, eta)[2]) for eta in (0.04, 0.5)]
''',
}

MISTAKES = {
    "update_sign_flipped": ("update_weights", ["update_weights", "perceptron_update", "train_perceptron"], '''
def update_weights(w, b, x, y, o, eta):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    return w + eta * (o - y) * x, b + eta * (o - y)
'''),
    "update_changes_w_in_place": ("update_weights", ["update_weights", "perceptron_update", "train_perceptron"], '''
def update_weights(w, b, x, y, o, eta):
    w = np.asarray(w, dtype=float)
    w += eta * (y - o) * np.asarray(x, dtype=float)
    return w, b + eta * (y - o)
'''),
    "update_forgets_the_bias": ("update_weights", ["update_weights", "perceptron_update", "train_perceptron"], '''
def update_weights(w, b, x, y, o, eta):
    return np.asarray(w, dtype=float) + eta * (y - o) * np.asarray(x, dtype=float), b
'''),
    "slide_outputs_copied_from_the_slide": ("SLIDE_OUTPUTS", ["SLIDE_OUTPUTS"], '''
SLIDE_OUTPUTS = np.array([0, 1, 1, 1])
'''),
    "perceptron_update_returns_o_too": ("perceptron_update", ["perceptron_update"], '''
def perceptron_update(w, b, x, y, eta):
    o = perceptron(x, w, b)
    return (*update_weights(w, b, x, y, o, eta), o)
'''),
    "train_never_stops_early": ("train_perceptron", ["train_perceptron"], '''
def train_perceptron(X, Y, w, b, eta=0.05, max_epochs=100):
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for x, y in zip(np.asarray(X, dtype=float), Y):
            o = perceptron(x, w, b)
            mistakes += int(o != y)
            w, b = update_weights(w, b, x, y, o, eta)
        errors.append(mistakes)
    return np.asarray(w, dtype=float), b, errors
'''),
    "train_drops_the_clean_epoch": ("train_perceptron", ["train_perceptron"], '''
def train_perceptron(X, Y, w, b, eta=0.05, max_epochs=100):
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for x, y in zip(np.asarray(X, dtype=float), Y):
            o = perceptron(x, w, b)
            mistakes += int(o != y)
            w, b = update_weights(w, b, x, y, o, eta)
        if mistakes == 0:
            break
        errors.append(mistakes)
    return np.asarray(w, dtype=float), b, errors
'''),
    "train_updates_once_per_epoch": ("train_perceptron", ["train_perceptron"], '''
def train_perceptron(X, Y, w, b, eta=0.05, max_epochs=100):
    # batch (offline) updates: every o is computed with the weights of the epoch's start
    X, w, errors = np.asarray(X, dtype=float), np.asarray(w, dtype=float), []
    for _ in range(max_epochs):
        O = perceptron(X, w, b)
        delta = np.asarray(Y) - O
        errors.append(int(np.count_nonzero(delta)))
        w, b = w + eta * delta @ X, b + eta * delta.sum()
        if errors[-1] == 0:
            break
    return w, b, errors
'''),
    "train_counts_after_the_update": ("train_perceptron", ["train_perceptron"], '''
def train_perceptron(X, Y, w, b, eta=0.05, max_epochs=100):
    # counts a mistake with o recomputed from the updated weights
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for x, y in zip(np.asarray(X, dtype=float), Y):
            o = perceptron(x, w, b)
            w, b = update_weights(w, b, x, y, o, eta)
            o = perceptron(x, w, b)
            mistakes += int(o != y)
        errors.append(mistakes)
        if mistakes == 0:
            break
    return np.asarray(w, dtype=float), b, errors
'''),
    "nand_epochs_without_the_clean_epoch": ("NAND_EPOCHS", ["NAND_EPOCHS"], '''
# counts only the epochs with mistakes, not the last, mistake-free one
NAND_EPOCHS = tuple(len(train_perceptron(TRUTH_INPUTS, [1, 1, 1, 0], [0.55, 0.55], -0.65, eta)[2]) - 1
                    for eta in (0.04, 0.5))
'''),
    "nand_epochs_from_zero_weights": ("NAND_EPOCHS", ["NAND_EPOCHS"], '''
# trains from w = (0, 0), b = 0 instead of the stepper's start
NAND_EPOCHS = tuple(len(train_perceptron(TRUTH_INPUTS, [1, 1, 1, 0], [0.0, 0.0], 0.0, eta)[2])
                    for eta in (0.04, 0.5))
'''),
}

# Honest answers in a form the grader must carry across to the checks as the value they stand
# for (issue 22): name -> (answer cell, code around the reference answer, which is {reference}).
HONEST_FORMS = {
    "update_weights_returns_a_namedtuple": ("update_weights", '''
import collections

{reference}

Update = collections.namedtuple("Update", "w b")
plain_update_weights = update_weights


def update_weights(w, b, x, y, o, eta):
    # the pair as a namedtuple: new.w and new.b, and still new[0], new[1]
    return Update(*plain_update_weights(w, b, x, y, o, eta))
'''),
}
