"""course.checks: the self-check helper says what is wrong, and names classic mistakes."""

import numpy as np
import pytest

from course.checks import as_number, check


def message(func, *args, **kwargs):
    with pytest.raises(AssertionError) as failure:
        check(func, *args, **kwargs)
    return str(failure.value)


def test_a_correct_answer_passes_silently(capsys):
    check(lambda x: np.asarray(x) * 2.0, [1, 2], expect=[2, 4], why="doubles")
    assert capsys.readouterr() == ("", "")


def test_not_implemented_reaches_the_notebook_unchanged():
    def unwritten(x):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        check(unwritten, 1, expect=1, why="")


def test_the_message_says_call_expected_got_and_why():
    text = message(lambda x: np.asarray(x) + 1.0, 1.0, expect=3.0, why="it triples")
    assert text == "<lambda>(1.0) should be 3, got 2: it triples"


def test_a_known_wrong_output_names_the_mistake():
    def step(x):
        return (np.asarray(x) >= 0).astype(int)
    text = message(step, 0.0, expect=0, returns="int", why="", mistakes=[(1, "use > not >=")])
    assert text.endswith("use > not >=")


def test_nan_matches_a_mistake_and_is_pointed_out_otherwise():
    def overflowing(x):
        e = np.exp(np.asarray(x, dtype=float))
        return e / (1 + e)
    assert "overflow" in message(overflowing, [1000.0], expect=[1.0], why="")
    named = message(overflowing, [1000.0], expect=[1.0], why="", mistakes=[([np.nan], "inf / inf")])
    assert named.endswith("inf / inf")


def test_missing_return_shape_and_type_are_each_named():
    assert "did you forget `return`" in message(lambda x: None, 1, expect=1, why="")
    assert "shape (1,)" in message(lambda x: np.array([x]), 1.0, expect=1.0, why="")
    assert "booleans" in message(lambda x: np.asarray(x) > 0, [1], expect=[1], returns="int", why="")
    assert "integers" in message(lambda x: np.asarray(x, float), [1], expect=[1], returns="int", why="")
    assert "not a number" in message(lambda x: "one", 1, expect=1, why="")


def test_list_inputs_get_a_hint_not_a_bare_traceback():
    text = message(lambda x: (x > 0), [1, -1], expect=[1, 0], why="")
    assert "raised TypeError" in text and "np.asarray(x)" in text


def test_a_minus_sign_on_a_list_gets_the_list_hint():
    text = message(lambda x: 1 / (1 + np.exp(-x)), [0.0, 1.0], expect=[0.5, 0.7310585786300049], why="")
    assert "bad operand type for unary -: 'list'" in text and "np.asarray(x, dtype=float)" in text


def test_whole_array_if_gets_a_hint():
    text = message(lambda x: max(0, x), np.array([1.0, -1.0]), expect=[1.0, 0.0], why="")
    assert "element by element" in text


def test_changing_the_input_in_place_is_caught():
    def doubles_in_place(x):
        x *= 2
        return x
    assert "in place" in message(doubles_in_place, np.array([1.0, 2.0]), expect=[2.0, 4.0], why="")


def test_warnings_from_learner_code_never_reach_stderr(capfd):
    check(lambda x: 1 / (1 + np.exp(-np.asarray(x, float))), [-1000.0], expect=[0.0], why="")
    assert capfd.readouterr().err == ""


def test_a_params_dict_changed_in_place_is_caught():
    def scales_in_place(params):
        params["W1"] *= 2
        return params["W1"]
    params = {"W1": np.ones(2), "b1": np.zeros(2)}
    check(lambda p: p["W1"] * 2, params, expect=[2, 2], why="doubles W1")   # no change: passes
    assert "changed its argument number 1 in place" in message(scales_in_place, params, expect=[2, 2], why="")


def test_check_dict_checks_each_key_and_names_it():
    from course.checks import check_dict

    def grads(p):
        return {"W": p["W"] * 2, "b": p["b"] + 1}
    params = {"W": np.ones((2, 2)), "b": np.zeros(2)}
    check_dict(grads, params, expect={"W": 2 * np.ones((2, 2)), "b": np.ones(2)}, why="rule")
    with pytest.raises(AssertionError) as failure:
        check_dict(grads, params, expect={"W": 2 * np.ones((2, 2)), "b": np.zeros(2)},
                   why={"W": "", "b": "b + 1"}, mistakes={"b": [(np.ones(2), "named mistake")]})
    assert str(failure.value) == "grads(a dict with keys W, b)['b'] returned [1., 1.]. named mistake"
    with pytest.raises(AssertionError, match=r"\['W'\] returned shape \(2, 2\), expected shape \(2,\)"):
        check_dict(grads, params, expect={"W": np.ones(2)}, why="")
    with pytest.raises(AssertionError, match="without 'c': it must hold the keys 'W', 'c'"):
        check_dict(grads, params, expect={"W": 2 * np.ones((2, 2)), "c": 1}, why="")
    with pytest.raises(AssertionError, match="returned list, expected a dict"):
        check_dict(lambda p: [1], params, expect={"W": 1}, why="")


def test_a_function_argument_is_shown_by_its_name():
    text = message(lambda f, x: f(x), np.sin, 0.0, expect=1.0, why="sin' = cos")
    assert text == "<lambda>(sin, 0.0) should be 1, got 0: sin' = cos"


def test_a_wrong_shape_says_why_and_only_elementwise_outputs_follow_the_input():
    def losses(epochs):
        return np.zeros(epochs + 1)
    text = message(losses, 2, expect=[0.0, 0.0], why="one loss per epoch")
    assert text == "losses(2) returned shape (3,), expected shape (2,): one loss per epoch"
    assert "shape of the input" in message(lambda x: np.zeros(3), np.ones(2), expect=[1.0, 1.0], why="")


def test_a_mistake_of_another_shape_is_named():
    def losses(epochs):
        return np.zeros(epochs + 1)
    text = message(losses, 2, expect=[0.0, 0.0], why="", mistakes=[([0.0, 0.0, 0.0], "one loss too many")])
    assert text.endswith("one loss too many")


def test_the_list_hint_is_given_only_when_a_list_was_the_problem():
    def index_error(x):
        return [][0]
    assert "Likely cause" not in message(index_error, np.ones(2), expect=[1.0, 1.0], why="")
    assert "np.asarray(x)" in message(lambda x: x.astype(float), [1, 2], expect=[1.0, 2.0], why="")


@pytest.mark.parametrize("value, whole, number", [
    (0.25, False, 0.25), (np.float64(0.1), False, 0.1), (np.array(0.5), False, 0.5), (3, False, 3.0),
    (45.0, True, 45), (np.ceil(1437 / 32), True, 45), (np.int64(7), True, 7), (np.array(22), True, 22)])
def test_as_number_takes_every_form_an_honest_answer_may_have(value, whole, number):
    got = as_number(value, "ANSWER", whole=whole)
    assert got == number and type(got) is (int if whole else float)


@pytest.mark.parametrize("value, whole", [("0.5", False), (True, False), ([1.0], False), (np.array([2.0]), False),
                                          (float("nan"), False), (None, False), (0.5, True), (np.inf, True)])
def test_as_number_says_what_form_an_answer_must_take(value, whole):
    with pytest.raises(AssertionError, match=r"ANSWER must be (one number|a whole number)"):
        as_number(value, "ANSWER", whole=whole)
