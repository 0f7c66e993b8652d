"""Submissions are shown, never run, in the instructor's pages.

nbconvert keeps HTML as written, and nbgrader's formgrader and feedback pages render a
submission's markdown cells and outputs with it: a `<script>`, an `onerror=` or a `javascript:`
link in a student's notebook would run in the instructor's browser, with the instructor's Jupyter
session (read `source/`, change grades, start kernels). `ShowNotRun` runs last in autograde (and
again before feedback), so the autograded notebook that every one of those pages reads holds
nothing that runs:

- a markdown or raw cell whose HTML, as nbconvert renders it, has an element, attribute or link
  that can run code is shown as text instead (in a code block, with a note that says why);
  every other cell is left exactly as the student wrote it (math, images, tables, links);
- outputs keep plain text, PNG and JPEG images and LaTeX; HTML, Markdown and SVG outputs are
  kept when they hold nothing that runs; JavaScript, widget views and anything else are dropped
  (the plain-text form stays);
- output metadata keeps only numeric image sizes (templates write them into the tag unquoted),
  cell tags and ids only plain names (written into attributes);
- the notebook's saved widget state (which pulls scripts into the page) is dropped.
"""

import re
from html.parser import HTMLParser

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath, markdown2html_mistune
from nbgrader.preprocessors import NbGraderPreprocessor

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
    # matplotlib's and other libraries' SVG
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "defs",
    "clippath", "use", "title", "desc", "metadata", "lineargradient", "radialgradient", "stop", "symbol", "pattern",
    "mask", "marker",
}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "background", "poster", "srcset", "data"}
SAFE_SCHEMES = {"http", "https", "mailto", "attachment"}
SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);", re.IGNORECASE)
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
MATH_LINK = re.compile(r"\\href\s*\{([^}]*)\}")
SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
SAFE_OUTPUTS = {"text/plain", "image/png", "image/jpeg", "text/latex"}
CHECKED_OUTPUTS = {"text/html": lambda text: text, "image/svg+xml": lambda text: text,
                   "text/markdown": markdown2html_mistune}


class Hazards(HTMLParser):
    """What in a piece of HTML could run code in the browser (a list of short descriptions)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            elif name in URL_ATTRIBUTES and not safe_url(value or ""):
                self.found.append(f"{name}={value[:40]!r}")

    handle_startendtag = handle_starttag

    # Browsers end a comment at `<!-->` or `<!--->` and read `<![CDATA[` outside SVG as a bogus
    # comment that ends at the first `>`: where they and this parser could disagree, say so.
    def handle_comment(self, data):
        if "<" in data or ">" in data:
            self.found.append("<!-- -->")

    def unknown_decl(self, data):
        self.found.append("<![...]>")

    def handle_decl(self, decl):
        if not decl.lower().startswith("doctype"):
            self.found.append("<!...>")

    def handle_pi(self, data):
        self.found.append("<?...>")


def safe_url(url):
    """A link or source that cannot run code: http(s), mailto, a relative link, an image as data,
    a cell's attachment."""
    compact = re.sub(r"[\x00-\x20]", "", url).lower()   # browsers ignore these inside a scheme
    if SAFE_DATA.match(compact):
        return True
    scheme = SCHEME.match(compact)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def hazards(html):
    parser = Hazards()
    # the page goes on after this piece: a tag left open at its end takes in what follows, as the
    # browser would take in the template's next tag
    parser.feed(html + "\n</div>")
    parser.close()
    if "<" in parser.rawdata:
        parser.found.append("an unfinished tag")
    # MathJax turns \href{url}{text} in a formula (never in code) into a link of its own
    text = CODE.sub("", html)
    return parser.found + [f"\\href{{{url[:40]}}}" for url in MATH_LINK.findall(text) if not safe_url(url)]


def as_html(cell):
    """A markdown cell as nbconvert's HTML exporter renders it (its attachments included)."""
    renderer = IPythonRenderer(escape=False, attachments=cell.get("attachments", {}), exclude_anchor_links=True)
    return MarkdownWithMath(renderer=renderer).render(cell.source)


def as_text(source, found):
    """Markdown that shows ``source`` as text, and says why."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", source)), default=0))
    named = ", ".join(f"``{item.replace('`', '')}``" for item in sorted(set(found)))
    return f"*This cell held HTML that would run in the grader's browser ({named}); it is shown as text.*\n\n" \
           f"{fence}\n{source}\n{fence}"


class ShowNotRun(NbGraderPreprocessor):
    """Make a submission safe to render for the instructor (see the module's doc)."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type in ("markdown", "raw"):
            try:
                found = hazards(as_html(cell) if cell.cell_type == "markdown" else cell.source)
            except Exception as exc:   # noqa: BLE001 (what nbconvert cannot render is shown as text)
                found = [f"not renderable: {type(exc).__name__}"]
            if found:
                cell.cell_type, cell.source = "markdown", as_text(cell.source, found)
                cell.pop("attachments", None)
                cell.metadata.pop("raw_mimetype", None)
                cell.metadata.pop("format", None)
        if "tags" in cell.metadata:   # written into a class attribute as they are
            cell.metadata.tags = [tag for tag in cell.metadata.tags if SAFE_NAME.fullmatch(str(tag))]
        if "id" in cell and not SAFE_NAME.fullmatch(str(cell.id)):
            cell.id = f"cell-{index}"
        for output in cell.get("outputs", []):
            if "data" in output:
                output.data = {kind: value for kind, value in output.data.items() if shown(kind, value)}
                output.data.setdefault("text/plain", "(an output the grader does not show)")
            if "metadata" in output:   # an image's width and height are written into its tag unquoted
                output.metadata = image_sizes(output.metadata)
        return cell, resources


def image_sizes(metadata):
    """Of an output's metadata, only widths and heights that are numbers."""
    def sizes(entry):
        return {key: entry[key] for key in ("width", "height")
                if isinstance(entry.get(key), int | float) and not isinstance(entry.get(key), bool)}
    kept = {kind: sizes(entry) for kind, entry in metadata.items() if isinstance(entry, dict)}
    return {**sizes(metadata), **{kind: entry for kind, entry in kept.items() if entry}}


def shown(kind, value):
    if kind in SAFE_OUTPUTS:
        return True
    render = CHECKED_OUTPUTS.get(kind)
    return render is not None and isinstance(value, str) and not hazards(render(value))
