"""Every release notebook in a real JupyterLab, driven by a real Chromium through Playwright.

One JupyterLab server serves a temporary copy of release/ in which each notebook has the
reference answers filled in (a student who has done the work). For each notebook: open it, run
all cells, check that every widget rendered (its plot image shown, its sliders and other
controls present), move its controls until its plot or table changes (a widget with controls
must respond to one of them), and use nbgrader's Validate button. nbgrader's
assignment list must show every assignment (released into a throw-away exchange with nbgrader's
own API; the student's folder holds them, so they show as downloaded).
A screenshot per notebook goes to artifacts/browser/. The Korean edition (ko/release/) is served
too, under ko/: each of its notebooks runs, shows Korean widgets, renders Korean text with a font
that has Hangul glyphs (never boxes) and validates; its screenshots are artifacts/browser/ko-*.png.

Without Chromium these tests are skipped, saying how to install it; under CI they fail.
"""

import contextlib
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from conftest import ROOT, SHORT_TIMEOUTS, copy_course, nbgrader, notebook_path, require
from grader.gradebook import cell_grades
from lab import CHROMIUM_ARGS, JupyterLab, chromium_or_explain, copy_tree
from notebooks import fill_in, reference_answers

pytestmark = pytest.mark.slow
RELEASED = sorted(p.name for p in (ROOT / "release").iterdir() if p.is_dir())
ARTIFACTS = ROOT / "artifacts" / "browser"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
TIMEOUT_MS = 120_000   # one notebook's cells, or one validation, on a busy 2-core machine

# JavaScript run in the page; `window.jupyterapp` is there thanks to LabApp.expose_app_in_browser.
OPEN = """async (path) => {
    const app = window.jupyterapp;
    const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
    await panel.context.ready;
    await panel.sessionContext.ready;
    app.shell.activateById(panel.id);
    return panel.id;
}"""
RUN_ALL = """async (id) => {
    const app = window.jupyterapp;
    app.shell.activateById(id);
    const ok = await app.commands.execute('notebook:run-all-cells');
    await app.commands.execute('docmanager:save');
    return ok;
}"""
CLOSE = """async (id) => {
    const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.id === id);
    if (!panel) return;
    await panel.sessionContext.shutdown();
    panel.context.model.dirty = false;
    panel.dispose();
}"""
# What a student sees of one widget: its images and its HTML text (the tables).
LOOK = """el => Array.from(el.querySelectorAll('img')).map(i => i.src).join(' ') + ' | ' +
    Array.from(el.querySelectorAll('.widget-html-content')).map(h => h.innerHTML).join(' ')"""
# A control's label, for messages.
NAME = """el => (el.closest('.widget-inline-hbox, .widget-toggle-buttons')?.querySelector('.widget-label')
    ?.textContent || el.textContent || '').trim()"""
# After a control moved: 'changed' once the widget looks different, 'unchanged' once the kernel
# has been idle for 3 s with the widget as before (the move changed nothing); null meanwhile.
SETTLED = """([el, before, id]) => {
    if ((""" + LOOK + """)(el) !== before) return 'changed';
    const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.id === id);
    const idle = panel.sessionContext.session.kernel.status === 'idle';
    window.__idleSince = idle ? (window.__idleSince || Date.now()) : 0;
    return idle && Date.now() - window.__idleSince > 3000 ? 'unchanged' : null;
}"""
# Does the rendered markdown's font draw Hangul? Two different syllables drawn alike are the
# same missing-glyph box.
DRAWS_HANGUL = """el => {
    const context = document.createElement('canvas').getContext('2d');
    const draw = text => {
        context.clearRect(0, 0, 300, 150);
        context.font = `32px ${getComputedStyle(el).fontFamily}`;
        context.fillText(text, 4, 40);
        return context.getImageData(0, 0, 120, 60).data.join(',');
    };
    return draw('가') !== draw('꿹');
}"""
SHOWN_IMAGES = """el => Array.from(el.querySelectorAll('img'))
    .filter(i => i.complete && i.naturalWidth >= 100 && i.offsetParent !== null).length"""


@pytest.fixture(scope="session")
def chromium():
    try:
        return chromium_or_explain()
    except FileNotFoundError as missing:
        require(False, str(missing))


# nbgrader's own API (what its formgrader calls) releasing every assignment in one process, with
# the course's nbgrader_config.py loaded as `nbgrader release_assignment` loads it.
RELEASE_ALL = """
import sys
from nbgrader.apps import NbGrader, NbGraderAPI
app = NbGrader()
app.config_file_paths.append('.')
app.load_config_file()
app.config.Exchange.root = sys.argv[1]
api = NbGraderAPI(config=app.config)
for name in sys.argv[2:]:
    result = api.release_assignment(name)
    assert result['success'], f"release_assignment {name}: {result.get('error')}\\n{result.get('log')}"
"""


def start_releases(exchange, course):
    """Release every release/ assignment into a throw-away exchange, as an instructor does:
    started here, finished by ``finish_releases`` (it runs while JupyterLab starts)."""
    copy_tree(ROOT / "release", course / "release")
    (course / "nbgrader_config.py").write_bytes((ROOT / "nbgrader_config.py").read_bytes())
    return subprocess.Popen([sys.executable, "-c", RELEASE_ALL, str(exchange), *RELEASED], cwd=course,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_releases(run):
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 0, f"releasing into the exchange failed:\n{output}"


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """JupyterLab on a copy of release/ with the reference answers filled in."""
    base = tmp_path_factory.mktemp("lab")
    root = copy_tree(ROOT / "release", base / "student")
    copy_tree(ROOT / "ko" / "release", root / "ko")
    for assignment in RELEASED:
        answers = reference_answers(assignment)
        for target in notebook_path(root, assignment), notebook_path(root / "ko", assignment):
            nbformat.write(fill_in(nbformat.read(target, as_version=4), answers), target)
    releases = start_releases(base / "exchange", base / "course")
    config = (f"c.Exchange.root = {str(base / 'exchange')!r}\n"   # every course in it: just ours
              f"c.CourseDirectory.root = {str(root / 'graded')!r}\n")   # formgrader's (graded by a test)
    try:
        with JupyterLab(root, base / "home", ARTIFACTS / "jupyterlab.log", nbgrader_config=config) as server:
            finish_releases(releases)
            yield server
    finally:
        if releases.poll() is None:
            releases.kill()
            releases.wait()


@pytest.fixture(scope="session")
def page(chromium, lab):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(lab.lab_url())
        page.wait_for_function("window.jupyterapp !== undefined")
        page.evaluate("() => window.jupyterapp.restored")
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")   # room for the notebook
        yield page
        browser.close()


def test_nbgrader_assignment_list_shows_every_assignment(page):
    """Released through the exchange and already in the student's folder: 'Downloaded'."""
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    names = page.locator("#fetched_assignments_list a.assignment-notebooks-link")
    names.first.wait_for()
    assert sorted(names.all_inner_texts()) == RELEASED
    for error in page.locator("#nbgrader-assignment-list .list_error, #nbgrader-assignment-list .version_error").all():
        assert not error.is_visible(), error.inner_text()
    page.screenshot(path=ARTIFACTS / "assignment-list.png")
    page.evaluate("() => window.jupyterapp.shell.currentWidget.close()")


@contextlib.contextmanager
def notebook_run_in_lab(page, lab, path, screenshot):
    """Open the notebook at ``path`` (under the lab's root), run all its cells, check none raised;
    yields (panel id, panel locator, code cell outputs); a screenshot and closing the notebook end it."""
    panel_id = page.evaluate(OPEN, path)
    panel = page.locator(f"[id='{panel_id}']")
    try:
        # the nbgrader extension's Validate button is in the notebook's toolbar
        panel.locator(".validate-button").first.wait_for()

        page.set_default_timeout(TIMEOUT_MS)
        page.evaluate(RUN_ALL, panel_id)
        saved = nbformat.read(lab.root / path, as_version=4)
        outputs = [out for cell in saved.cells if cell.cell_type == "code" for out in cell.outputs]
        failed = [f"{out.ename}: {out.evalue}" for out in outputs if out.output_type == "error"]
        assert not failed, f"cells raised in JupyterLab: {failed}"
        yield panel_id, panel, outputs
    finally:
        page.set_default_timeout(60_000)
        try:
            screenshot_whole_notebook(page, panel, screenshot)
        finally:
            page.evaluate(CLOSE, panel_id)


@pytest.mark.parametrize("assignment", RELEASED)
def test_notebook_runs_and_its_widgets_respond_in_jupyterlab(page, lab, assignment):
    path = notebook_path(lab.root, assignment).relative_to(lab.root).as_posix()
    with notebook_run_in_lab(page, lab, path, ARTIFACTS / f"{assignment}.png") as (panel_id, panel, outputs):
        expected = sum(WIDGET_VIEW in out.get("data", {}) for out in outputs)
        assert expected, "the notebook displayed no widget"

        views = panel.locator(".jp-OutputArea-output:has(> .jupyter-widgets)")
        views.nth(expected - 1).locator("img").first.wait_for(state="attached")
        assert views.count() == expected, f"{views.count()} widgets rendered, {expected} displayed"
        for k in range(expected):
            check_widget_responds(page, views.nth(k), panel_id, f"{assignment} widget {k + 1}")

        validate(page, panel)


@pytest.mark.parametrize("assignment", RELEASED)
def test_korean_notebook_runs_in_korean_in_jupyterlab(page, lab, assignment):
    path = notebook_path(lab.root / "ko", assignment).relative_to(lab.root).as_posix()
    with notebook_run_in_lab(page, lab, path, ARTIFACTS / f"ko-{assignment}.png") as (_, panel, _):
        text = panel.locator(".jp-RenderedMarkdown").first
        assert HANGUL.search(text.inner_text()), "the markdown is not in Korean"
        assert text.evaluate(DRAWS_HANGUL), "the notebook's font draws Hangul as boxes: install fonts-nanum"
        views = panel.locator(".jp-OutputArea-output:has(> .jupyter-widgets)")
        views.first.locator("img").first.wait_for(state="attached")
        labels = " ".join(views.all_inner_texts())
        assert HANGUL.search(labels), f"the widgets are not in Korean: {labels[:300]!r}"
        validate(page, panel)


def check_widget_responds(page, view, panel_id, name):
    """One widget: a plot image shown; if it has controls, moving one changes its plot or table.

    Controls are tried in turn (sliders, dropdowns, toggle buttons, buttons), each until the
    kernel is idle again, as a control may legitimately change nothing in the current view
    (a learning rate before the update step, say); one of them must change something.
    """
    view.scroll_into_view_if_needed()
    broken = view.locator(".jupyter-widgets-error-widget")
    assert not broken.count(), f"{name}: {broken.first.inner_text()[:300]}"
    assert_plot_shown(page, view, name)
    tried = []
    for kind, control in controls(view):
        before = view.evaluate(LOOK)
        page.evaluate("() => { window.__idleSince = 0; }")
        if kind == "slider":
            move_slider(control)
        elif kind == "dropdown":
            values = control.locator("option").evaluate_all("os => os.map(o => o.value)")
            control.select_option(next(v for v in values if v != control.input_value()))
        else:
            control.click()
        tried.append(f"{kind} {control.evaluate(NAME)!r}")
        outcome = page.wait_for_function(SETTLED, arg=[view.element_handle(), before, panel_id]).json_value()
        if outcome == "changed":
            assert_plot_shown(page, view, f"{name}, after moving {tried[-1]}")
            return
    assert not tried, f"{name}: neither plot nor table changed after moving each control: {tried}"


def assert_plot_shown(page, view, name):
    """The widget shows an image of a plot (not a message in its place) within 30 s."""
    try:
        page.wait_for_function(f"el => ({SHOWN_IMAGES})(el) > 0", arg=view.element_handle(), timeout=30_000)
    except PlaywrightTimeout:
        pytest.fail(f"{name} shows no plot; it reads: {view.inner_text()[:500]!r}", pytrace=False)


def controls(view):
    """(kind, locator) of every control a student can move in a widget, sliders first."""
    selectors = [("slider", ".widget-slider .noUi-target"), ("dropdown", ".widget-dropdown select"),
                 ("toggle", ".widget-toggle-buttons button:not(.mod-active)"),
                 ("button", "button.jupyter-button:not(.widget-toggle-button)")]
    return [(kind, control) for kind, selector in selectors for control in view.locator(selector).all()]


def move_slider(track):
    """Click the slider's track a good way from its handle, as a student would."""
    box = track.bounding_box()
    handle = track.locator(".noUi-handle").first.bounding_box()
    at_left = handle["x"] + handle["width"] / 2 < box["x"] + box["width"] / 2
    fraction = 0.85 if at_left else 0.15
    track.click(position={"x": box["width"] * fraction, "y": box["height"] / 2})


def validate(page, panel):
    panel.locator(".validate-button").first.click()
    message = page.locator("#validation-message")
    message.wait_for()
    text = message.inner_text()
    page.locator(".jp-Dialog .jp-Dialog-button").last.click()
    assert "Success! Your notebook passes all the tests." in text, text


def screenshot_whole_notebook(page, panel, path):
    """Grow the window to the notebook's height for one full screenshot, then shrink it back."""
    scroller = panel.locator(".jp-WindowedPanel-outer").first
    height = scroller.evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(max(900, height + 200), 16_000)})
    page.wait_for_timeout(500)
    scroller.evaluate("el => el.scrollTo(0, 0)")
    page.screenshot(path=path)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_hostile_submission_is_shown_never_run_in_formgrader_and_its_feedback(page, lab, course):
    """The bad sample script-in-markdown (a markdown cell with <script>, onerror= and a
    javascript: link, and script in its outputs), graded for real, then opened by the instructor
    in formgrader and in its feedback page: none of its requests ever leaves the page."""
    root = copy_course(course, lab.root / "graded", SHORT_TIMEOUTS)
    student, assignment = "script-in-markdown", "01_perceptron"
    shutil.copytree(ROOT / "tests" / "samples" / "bad" / student, root / "submitted" / student)
    for step in (["autograde", assignment, "--student", student, "--create"],
                 ["generate_feedback", assignment, "--student", student]):
        done = nbgrader(*step, cwd=root)
        assert done.returncode == 0, done.stderr[-3000:]
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    grades = cell_grades(db_url)
    with Gradebook(db_url) as gradebook:
        submission = gradebook.find_submission_notebook("perceptron", assignment, student).id
    feedback = root / "feedback" / student / assignment / "perceptron.html"
    planted = []
    context = page.context.browser.new_context()
    viewer = context.new_page()
    viewer.on("request", lambda request: "planted" in request.url and planted.append(request.url))
    viewer.on("dialog", lambda dialog: planted.append(f"dialog: {dialog.message}") or dialog.dismiss())
    try:
        for url in (f"{lab.url}/formgrader/submissions/{submission}?token={lab.token}", feedback.as_uri()):
            viewer.goto(url)
            viewer.wait_for_load_state("networkidle")
            assert "This cell held HTML that would run" in viewer.content(), url
            name = "formgrader" if url.startswith("http") else "feedback"
            viewer.screenshot(path=str(ARTIFACTS / f"shown-not-run-{name}.png"), full_page=True)
    finally:
        context.close()
    assert planted == []
    assert cell_grades(db_url) == grades
