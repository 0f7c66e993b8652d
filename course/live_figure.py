"""PNG frames of a demo's figure, redrawing only what a redraw can change (blitting).

Most of a matplotlib draw is the axes' decorations: ticks, tick labels, axis labels. A demo's
redraw changes data, not decorations, so the decorations are drawn once into a background kept
as pixels. Each frame restores those pixels and draws the rest on top, in matplotlib's order:
every line, collection, image, text, legend and spine of each axes, and the figure's own
artists (a suptitle, a figure legend).

The background is drawn again whenever something it shows changes: an axes' limits, scale, ticks,
tick labels, axis labels, grid, colour or visibility, or the set of artists drawn on top. Other
changes to decorations after the first frame would not show: the demo tests compare every frame
with a whole-figure draw, pixel for pixel.
"""

import io
import math

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
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
            _title_at_top_edge(ax)
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
        for ax in sorted(self.figure.axes, key=_zorder):
            if ax.get_visible():
                background = self._background_of(ax)
                artists += sorted((a for a in ax.get_children() if a not in background), key=_zorder)
        figure_artists = [a for a in self.figure.get_children()
                          if a is not self.figure.patch and a not in self.figure.axes]
        return artists + sorted(figure_artists, key=_zorder)

    def _background_of(self, ax):
        """The parts of ``ax`` drawn into the background."""
        parts = {ax.patch, ax.xaxis, ax.yaxis, *self.still}
        if not (ax.axison and ax.get_frame_on()):
            parts.update(ax.spines.values())   # not drawn at all, as in a whole draw
        lowest = min((_zorder(a) for a in ax.get_children() if a not in parts), default=math.inf)
        for axis in (ax.xaxis, ax.yaxis):
            # grid lines are drawn with their axis: one over some redrawn artist is redrawn too
            if ax.axison and _grid_shown(axis) and _zorder(axis) > lowest:
                parts.discard(axis)
        return parts

    def _background_key(self, foreground):
        axes = tuple(
            (ax.get_visible(), ax.axison, ax.get_frame_on(), ax.get_position().bounds, ax.get_facecolor(),
             *(_axis_key(axis, limits) for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim()))))
            for ax in self.figure.axes)
        return (self.figure.bbox.bounds, axes, tuple(map(id, foreground)))


def _axis_key(axis, limits):
    ticks = axis.get_majorticklocs()
    labels = axis.get_major_formatter().format_ticks(ticks)
    return (limits, axis.get_scale(), tuple(ticks), tuple(labels), axis.label.get_text(), _grid_shown(axis))


def _grid_shown(axis):
    return any(tick.gridline.get_visible() for tick in axis.get_major_ticks() + axis.get_minor_ticks())


def _zorder(artist):
    return artist.get_zorder()


def full_draw_png(figure):
    """The figure drawn whole by ``savefig``, in the same style and encoding: what ``png()`` must
    equal (the demo tests compare them) and what it saves time over (the bench times both)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _title_at_top_edge(ax):
    """Pin the title to the top edge, in the style it has. By default matplotlib places it clear
    of any tick labels at the top (the demos have none), which measures every tick label and costs
    a fifth of drawing a background."""
    style = Text()
    style.update_from(ax.title)   # copies the font too: set_title changes it in place
    ax.set_title(ax.get_title(), y=1.0)
    ax.title.update_from(style)


def _draw_without(artists, canvas):
    """Draw the canvas leaving ``artists`` out: a canvas draw skips animated artists."""
    animated = [artist.get_animated() for artist in artists]
    for artist in artists:
        artist.set_animated(True)
    try:
        canvas.draw()
    finally:
        # as they were: savefig would leave out an animated figure text
        for artist, was_animated in zip(artists, animated):
            artist.set_animated(was_animated)


def _encode(canvas):
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    # light compression: encoding is a large share of a frame, and the PNGs stay small
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()
