"""nbgrader's autograde steps, cut in two: the execution steps a worker runs, the gradebook
steps the one writing process runs. ``execute_steps`` is the worker's whole job."""

import os
import tempfile
import time

import nbformat
from nbconvert.exporters import NotebookExporter
from nbgrader.converters import Autograde
from nbgrader.preprocessors import (AssignLatePenalties, GetGrades, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades, SaveCells)
from traitlets.utils.importstring import import_item

# nbgrader's preprocessors that read or write the gradebook. A custom preprocessor that does
# can say so with a class attribute ``uses_gradebook = True``.
GRADEBOOK_STEPS = (SaveAutoGrades, AssignLatePenalties, SaveCells, OverwriteCells,
                   OverwriteKernelspec, GetGrades)


def uses_gradebook(step):
    return getattr(step, "uses_gradebook", False) or issubclass(step, GRADEBOOK_STEPS)


def split_steps(steps):
    """(execution steps, gradebook steps): the configured list cut at its first gradebook step."""
    classes = [import_item(s) if isinstance(s, str) else s for s in steps]
    cut = next((i for i, cls in enumerate(classes) if uses_gradebook(cls)), len(classes))
    return classes[:cut], classes[cut:]


def dotted(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def file_resources(resources, path):
    """``resources`` plus the ``metadata`` nbconvert's ``from_filename`` would give ``path``."""
    modified = os.path.getmtime(path) if os.path.exists(path) else time.time()
    return {**resources, "metadata": {
        "name": os.path.splitext(os.path.basename(path))[0], "path": os.path.dirname(path),
        "modified_date": time.strftime("%B %d, %Y", time.localtime(modified))}}


def execution_modules(config):
    """The modules a worker imports to run the execution steps that ``config`` sets up."""
    if "autograde_preprocessors" in config.Autograde:
        steps = config.Autograde.autograde_preprocessors
    else:
        steps = Autograde.class_traits()["autograde_preprocessors"].default()
    execution, _ = split_steps(steps)
    # tqdm: a local worker imports the main module again (`python -m grader.parallel` imports
    # it); not grader.parallel itself: Python warns when a worker's main module was imported before
    modules = ["nbgrader.apps.autogradeapp", "nbclient", "tqdm", __name__,
               *(cls.__module__ for cls in execution)]
    manager = config.Execute.get("kernel_manager_class")
    if isinstance(manager, str):
        modules.append(manager.rpartition(".")[0])
    elif manager is not None:
        modules.append(manager.__module__)
    return list(dict.fromkeys(modules))


def execute_steps(config, steps, notebook_json, files, resources):
    """Run the execution steps of nbgrader's autograde on a copy of one submission folder.

    Runs in a Dask worker. ``files`` maps each file of the autograded folder (the sanitized
    notebook, the student's other files, the instructor's data files) to its bytes; they are
    written to a temporary folder, the kernel's working directory. Returns the notebook (JSON)
    and the worker's address.
    """
    from dask.distributed import get_worker

    os.environ["NBGRADER_EXECUTION"] = "autograde"  # what nbgrader sets around these steps
    config = config.copy()
    config.Exporter.default_preprocessors = []
    exporter = NotebookExporter(config=config)
    for step in steps:  # registered as nbgrader does: a step is on if its own `enabled` says so
        exporter.register_preprocessor(import_item(step))
    with tempfile.TemporaryDirectory(prefix="autograde-") as folder:
        for name, data in files.items():
            target = os.path.join(folder, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(data)
        notebook_path = os.path.join(folder, resources["unique_key"] + ".ipynb")
        notebook = nbformat.reads(notebook_json, as_version=4)
        output, _ = exporter.from_notebook_node(notebook, file_resources(resources, notebook_path))
    return output, get_worker().address
