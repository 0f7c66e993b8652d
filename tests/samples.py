"""The sample class: submissions made from release/ and the sample answers in tests/submissions/.

    python tests/samples.py      (re)write tests/samples/good/<student>/<assignment>/<notebook>

Six students, the same in every assignment: ada (the reference answers), ben (correct answers
written another way), cy (hands in the untouched notebook), dee (answers only the first half),
eli (the first classic mistake of each notebook) and fay (the second). test_samples.py checks the
committed files match what this builds; test_cycle.py grades them (`python -m grader demo`, as
`make demo` does) and checks every score.
"""

import runpy
from pathlib import Path

import nbformat

from notebooks import ROOT, fill_in, notebook_path, reference_answers

SAMPLES = ROOT / "tests" / "samples" / "good"


def cases(assignment):
    """Named submissions of one assignment: name -> (answers to fill into the release, items
    expected to score 0). The reference, answers written another way, the untouched notebook,
    the first half answered, one case per classic mistake ("mistake-<name>") and one per honest
    answer in an unusual form ("honest-<name>", full marks)."""
    reference = reference_answers(assignment)
    sample = runpy.run_path(str(ROOT / "tests" / "submissions" / f"{assignment}.py"))
    items = list(reference)
    half = items[: (len(items) + 1) // 2]
    named = {
        "reference": (reference, []),
        "written-another-way": ({**reference, **sample["ALTERNATIVES"]}, []),
        "untouched": ({}, items),
        "first-half": ({k: reference[k] for k in half}, [k for k in items if k not in half]),
    }
    for name, (cell, broken, code) in sample["MISTAKES"].items():
        named[f"mistake-{name}"] = ({**reference, cell: code}, broken)
    for name, (cell, code) in sample.get("HONEST_FORMS", {}).items():
        named[f"honest-{name}"] = ({**reference, cell: code.format(reference=reference[cell])}, [])
    return named


SAMPLE_STUDENTS = ["ada", "ben", "cy", "dee", "eli", "fay"]


def sample_students(assignment):
    """The six sample students of one assignment: student -> the case they hand in."""
    named = cases(assignment)
    mistakes = [name for name in named if name.startswith("mistake-")]
    chosen = ["reference", "written-another-way", "untouched", "first-half", mistakes[0],
              mistakes[min(1, len(mistakes) - 1)]]
    return dict(zip(SAMPLE_STUDENTS, chosen))


def sample_class(assignment):
    """The six sample students' submissions of one assignment (see the module's docstring)."""
    named = cases(assignment)
    return {student: named[case] for student, case in sample_students(assignment).items()}


def other_students(assignment):
    """A student for each case the sample class leaves out: student id -> case."""
    chosen = set(sample_students(assignment).values())
    return {f"{case}-{assignment}": case for case in cases(assignment) if case not in chosen}


def sampled_assignments():
    """The assignments the committed sample class has submissions for."""
    return sorted({p.name for p in SAMPLES.glob("*/*") if p.is_dir()})


def points(assignment):
    """item -> the points of its test cell."""
    source = nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4)
    return {c.metadata["nbgrader"]["grade_id"].removeprefix("test_"): c.metadata["nbgrader"]["points"]
            for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")}


def build():
    """relative path -> notebook, for every sample of every assignment."""
    built = {}
    for folder in sorted(p for p in (ROOT / "release").iterdir() if p.is_dir()):
        release_path = notebook_path(ROOT / "release", folder.name)
        release = nbformat.read(release_path, as_version=4)
        for student, (answers, _) in sample_class(folder.name).items():
            built[Path(student, folder.name, release_path.name)] = fill_in(release, answers)
    return built


# Late submissions (tests/samples/late/README.md): student -> the sample student whose 01_perceptron
# they hand in, with a timestamp.txt of their own (kept) and the due dates in due_dates.csv.
LATE = ROOT / "tests" / "samples" / "late"
LATE_STUDENTS = {"gus": "eli", "hal": "ada", "ivy": "ada"}


if __name__ == "__main__":
    built = build()
    for relative, notebook in built.items():
        (SAMPLES / relative).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, SAMPLES / relative)
        print(f"wrote tests/samples/good/{relative}")
    for late, like in LATE_STUDENTS.items():
        for relative, notebook in built.items():
            if relative.parts[:2] == (like, "01_perceptron"):
                nbformat.write(notebook, LATE / late / Path(*relative.parts[1:]))
                print(f"wrote tests/samples/late/{late}/{Path(*relative.parts[1:])}")
