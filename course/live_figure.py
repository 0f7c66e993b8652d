"""PNG frames of a demo's figure, redrawing only what a redraw can change (blitting).

Most of a matplotlib draw is the axes' decorations: ticks, tick labels, axis labels. A demo's
redraw changes data, not decorations, so the decorations are drawn once into a background kept
as pixels. Each frame restores those pixels and draws the rest on top: every line, collection,
image, text, legend and spine of each axes, and the figure's own texts (a suptitle). The
background is drawn again whenever something it shows changes: an axes' limits, scale, ticks,
axis labels or visibility, or the set of artists drawn on top.
"""

import io

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

# Unhinted glyphs: a third cheaper to draw than matplotlib's default autohinting, and at the
# demos' size they read the same. Set around our own draws only, never in the learner's rcParams.
STYLE = {"text.hinting": "no_hinting"}


class LiveFigure:
    """``still``: artists of the axes that never change and that nothing overlaps (fixed headings);
    they are drawn into the background too."""

    def __init__(self, figure, still=()):
        self.figure, self.still = figure, set(still)
        for ax in figure.axes:
            # a title placed at the top edge, not clear of top tick labels (the demos have none):
            # placing it measures every tick label, a fifth of drawing the background
            ax.set_title(ax.get_title(), y=1.0)
        self.canvas = FigureCanvasAgg(figure)
        self._background, self._key = None, None
        self.background_draws = 0

    def png(self):
        """The figure as it is now, as PNG bytes (the same picture ``savefig`` would draw)."""
        foreground = self._foreground()
        key = self._background_key(foreground)
        with matplotlib.rc_context(STYLE):
            if key != self._key:
                _draw_without(foreground, self.canvas)
                self._background, self._key = self.canvas.copy_from_bbox(self.figure.bbox), key
                self.background_draws += 1
            else:
                self.canvas.restore_region(self._background)
            renderer = self.canvas.get_renderer()
            for artist in foreground:
                artist.draw(renderer)
        return _encode(self.canvas)

    def _foreground(self):
        """The artists a frame draws over the background, in drawing order."""
        artists = []
        for ax in self.figure.axes:
            if not ax.get_visible():
                continue
            decorations = {ax.patch, ax.xaxis, ax.yaxis, *self.still}
            if not (ax.axison and ax.get_frame_on()):
                decorations.update(ax.spines.values())
            children = [a for a in ax.get_children() if a not in decorations]
            artists += sorted(children, key=lambda a: a.get_zorder())
        return artists + sorted(self.figure.texts, key=lambda a: a.get_zorder())

    def _background_key(self, foreground):
        axes = tuple(
            (ax.get_visible(), ax.get_position().bounds, ax.get_xlim(), ax.get_ylim(),
             ax.get_xscale(), ax.get_yscale(), tuple(ax.get_xticks()), tuple(ax.get_yticks()),
             ax.get_xlabel(), ax.get_ylabel())
            for ax in self.figure.axes)
        return (self.figure.bbox.bounds, axes, tuple(map(id, foreground)))


def _draw_without(artists, canvas):
    """Draw the canvas leaving ``artists`` out (a canvas draw skips animated artists)."""
    for artist in artists:
        artist.set_animated(True)
    try:
        canvas.draw()
    finally:
        for artist in artists:
            artist.set_animated(False)   # savefig leaves out animated figure texts


def _encode(canvas):
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    # light compression: encoding is a large share of a frame, and the PNGs stay small
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()
