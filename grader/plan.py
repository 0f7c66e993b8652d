"""What the trusted side needs of an assignment, read from the instructor's files, never from a
submission: the release's set-up cells in the release's order, where each test cell stands in
it, and the names the answer cells define (the only names a test may take from the student):
the functions, classes and assigned names at the top level of the source's answer cells (and of
the release's, whose stubs keep each `def` line). Imports and loop variables are not among them;
without source/, a constant whose whole assignment is inside the solution region is not either.

A set-up cell is a locked code cell that is not a test (nbgrader's "read-only" cells: imports,
given helpers, data). Its position is its index among the release notebook's cells; a test runs
after the set-up cells that stand before it there, wherever the submission moved it.
"""

import ast
import os
from dataclasses import dataclass, field

import nbformat
from nbgrader.utils import is_grade, is_locked, is_solution


class ReleaseMissing(RuntimeError):
    """The assignment's release notebook, which grading takes the set-up from, is not there."""


@dataclass
class TrustedPlan:
    setup: list = field(default_factory=list)       # [position, source] of each set-up cell
    tests: dict = field(default_factory=dict)       # grade_id -> position
    interface: list = field(default_factory=list)   # names the answer cells define

    def position(self, grade_id):
        """Where a test stands in the release (None: unknown there, so after every set-up cell)."""
        return self.tests.get(grade_id)


def plan_for(coursedir, assignment, notebook):
    """The plan of ``notebook`` (its name without .ipynb) of ``assignment`` in ``coursedir``
    (nbgrader's CourseDirectory): from release/, with the answer cells' names also read from
    source/ when it is there (a release's answer cell may hold only the stub)."""
    release = os.path.join(coursedir.format_path(coursedir.release_directory, ".", assignment), f"{notebook}.ipynb")
    if not os.path.isfile(release):
        raise ReleaseMissing(f"{release} is missing: grading runs the set-up cells of the release, never the "
                             f"submission's. Run `nbgrader generate_assignment {assignment}` and grade again.")
    plan = TrustedPlan()
    cells = nbformat.read(release, as_version=4).cells
    source = os.path.join(coursedir.format_path(coursedir.source_directory, ".", assignment), f"{notebook}.ipynb")
    if os.path.isfile(source):
        cells = cells + [cell for cell in nbformat.read(source, as_version=4).cells if is_solution(cell)]
    names = set()
    for position, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if is_grade(cell) and not is_solution(cell):
            plan.tests.setdefault(cell.metadata.nbgrader["grade_id"], position)
        elif is_locked(cell) and not is_solution(cell):
            plan.setup.append([position, cell.source])
        elif is_solution(cell):
            names |= defined_names(cell.source)
    plan.interface = sorted(names)
    return plan


def defined_names(source):
    """The names a cell binds at its top level: functions, classes, assigned names."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names
