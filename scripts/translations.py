"""The Korean edition: translation files kept up to date with source/, and ko/source/ built from them.

Usage: python scripts/translations.py update   # add new texts to the .po files, flag changed ones
       python scripts/translations.py build    # write ko/source/ from source/ and the .po files

Markdown cells are translated in translations/ko/<assignment>.po, one entry per cell: its
nbformat id is the context (msgctxt), its English text the msgid. Learner-facing strings in code
(check messages in test cells, widget labels in course/) are translated at run time from
course/locale/ko.po, keyed by the English text itself (course.i18n.tr).

An entry whose English changed since it was translated is flagged fuzzy, keeping the old English
as its previous msgid, so a translator sees what changed (Poedit and Weblate show it); a fuzzy or
empty entry leaves its cell in English and is reported by `build` and failed by the tests.
"""

import ast
import copy
import re
import sys
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "ko"
TRANSLATIONS = ROOT / "translations" / LANGUAGE
RUNTIME_CATALOG = ROOT / "course" / "locale" / f"{LANGUAGE}.po"
EDITION = ROOT / LANGUAGE
# The keyword arguments of course.checks whose strings a learner reads.
MESSAGE_KEYWORDS = {"why", "mistakes"}


def assignments():
    return sorted(path.parent.name for path in (ROOT / "source").glob("*/*.ipynb"))


def source_notebook(assignment):
    return next((ROOT / "source" / assignment).glob("*.ipynb"))


def read_catalog(path):
    if not path.exists():
        return Catalog(locale=LANGUAGE)
    with path.open("rb") as po:
        return read_po(po, locale=LANGUAGE)


def write_catalog(catalog, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=0, sort_output=False, omit_header=False)


def markdown_texts(assignment):
    """(cell id, English text) of every markdown cell of the assignment's source notebook."""
    notebook = nbformat.read(source_notebook(assignment), as_version=4)
    return [(cell.id, cell.source) for cell in notebook.cells if cell.cell_type == "markdown"]


def merged(catalog, texts, project):
    """A catalog holding exactly ``texts`` ((context, English) pairs) in their order, keeping every
    translation made; one whose English changed is flagged fuzzy with the old English kept."""
    fresh = Catalog(locale=LANGUAGE, project=project, fuzzy=False)
    by_context = {(m.context or m.id): m for m in catalog if m.id}
    for context, english in texts:
        old = by_context.get(context)
        if old is None:
            fresh.add(english, "", context=context if context != english else None)
            continue
        changed = old.id != english
        flags = set(old.flags) | ({"fuzzy"} if changed else set())
        previous = [old.id] if changed else list(old.previous_id)
        fresh.add(english, old.string, context=old.context, flags=flags, previous_id=previous,
                  auto_comments=old.auto_comments, user_comments=old.user_comments)
    return fresh


def runtime_strings():
    """The English texts course.i18n.tr translates: tr("...") and translatable("...") in course/ and in the
    notebooks' code cells, and the why= and mistakes= texts passed to the checks."""
    found = {}
    for module in sorted((ROOT / "course").rglob("*.py")):
        for text in strings_in_code(module.read_text(encoding="utf-8")):
            found.setdefault(text, None)
    for assignment in assignments():
        for cell in nbformat.read(source_notebook(assignment), as_version=4).cells:
            if cell.cell_type == "code":
                for text in strings_in_code(cell.source):
                    found.setdefault(text, None)
    return list(found)


def strings_in_code(code):
    code = re.sub(r"^\s*[%!].*$", "", code, flags=re.M)  # IPython magics are not Python
    tree = ast.parse(code)
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in ("tr", "translatable") and node.args:
                texts += literal_strings(node.args[0])
            for keyword in node.keywords:
                if keyword.arg in MESSAGE_KEYWORDS:
                    texts += message_strings(keyword.value)
        elif isinstance(node, ast.Assert) and node.msg is not None:
            texts += literal_strings(node.msg)
    return texts


def literal_strings(node):
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


def message_strings(node):
    """The strings of a why= or mistakes= value, wherever they stand in it (a literal, a dict of
    them, (wrong, text) pairs, a comprehension of pairs), except dict keys and subscripts."""
    if isinstance(node, ast.Constant):
        return literal_strings(node)
    if isinstance(node, ast.Dict):
        return [text for value in node.values for text in message_strings(value)]
    if isinstance(node, ast.Subscript):
        return message_strings(node.value)
    return [text for child in ast.iter_child_nodes(node) for text in message_strings(child)]


def update():
    for assignment in assignments():
        path = TRANSLATIONS / f"{assignment}.po"
        write_catalog(merged(read_catalog(path), markdown_texts(assignment), assignment), path)
    texts = [(text, text) for text in runtime_strings()]
    write_catalog(merged(read_catalog(RUNTIME_CATALOG), texts, "course"), RUNTIME_CATALOG)


def untranslated(catalog):
    return [message.context or message.id for message in catalog
            if message.id and (not message.string or message.fuzzy)]


def korean_notebook(assignment):
    """The source notebook with its markdown translated (English where no translation is ready)
    and the edition in its metadata; code cells are the English ones, byte for byte."""
    notebook = nbformat.read(source_notebook(assignment), as_version=4)
    catalog = read_catalog(TRANSLATIONS / f"{assignment}.po")
    translations = {m.context: m for m in catalog if m.id and m.string and not m.fuzzy}
    korean = copy.deepcopy(notebook)
    for cell in korean.cells:
        entry = translations.get(cell.id)
        if cell.cell_type == "markdown" and entry is not None and entry.id == cell.source:
            cell.source = entry.string
    korean.metadata["course"] = {"language": LANGUAGE}
    return korean


def build():
    missing = {}
    for assignment in assignments():
        target = EDITION / "source" / assignment / source_notebook(assignment).name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(korean_notebook(assignment), target)
        gaps = untranslated(read_catalog(TRANSLATIONS / f"{assignment}.po"))
        if gaps:
            missing[assignment] = gaps
    for assignment, cells in missing.items():
        print(f"{assignment}: {len(cells)} cells still in English (untranslated or changed): {', '.join(cells)}")


if __name__ == "__main__":
    commands = {"update": update, "build": build}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
