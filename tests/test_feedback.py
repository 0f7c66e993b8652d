"""Feedback never shows hidden tests: not in the test cell, not printed by student code."""

import nbformat

from grader.feedback import HIDDEN_NOTE, HideHiddenTests

TEST_CELL = """check(relu, 1.0, expect=1.0, why="visible")
### BEGIN HIDDEN TESTS
secret_inputs = [1234.5, -987.25]
### END HIDDEN TESTS
"""


def graded_notebook():
    test = nbformat.v4.new_code_cell(TEST_CELL, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": "test_relu", "points": 1,
        "schema_version": 3}})
    test.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="relu(-1.0) should be 0",
                                           traceback=["secret_inputs = [1234.5, -987.25]", "AssertionError"])]
    snoop = nbformat.v4.new_code_cell("print(In[2])")
    snoop.outputs = [nbformat.v4.new_output("stream", name="stdout", text=TEST_CELL),
                     nbformat.v4.new_output("execute_result", data={"text/plain": repr(TEST_CELL)})]
    return nbformat.v4.new_notebook(cells=[test, snoop])


def test_hidden_code_is_removed_from_the_cell_and_from_every_output():
    notebook, _ = HideHiddenTests().preprocess(graded_notebook(), {})
    text = nbformat.writes(notebook)
    assert "secret_inputs" not in text
    assert HIDDEN_NOTE in notebook.cells[0].source
    assert notebook.cells[0].outputs[0].traceback == ["AssertionError: relu(-1.0) should be 0"]
    assert 'check(relu, 1.0, expect=1.0, why="visible")' in notebook.cells[1].outputs[0].text
