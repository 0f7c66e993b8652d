"""Code that honest answers in this course never need, listed for a human to review.

No answer here needs to reach into the interpreter: frames, code objects, the garbage
collector, ctypes, IPython's shell, `builtins`, dynamic code (`exec`, `eval`, `compile`,
`__import__`, `globals()`), threads, or writes to dunder attributes. A submission that uses
any of them is listed, with the cell and line, in the grading summary and the class report.
It never changes a score: the grade comes from the tests alone, and a person decides.

The scan reads the code (Python's ``ast``, after IPython turns magics into calls); it never
runs it. It covers every code cell a student could write: all but the locked and test cells,
which autograde puts back from the gradebook, so the autograded notebook holds the
instructor's version of those.
"""

import ast
import os
from dataclasses import dataclass
from glob import glob

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

MODULES = {"ctypes", "gc", "builtins", "threading", "_thread", "concurrent", "multiprocessing",
           "inspect", "importlib", "socket", "subprocess", "signal"}
NAMES = {"exec", "eval", "compile", "__import__", "globals", "vars", "get_ipython", "__builtins__",
         "setattr", "delattr"}
ATTRIBUTES = {"_getframe", "__code__", "f_back", "f_locals", "f_globals", "__globals__",
              "__builtins__", "__closure__", "__dict__", "__subclasses__"}
# what an answer never uses of these two modules
MODULE_ATTRIBUTES = {"sys": {"displayhook", "excepthook", "settrace", "setprofile", "modules", "meta_path",
                             "path_hooks", "exit"},
                     "os": {"_exit", "fork", "kill", "system", "abort"}}
# names that hold a module in every notebook here; a student's own imports are added
MODULE_NAMES = {"np", "numpy", "course", "sys", "math", "plt", "matplotlib"}
HARMLESS_MAGICS = {"time", "timeit", "matplotlib", "precision", "who", "whos"}


@dataclass(frozen=True)
class Finding:
    student: str
    assignment: str
    file: str      # the notebook, or a .py file handed in beside it
    cell: str      # the cell's grade_id, "cell N" for a cell without one, or "file"
    line: int      # in the cell
    what: str


def scan_source(source, modules=MODULE_NAMES):
    """(line, what) for each suspicious use in one cell's code. ``modules``: names that hold
    a module, whose attributes an answer never replaces."""
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return []   # code that does not parse cannot run either; its tests fail on their own
    except Exception as error:  # noqa: BLE001: code nested too deep to parse (RecursionError, ...)
        return [(1, f"code the scan cannot read ({type(error).__name__})")]
    try:
        aliases = {**{name: name for name in modules}, **imported_names(tree)}
        # the get_ipython() in IPython's spelling of a magic or !command is judged with it
        magics = {id(node.func.value.func) for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and _magic_name(node) is not None}
        found = {(getattr(node, "lineno", 0), what) for node in ast.walk(tree)
                 if id(node) not in magics and (what := _suspicious(node, aliases))}
    except RecursionError:
        return [(1, "code the scan cannot read (RecursionError)")]
    return sorted(found)


def imported_names(tree):
    """name -> the module (or ``from`` module) it was imported from, for every import in ``tree``."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update({alias.asname or alias.name.split(".")[0]: alias.name.split(".")[0]
                          for alias in node.names})
        elif isinstance(node, ast.ImportFrom):
            names.update({alias.asname or alias.name: node.module or "" for alias in node.names})
    return names


def _suspicious(node, modules):
    if isinstance(node, ast.Import):
        hits = [a.name for a in node.names if a.name.split(".")[0] in MODULES]
        return f"import {', '.join(hits)}" if hits else None
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        forbidden = ATTRIBUTES | NAMES | MODULE_ATTRIBUTES.get(module, set())
        if module.split(".")[0] in MODULES or any(a.name in forbidden for a in node.names):
            return f"from {module} import {', '.join(a.name for a in node.names)}"
        return None
    if isinstance(node, ast.Call) and (magic := _magic_name(node)) is not None:
        if magic == "!":
            return "shell command (!)"
        return None if magic in HARMLESS_MAGICS else f"IPython magic %{magic}"
    if isinstance(node, ast.Name) and node.id in NAMES:
        return node.id
    if isinstance(node, ast.Attribute):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            if node.attr.startswith("__") and node.attr.endswith("__"):
                return f"writes .{node.attr}"
            if _root_name(node) in modules:
                return f"replaces {ast.unparse(node)}"
        if node.attr in ATTRIBUTES or node.attr in MODULE_ATTRIBUTES.get(modules.get(_root_name(node)), ()):
            return ast.unparse(node)
    return None


def _root_name(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _magic_name(call):
    """The magic's name if ``call`` is how IPython spells %magic or %%magic ("!" for a !command),
    else None."""
    function = call.func
    if not (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Call)
            and isinstance(function.value.func, ast.Name) and function.value.func.id == "get_ipython"):
        return None
    if function.attr in ("system", "getoutput"):
        return "!"
    if function.attr in ("run_line_magic", "run_cell_magic") and call.args and isinstance(call.args[0], ast.Constant):
        return str(call.args[0].value)
    return None


def student_cells(notebook, given=None):
    """(label, source) of every code cell a student could have written: all but the ``given``
    notebook's (the release's) locked and test cells, which autograde puts back by their
    grade_id, and its other cells left as they were. A cell's own metadata decides nothing:
    the student controls it."""
    given_ids, given_sources = set(), set()
    for cell in given.cells if given else ():
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") and (meta.get("locked") or meta.get("grade") and not meta.get("solution")):
            given_ids.add(meta["grade_id"])
        given_sources.add(cell.source)
    cells = []
    for index, cell in enumerate(notebook.cells, start=1):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id not in given_ids and cell.source not in given_sources:
            cells.append((grade_id or f"cell {index}", cell.source))
    return cells


def read_notebook(path):
    """The notebook at ``path``, or None when it cannot be read (the grader reports that)."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001: any unreadable file is the same case
        return None


def scan_submission(folder, student, assignment, release=None):
    """Findings in one autograded submission folder: its notebooks' cells and its own .py files.
    ``release``: the assignment's release folder, whose cells and files are not the student's."""
    given_files = {os.path.basename(p) for p in glob(os.path.join(release, "*"))} if release else set()
    findings = []
    for path in sorted(glob(os.path.join(folder, "*.ipynb"))):
        name = os.path.basename(path)
        notebook = read_notebook(path)
        if notebook is None:
            continue
        given = read_notebook(os.path.join(release, name)) if release else None
        findings += [Finding(student, assignment, name, label, line, what)
                     for label, source in student_cells(notebook, given)
                     for line, what in scan_source(source)]
    for path in sorted(glob(os.path.join(folder, "*.py"))):
        name = os.path.basename(path)
        if name not in given_files and os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as file:
                findings += [Finding(student, assignment, name, "file", line, what)
                             for line, what in scan_source(file.read())]
    return findings


def scan_course(course, assignments=None):
    """Findings in every autograded submission of ``course`` (of ``assignments``, or all)."""
    findings = []
    for folder in sorted(glob(os.path.join(course, "autograded", "*", "*"))):
        assignment, student = os.path.basename(folder), os.path.basename(os.path.dirname(folder))
        if os.path.isdir(folder) and (assignments is None or assignment in assignments):
            release = os.path.join(course, "release", assignment)
            findings += scan_submission(folder, student, assignment, release if os.path.isdir(release) else None)
    return findings


def summary(findings):
    """Lines for a person: one per finding, grouped by submission."""
    if not findings:
        return []
    lines = ["Review by hand (code honest answers never need; the scores are unchanged):"]
    for f in findings:
        lines.append(f"  {f.assignment}  {f.student}  {f.file}  {f.cell}, line {f.line}: {f.what}")
    return lines
