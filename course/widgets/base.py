"""What every demo shares: controls that trigger a redraw, a plot image, a message and a table."""

import ipywidgets as widgets

from course.i18n import tr, translatable
from course.live_figure import LiveFigure
from course.student import StudentCodeProblem

# Activation functions as the demos name them (menus, titles, legends, tables); tanh and ReLU are
# written the same in every language.
FUNCTION_NAMES = {"step": translatable("step"), "sigmoid": translatable("sigmoid")}


def shown_name(name):
    """An activation's name ("step", "sigmoid", "tanh", "ReLU") in the learner's language."""
    return tr(FUNCTION_NAMES[name]) if name in FUNCTION_NAMES else name


class Demo:
    """Controls -> ``draw()`` -> a PNG of the figure (or a plain message when student code fails).

    Subclasses set ``self.figure`` and ``self.controls`` (a dict of name -> widget), then call
    ``self._assemble()``. ``draw()`` updates artists and ``self.table``; it may raise
    StudentCodeProblem, whose sentence then replaces the plot. Axes limits and ticks that stay
    put keep redraws fast: the PNG is blitted over the unchanged decorations (LiveFigure).
    """

    def _assemble(self, extra=(), still=()):
        self.live_figure = LiveFigure(self.figure, still)
        self.image = widgets.Image(format="png")
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(lambda _change: self.update(), names="value")
        self.widget = widgets.VBox([
            widgets.HBox(list(self.controls.values())),
            self.message,
            widgets.HBox([self.image, self.table], layout=widgets.Layout(align_items="center")),
            *extra,
        ])
        self.update()

    @property
    def values(self):
        return {name: c.value for name, c in self.controls.items() if hasattr(c, "value")}

    def update(self):
        try:
            self.draw()
        except StudentCodeProblem as problem:
            self.problem = str(problem)
            self.message.value = f"<b style='color:#c62828'>{problem}</b>"
            self.image.layout.display = "none"
            self.table.value = ""
            return
        self.problem = None
        self.message.value = ""
        self.image.value = self.live_figure.png()
        self.image.layout.display = None

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
