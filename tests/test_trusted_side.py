"""The two halves of grading that meet over the kernel's messaging: what the student's kernel
encodes (grader/student_side.py) comes back on the trusted side (grader/trusted.py) as the same
plain data, and anything else (a forged or malformed reply) reads as a value that fails its
check, never as an error of the grader. Plus nbgrader's partial credit, graded for real."""

import collections
import copy
import decimal
import enum
import fractions
import json
import shutil
import subprocess
import sys
import time

import nbformat
import numpy as np
import pytest

from nbgrader.coursedir import CourseDirectory

from conftest import ROOT, copy_course, nbgrader
import course.checks
from course.checks import check
from grader import execute, student_side, trusted
from grader.gradebook import cell_grades
from grader.plan import ReleaseMissing, plan_for


class FakeChannel:
    """Stands for the grader: serves each request with student_side's server, in this process."""

    def __init__(self, namespace):
        self.serve = student_side.make_server(namespace)

    def ask(self, message):
        return {"status": "ok", "reply": self.serve(message["request"])}


@pytest.fixture
def bridge():
    def make(**namespace):
        return trusted.Bridge(FakeChannel(namespace))
    return make


def test_values_come_back_as_they_were(bridge):
    values = [1.5, 7, True, None, "text", np.float64(2.5), np.int32(3), np.array(4.0),
              np.arange(6, dtype=np.int16).reshape(2, 3), (1, [2.0, np.zeros(2)]),
              {"W": np.eye(2), "b": np.zeros(2), 3: "three"}, np.array([1 + 2j])]
    side = bridge(identity=copy.deepcopy)
    for value in values:
        got = side.call("identity", (value,), {})
        assert type(got) is type(value), (value, got)
        if isinstance(value, np.ndarray | np.generic):
            assert got.dtype == value.dtype and np.shape(got) == np.shape(value)
        assert repr(got) == repr(value)


def test_a_result_that_is_an_argument_comes_back_as_that_argument(bridge):
    x, params = np.ones(3), {"W": np.ones(2)}
    side = bridge(same=lambda a: a, member=lambda p: p["W"], fresh=lambda a: a.copy())
    assert side.call("same", (x,), {}) is x
    assert side.call("member", (params,), {}) is params["W"]
    assert side.call("fresh", (x,), {}) is not x


def test_honest_values_of_other_kinds_come_back_as_the_value_they_stand_for(bridge):
    Pair = collections.namedtuple("Pair", "w b")
    counts = collections.defaultdict(int, {"a": 1})
    values = {"defaultdict": (counts, {"a": 1}), "OrderedDict": (collections.OrderedDict(a=1), {"a": 1}),
              "namedtuple": (Pair(np.ones(2), 0.5), (np.ones(2), 0.5)), "range": (range(1, 7, 2), range(1, 7, 2)),
              "Fraction": (fractions.Fraction(1, 3), fractions.Fraction(1, 3)),
              "Decimal": (decimal.Decimal("0.1"), decimal.Decimal("0.1")), "complex": (1 + 2j, 1 + 2j),
              "IntEnum": (enum.IntEnum("E", "ONE")(1), 1), "np.str_": (np.str_("AND"), "AND"),
              "np.bool_": (np.bool_(True), np.bool_(True)), "np.float16": (np.float16(0.5), np.float16(0.5)),
              "np.uint8": (np.uint8(7), np.uint8(7)), "np.complex64": (np.complex64(1j), np.complex64(1j))}
    side = bridge(**{name: (lambda v=value: v) for name, (value, _) in values.items()})
    for name, (_, expected) in values.items():
        got = side.call(name, (), {})
        assert type(got) is type(expected) and repr(got) == repr(expected), (name, got)


def test_an_argument_changed_in_place_is_reported_and_this_sides_object_left_alone(bridge, monkeypatch):
    def double_in_place(x):
        x *= 2
        return x

    def scale_params(params):
        params["W"] *= 3
        return params["W"]

    side = bridge(double_in_place=double_in_place, scale_params=scale_params)
    monkeypatch.setattr(course.checks, "watch_changes_elsewhere", side.watch)   # as TrustedSide does
    x, params = np.array([1.0, 2.0]), {"W": np.ones(2)}
    with pytest.raises(AssertionError, match="changed its argument number 1 in place"):
        check(trusted.StudentFunction(side, "double_in_place"), x, expect=[2.0, 4.0], why="doubles")
    assert x.tolist() == [1.0, 2.0]
    wrapped = trusted.StudentFunction(side, "scale_params")   # called inside a helper of the test's
    with pytest.raises(AssertionError, match="changed its argument number 1 in place"):
        check(lambda p: wrapped(p), params, expect=[3.0, 3.0], why="triples")
    got = wrapped(params)
    assert params["W"].tolist() == [1.0, 1.0] and got.tolist() == [3.0, 3.0] and got is not params["W"]
    check(np.sum, params["W"], expect=2.0, why="an honest function given the same object later")


def test_an_argument_holding_nan_is_not_changed_by_a_call_that_leaves_it_alone(bridge, monkeypatch):
    side = bridge(first=lambda values: values[0])
    monkeypatch.setattr(course.checks, "watch_changes_elsewhere", side.watch)
    for values in ([np.nan, 1.0], (np.float64(np.nan),), np.array([np.nan])):
        check(trusted.StudentFunction(side, "first"), values, expect=np.nan, why="nan stays nan")


def test_what_cannot_be_sent_back_fails_its_check_with_the_students_repr(bridge):
    class Mine:
        def __repr__(self):
            return "<Mine>"

    side = bridge(odd=lambda: Mine(), objects=lambda: np.array([object()]))
    got = side.call("odd", (), {})
    assert type(got).__name__ == "Mine" and repr(got) == "<Mine>"
    with pytest.raises(AssertionError, match=r"returned <Mine>, which is not a number"):
        check(trusted.StudentFunction(side, "odd"), expect=1.0, why="a number")
    assert isinstance(side.call("objects", (), {}), trusted.Unencodable)


def test_exceptions_come_back_by_class_and_message(bridge):
    def unwritten(x):
        raise NotImplementedError("Replace this line")

    def broken(x):
        return [1, 2] + x

    side = bridge(unwritten=unwritten, broken=broken)
    with pytest.raises(NotImplementedError, match="Replace this line"):
        check(trusted.StudentFunction(side, "unwritten"), 1.0, expect=1.0, why="-")
    with pytest.raises(AssertionError, match=r"raised TypeError: can only concatenate list"):
        check(trusted.StudentFunction(side, "broken"), 1.0, expect=1.0, why="-")


def test_functions_go_by_value_one_way_and_stand_ins_by_name(bridge):
    def apply(f, x):
        return f(x)

    side = bridge(apply=apply, square=lambda x: x * x)
    offset = 10.0
    assert side.call("apply", (lambda x: x + offset, 1.0), {}) == 11.0
    assert side.call("apply", (trusted.StudentFunction(side, "square"), 3.0), {}) == 9.0


def test_a_name_the_test_deleted_is_gone_while_the_students_function_runs(bridge):
    namespace = {"squares": lambda n: [i * i for i in range(1, n + 1)]}
    exec("def sum_of_squares(n):\n    return sum(squares(n))", namespace)
    side = bridge()
    side.channel.serve = student_side.make_server(namespace)   # the function's own globals
    side.deleted = lambda: ["squares"]
    with pytest.raises(NameError):
        side.call("sum_of_squares", (3,), {})
    side.deleted = lambda: []
    assert side.call("sum_of_squares", (3,), {}) == 14


def test_prints_are_replayed_in_order(bridge, capsys):
    side = bridge(chatty=lambda: print("hello") or 1)
    assert side.call("chatty", (), {}) == 1
    assert capsys.readouterr().out == "hello\n"


def test_constants_are_fetched_and_missing_names_left_undefined(bridge):
    side = bridge(GATE_PARAMS={"AND": (0.5, 0.5, -0.7)}, step=lambda x: x)
    found = side.describe({"GATE_PARAMS", "step", "nowhere"})
    assert found["GATE_PARAMS"] == {"AND": (0.5, 0.5, -0.7)}
    assert isinstance(found["step"], trusted.StudentFunction) and "nowhere" not in found


@pytest.mark.parametrize("reply", [
    {"value": {"array": "../../etc/passwd"}},
    {"value": {"array": "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEwMDAwMDAwMDAsKX0="}},
    {"value": {"nonsense": 1}},
    {"value": {"list": [1], "tuple": [2]}},
    {"value": {"arg": [5]}},
    {"value": {"arg": [0]}},                                    # an argument the call changed
    {"value": {"dict": [[{"list": []}, 1]]}},                  # an unhashable key
    {"value": {"range": [0, 10 ** 30, "x"]}},
    {"value": {"decimal": "1" * 5000}},
    {"value": json.loads("[" * 200 + "]" * 200)},
], ids=["not base64", "a header for a huge array", "unknown tag", "two tags", "no such argument",
        "a changed argument", "unhashable key", "bad range", "long decimal", "deep"])
def test_a_forged_or_malformed_reply_reads_as_a_value_that_fails(bridge, reply):
    side = bridge()
    side.channel.ask = lambda message: {"status": "ok", "reply": json.dumps({**reply, "changed": [0]})}
    got = side.call("anything", (np.ones(2),), {})
    assert isinstance(got, trusted.Unencodable), got
    with pytest.raises(AssertionError):
        check(lambda: got, expect=42.0, why="-")


@pytest.mark.parametrize("answer", [{"status": "ok", "reply": "not json"}, {"status": "failed", "message": "x"},
                                    {"status": "ok", "reply": "[1, 2]"}])
def test_a_broken_student_side_is_a_clear_error_of_the_test_not_of_the_grader(bridge, answer):
    side = bridge()
    side.channel.ask = lambda message: answer
    with pytest.raises(trusted.StudentSideError):
        side.call("anything", (), {})
    shell = trusted.TrustedSide.__new__(trusted.TrustedSide)   # its test op, around this bridge
    shell.shell, shell.bridge = trusted.TrustedShell.instance(), side
    shell.reset("en", [], ["sigmoid"])
    assert shell.prepare("sigmoid(0)", None) == []
    (error,) = shell.test("sigmoid(0)")
    assert error["ename"] == "StudentSideError" and "this test was not run" in error["evalue"]


def test_names_used_are_those_read_before_assigned():
    assert trusted.names_used("x = f(y)\nfor i in range(3):\n    g(i, x)\n") == {"f", "y", "range", "g"}
    assert trusted.names_used("not python (") == set()


def run_trusted_process(requests, cwd, memory=3 * 1024 ** 3):
    """Run the trusted process in a folder of its own inside ``cwd``; it removes that folder when
    its input ends (the grader is gone), whatever the requests did."""
    folder = cwd / "trusted"
    folder.mkdir()
    done = subprocess.run([sys.executable, "-m", "grader.trusted", str(memory), str(folder)], cwd=folder,
                          capture_output=True, text=True, timeout=120,
                          input="".join(json.dumps(r) + "\n" for r in requests))
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["op"] for r in replies] == ["done"] * len(requests), done.stderr
    assert not folder.exists(), "the trusted process left its folder behind"
    return replies


def test_the_trusted_process_answers_like_a_kernel(tmp_path):
    setup = [[1, "import numpy as np\nfrom course.checks import check"]]
    tests = ["print('checked')\n1 / 0", "check(np.sqrt, 4.0, expect=2.0, why='-')\n1.5"]
    replies = run_trusted_process([{"op": "reset", "language": "en", "setup": setup, "interface": []}]
                                  + as_ops(tests, [2, 3]), tmp_path)[2::2]
    printed, error = replies[0]["outputs"]
    assert printed == {"output_type": "stream", "name": "stdout", "text": "checked\n"}
    assert error["output_type"] == "error" and error["ename"] == "ZeroDivisionError" and error["traceback"]
    assert replies[1]["outputs"] == [{"output_type": "execute_result", "data": {"text/plain": "1.5"},
                                      "metadata": {}, "execution_count": replies[1]["execution_count"]}]


def as_ops(tests, positions):
    """The grader's two ops per test cell: prepare, then test."""
    return [op for source, position in zip(tests, positions)
            for op in ({"op": "prepare", "source": source, "position": position}, {"op": "test", "source": source})]


def test_each_test_starts_from_the_set_up_of_the_release_in_its_order(tmp_path):
    """Set-up cells run before the first test that follows them in the release, wherever the
    submission put that test; what a test defines or changes is gone for the next one."""
    setup = [[0, "import numpy as np\nP = {'W': np.ones(2)}"], [5, "LATER = 'the data cell'"]]
    tests = ["P['W'] *= 100\nmine = 1\nprint(P['W'].sum(), 'LATER' in globals())",
             "print(P['W'].sum(), 'mine' in globals(), 'LATER' in globals())",
             "print(LATER)"]
    replies = run_trusted_process([{"op": "reset", "language": "en", "setup": setup, "interface": []}]
                                  + as_ops(tests, [3, 4, 6]), tmp_path)
    assert [r["outputs"][0]["text"] for r in replies[2::2]] == ["200.0 False\n", "2.0 False False\n",
                                                               "the data cell\n"]


def test_the_trusted_process_is_refused_more_memory_than_its_limit(tmp_path):
    replies = run_trusted_process([{"op": "reset", "language": "en", "setup": [], "interface": []}]
                                  + as_ops(["import numpy as np\nnp.ones((1 << 17, 1 << 14))"], [None]),
                                  tmp_path, memory=1024 ** 3)
    assert replies[2]["outputs"][0]["ename"] == "MemoryError"


PARTIAL_CREDIT = '''def half(x):
    """x / 2"""
    ### BEGIN SOLUTION
    return x / 2
    ### END SOLUTION
'''
PARTIAL_TEST = "sum([half(2) == 1, half(4) == 2, half(1) == 0.5, half(0) == 0])   # one point per check"


def test_partial_credit_a_test_cell_returns_is_recorded(bubblewrap, kernel, course, tmp_path):
    """nbgrader reads a test cell whose value is a number as its score: it comes from the trusted
    side now, so it counts (a value the student's code shows never reaches the test cell)."""
    root = copy_course(course, tmp_path / "course")
    folder = root / "source" / "partial"
    folder.mkdir()
    cells = [nbformat.v4.new_code_cell("import numpy as np"), nbformat.v4.new_code_cell(PARTIAL_CREDIT),
             nbformat.v4.new_code_cell(PARTIAL_TEST)]
    cells[0].metadata.nbgrader = {"grade": False, "solution": False, "locked": True, "grade_id": "setup",
                                  "schema_version": 3}
    cells[1].metadata.nbgrader = {"grade": False, "solution": True, "locked": False, "grade_id": "half",
                                  "schema_version": 3}
    cells[2].metadata.nbgrader = {"grade": True, "solution": False, "locked": True, "grade_id": "test_half",
                                  "points": 4, "schema_version": 3}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), folder / "partial.ipynb")
    assert nbgrader("generate_assignment", "partial", "--force", cwd=root).returncode == 0
    answers = {"right": "def half(x):\n    return x / 2\n", "floor": "def half(x):\n    return x // 2\n"}
    for student, answer in answers.items():
        notebook = nbformat.read(root / "release" / "partial" / "partial.ipynb", as_version=4)
        notebook.cells[1].source = answer
        (root / "submitted" / student / "partial").mkdir(parents=True)
        nbformat.write(notebook, root / "submitted" / student / "partial" / "partial.ipynb")
    done = nbgrader("autograde", "partial", "--create", cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    scores = {g.student: g.score for g in cell_grades(f"sqlite:///{root / 'gradebook.db'}")
              if g.assignment == "partial"}
    assert scores == {"right": 4.0, "floor": 3.0}   # 1 // 2 = 0, not 0.5
    shutil.rmtree(folder)


def test_the_plan_comes_from_the_release_and_the_answer_cells(tmp_path):
    coursedir = CourseDirectory(root=str(ROOT))
    plan = plan_for(coursedir, "07_digits", "digits")
    setup = {source.splitlines()[0]: position for position, source in plan.setup}
    assert setup["# The small 2-2-3 network the checks below use: few enough numbers to follow by hand"] \
        < plan.position("test_forward_softmax") < plan.position("test_backward_softmax")
    assert plan.interface == ["HYPERPARAMS", "STEPS_PER_EPOCH", "accuracy", "backward_softmax", "cross_entropy",
                              "forward_softmax", "one_hot", "train_minibatch"]
    assert plan.position("a test the release does not have") is None
    with pytest.raises(ReleaseMissing, match="nbgrader generate_assignment 07_digits"):
        plan_for(CourseDirectory(root=str(tmp_path)), "07_digits", "digits")


def test_a_trusted_side_past_its_deadline_is_stopped_and_the_next_is_fresh():
    """The grader's end: a test cell that keeps the trusted side busy past its deadline fails
    that cell (TrustedSideFailed), and the next trusted side is a new process."""
    first = execute.trusted_side(3 * 1024 ** 3)
    first.run("reset", None, language="en", setup=[], interface=[])
    first.run("prepare", None, source="", position=None)
    with pytest.raises(execute.TrustedSideFailed, match="past its time limit"):
        first.run("test", None, source="import time\ntime.sleep(30)", deadline=time.monotonic() + 2)
    assert not first.alive()
    second = execute.trusted_side(3 * 1024 ** 3)
    assert second is not first and second.alive()
    second.run("reset", None, language="en", setup=[], interface=[])
    second.run("prepare", None, source="", position=None)
    outputs, _ = second.run("test", None, source="print('fresh')")
    assert outputs == [{"output_type": "stream", "name": "stdout", "text": "fresh\n"}]
