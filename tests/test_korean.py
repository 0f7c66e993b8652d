"""The Korean edition (ko/): generated from source/ and translations/ko/, graded like the English one.

Both editions must have the same cells, grade ids and code, so one gradebook grades both; every
markdown cell must have a current translation that keeps the English's formulas, code and
numbers; every message a learner reads from code must have a Korean translation with the same
placeholders; and the check messages must come out in Korean in a Korean notebook.
"""

import collections
import html
import json
import re
import shutil
import string
import sys
import warnings

import matplotlib
import nbformat
import pytest
from babel.messages.pofile import read_po

import samples
from conftest import ASSIGNMENTS, KOREAN_SUFFIX, ROOT, copy_course, korean_student, nbgrader, notebook_path
from grader.gradebook import cell_grades
from notebooks import errors, in_korean

sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402 (the maintainers' script, imported from scripts/)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
FENCED = re.compile(r"```.*?```", re.S)
MATH = re.compile(r"\$\$.*?\$\$|(?<!\\)\$[^$\n]+?\$", re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)*")
THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")   # 1 797 and 1,797 are 1797


def editions(folder, assignment):
    """The English and the Korean notebook of ``folder`` (source or release)."""
    return (nbformat.read(notebook_path(ROOT / folder, assignment), as_version=4),
            nbformat.read(notebook_path(ROOT / "ko" / folder, assignment), as_version=4))


@pytest.mark.parametrize("folder", ["source", "release"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_both_editions_have_the_same_cells_grade_ids_and_code(assignment, folder):
    english, korean = editions(folder, assignment)
    assert korean.metadata["course"] == {"language": "ko"}
    assert [(c.id, c.cell_type) for c in korean.cells] == [(c.id, c.cell_type) for c in english.cells]
    for mine, theirs in zip(korean.cells, english.cells):
        assert mine.metadata == theirs.metadata, f"cell {mine.id}: metadata differs between the editions"
        if mine.cell_type == "code":
            assert mine.source == theirs.source, f"cell {mine.id}: code differs between the editions"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_markdown_cell_has_a_current_translation(assignment):
    catalog = translations.read_catalog(translations.TRANSLATIONS / f"{assignment}.po")
    entries = {message.context: message for message in catalog if message.id}
    missing, stale = [], []
    for cell_id, english in translations.markdown_texts(assignment):
        entry = entries.get(cell_id)
        if entry is None or not entry.string:
            missing.append(cell_id)
        elif entry.fuzzy or entry.id != english:
            stale.append(cell_id)
    assert not missing, f"{assignment}: cells with no Korean translation: {missing} (translations/ko/{assignment}.po)"
    assert not stale, (f"{assignment}: cells whose English changed since they were translated: {stale}; "
                       f"update their msgstr in translations/ko/{assignment}.po and remove the fuzzy flag")


def untranslatable_parts(text):
    """What a translation must keep as it is: code blocks in order, formulas and inline code as
    multisets, and every number of two or more characters (0.05, 85, 2026: a single digit may
    become a word, "4 decimals" is "소수점 넷째 자리")."""
    code = FENCED.findall(text)
    prose = FENCED.sub(" ", text)
    formulas = MATH.findall(prose)
    prose = MATH.sub(" ", prose)
    inline = INLINE_CODE.findall(prose)
    numbers = [n for n in NUMBER.findall(THOUSANDS.sub("", INLINE_CODE.sub(" ", prose))) if len(n) > 1]
    return {"code blocks": code, "formulas": collections.Counter(formulas),
            "inline code": collections.Counter(inline), "numbers": collections.Counter(numbers)}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_translations_keep_formulas_code_and_numbers(assignment):
    english, korean = editions("source", assignment)
    for mine, theirs in zip(korean.cells, english.cells):
        if mine.cell_type != "markdown":
            continue
        assert HANGUL.search(mine.source), f"cell {mine.id} is not in Korean"
        ours, original = untranslatable_parts(mine.source), untranslatable_parts(theirs.source)
        for part, kept in original.items():
            if part == "numbers":   # the Korean may add some ("1점당 4분" for "4 minutes per point")
                lost = kept - ours[part]
                assert not lost, f"cell {mine.id}: numbers of the English missing in the Korean: {dict(lost)}"
            else:
                assert ours[part] == kept, f"cell {mine.id}: the {part} differ from the English"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_committed_korean_source_is_what_the_translations_build(assignment):
    built = translations.korean_notebook(assignment)
    committed = nbformat.read(notebook_path(ROOT / "ko" / "source", assignment), as_version=4)
    assert json.loads(nbformat.writes(built)) == json.loads(nbformat.writes(committed)), \
        "ko/source/ is out of date: run `make release`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_committed_korean_release_is_the_english_release_in_korean(assignment):
    """nbgrader changes only code cells, so ko/release/ is release/ with ko/source/'s markdown."""
    english = nbformat.read(notebook_path(ROOT / "release", assignment), as_version=4)
    committed = nbformat.read(notebook_path(ROOT / "ko" / "release", assignment), as_version=4)
    assert json.loads(nbformat.writes(in_korean(english, assignment))) == json.loads(nbformat.writes(committed)), \
        "ko/release/ is out of date: run `make release`"


def placeholders(template):
    return sorted(field for _, field, _, _ in string.Formatter().parse(template) if field is not None)


def test_every_message_from_code_has_a_korean_translation_with_the_same_placeholders():
    with translations.RUNTIME_CATALOG.open("rb") as po:
        catalog = {m.id: m for m in read_po(po) if m.id}
    wanted = translations.runtime_strings()
    missing = [text for text in wanted if text not in catalog or not catalog[text].string or catalog[text].fuzzy]
    assert not missing, f"{len(missing)} messages have no Korean in course/locale/ko.po, e.g. {missing[:5]}"
    for text in wanted:
        korean = catalog[text].string
        assert placeholders(korean) == placeholders(text), f"{text!r}: the Korean has other placeholders"
        assert HANGUL.search(korean) or not re.search(r"[A-Za-z]{3}", text), f"{text!r} is not translated"


def test_check_messages_speak_the_notebook_s_language():
    from course import i18n
    from course.checks import check

    def wrong_sigmoid(x):
        return x

    try:
        i18n.set_language("ko")
        with pytest.raises(AssertionError) as raised:
            check(wrong_sigmoid, 0.0, expect=0.5, why="σ(0) = 1 / (1 + 1) = 0.5")
        assert HANGUL.search(str(raised.value)), str(raised.value)
        assert "σ(0) = 1 / (1 + 1) = 0.5" in str(raised.value)
        i18n.set_language("en")
        with pytest.raises(AssertionError) as raised:
            check(wrong_sigmoid, 0.0, expect=0.5, why="σ(0) = 1 / (1 + 1) = 0.5")
        assert not HANGUL.search(str(raised.value))
    finally:
        i18n.set_language(None)


def test_the_edition_comes_from_the_notebook_s_metadata(tmp_path, monkeypatch):
    from course import i18n
    korean = notebook_path(ROOT / "ko" / "release", ASSIGNMENTS[0])
    english = notebook_path(ROOT / "release", ASSIGNMENTS[0])
    assert i18n.notebook_language(korean) == "ko" and i18n.notebook_language(english) == "en"
    assert i18n.notebook_language(tmp_path / "missing.ipynb") == "en"
    monkeypatch.chdir(korean.parent)     # nbclient and nbconvert run a notebook in its folder
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    try:
        i18n.set_language(None)
        assert i18n.language() == "ko"
    finally:
        i18n.set_language(None)


def test_korean_plot_text_renders_with_a_font_that_has_hangul():
    from course import i18n, plots
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    try:
        i18n.set_language("ko")
        plots.use_language_font()
        figure, axes = plt.subplots()
        axes.set_title("결정 경계와 가중치")
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # matplotlib warns "Glyph ... missing from font(s)"
            figure.canvas.draw()
        plt.close(figure)
    finally:
        i18n.set_language(None)


# -- slow: real kernels and real grading -------------------------------------------------------

@pytest.mark.slow
def test_the_sample_class_scores_exactly_the_same_in_both_editions(graded_class):
    """Each sample student's notebook is graded in the shared class twice: as handed in, and as
    the Korean edition's (student ada-ko), by the same gradebook."""
    grades = cell_grades(f"sqlite:///{graded_class / 'gradebook.db'}")
    english = {(g.assignment, g.student, g.cell): g.score for g in grades if g.student in samples.SAMPLE_STUDENTS}
    korean = {(g.assignment, g.student.removesuffix(KOREAN_SUFFIX), g.cell): g.score
              for g in grades if g.student.endswith(KOREAN_SUFFIX)}
    assert english and korean == english


@pytest.mark.slow
def test_a_korean_submission_gets_korean_check_messages_in_its_feedback(graded_class):
    """fay hands in a classic mistake in every assignment: its check message is in Korean."""
    student = korean_student("fay")
    for assignment in ASSIGNMENTS:
        mistake = samples.sample_students(assignment)["fay"]
        autograded = nbformat.read(notebook_path(graded_class / "autograded" / student, assignment), as_version=4)
        failures = [out.evalue for _, out in errors(autograded) if out.ename == "AssertionError"]
        assert failures, f"{assignment} ({mistake}): no check failed"
        assert all(HANGUL.search(message) for message in failures), (assignment, failures)
        feedback = next((graded_class / "feedback" / student / assignment).glob("*.html")).read_text()
        assert HANGUL.search(feedback) and failures[0].split("\n")[0][:40] in html.unescape(feedback)


def test_an_instructor_releases_the_korean_edition_with_nbgrader(course, tmp_path):
    """`nbgrader release_assignment` with the Korean release folder puts Korean notebooks into
    the exchange, under the same assignment name (so one gradebook grades both editions)."""
    root = copy_course(course, tmp_path / "course")
    shutil.copytree(ROOT / "ko" / "release", root / "ko" / "release")
    assignment = ASSIGNMENTS[0]
    done = nbgrader("release_assignment", assignment, "--CourseDirectory.release_directory=ko/release",
                    f"--Exchange.root={tmp_path / 'exchange'}", cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    (released,) = (tmp_path / "exchange").glob(f"*/outbound/{assignment}/*.ipynb")
    assert nbformat.read(released, as_version=4).metadata["course"] == {"language": "ko"}
