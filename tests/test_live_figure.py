"""LiveFigure: blitted frames show exactly what a whole-figure draw shows, and the background is
drawn again only when something in it changed."""

import io

import numpy as np
from matplotlib.image import imread

from course.live_figure import LiveFigure, full_draw_png
from course.plots import new_figure


def pixels(png):
    return imread(io.BytesIO(png), format="png")


def assert_frame_is_full_draw(live):
    frame = pixels(live.png())
    np.testing.assert_array_equal(frame, pixels(full_draw_png(live.figure)))
    return frame


def make_live_figure():
    figure = new_figure(5, 3)
    ax, other = figure.subplots(1, 2)
    image = ax.imshow(np.zeros((5, 5)), vmin=0, vmax=1, extent=(0, 1, 0, 1))
    (line,) = ax.plot([0, 1], [0, 1], label="line")
    ax.legend(loc="upper left")
    dots = other.scatter([0, 1], [0, 1])
    figure.suptitle("")
    return LiveFigure(figure), image, line, dots, ax, other


def test_data_changes_are_blitted_over_one_background():
    live, image, line, dots, ax, other = make_live_figure()
    first = assert_frame_is_full_draw(live)
    image.set_data(np.eye(5))
    line.set_data([0, 1], [1, 0])
    dots.set_facecolors(["red", "green"])
    ax.set_title("new title")
    live.figure.suptitle("a suptitle")
    second = assert_frame_is_full_draw(live)
    assert not np.array_equal(first, second)
    assert live.background_draws == 1


def test_new_limits_or_labels_redraw_the_background():
    live, image, line, dots, ax, other = make_live_figure()
    live.png()
    other.set_xlim(-5, 5)
    assert_frame_is_full_draw(live)
    assert live.background_draws == 2
    other.set_xlabel("x")
    assert_frame_is_full_draw(live)
    assert live.background_draws == 3
    ax.set_visible(False)
    assert_frame_is_full_draw(live)
    assert live.background_draws == 4


def test_an_artist_added_later_is_drawn():
    live, image, line, dots, ax, other = make_live_figure()
    live.png()
    other.text(0.5, 0.5, "later")
    assert_frame_is_full_draw(live)


def test_still_artists_stay_in_the_background():
    figure = new_figure(3, 3)
    ax = figure.add_subplot()
    heading = ax.text(0.5, 0.9, "heading", ha="center")
    (line,) = ax.plot([0, 1], [0, 0.5])
    live = LiveFigure(figure, still=[heading])
    live.png()
    for y in (0.2, 0.4):
        line.set_ydata([0, y])
        assert_frame_is_full_draw(live)
    assert live.background_draws == 1


def test_grid_lines_over_redrawn_artists_keep_their_place():
    figure = new_figure(3, 3)
    ax = figure.add_subplot()
    ax.imshow(np.eye(4), extent=(0, 1, 0, 1))
    dots = ax.scatter([0.2, 0.8], [0.2, 0.8], zorder=1)
    ax.grid(True)
    live = LiveFigure(figure)
    assert_frame_is_full_draw(live)
    dots.set_offsets([[0.5, 0.5], [0.3, 0.7]])
    assert_frame_is_full_draw(live)


def test_axes_are_drawn_in_their_zorder():
    figure = new_figure(3, 3)
    ax = figure.add_subplot()
    twin = ax.twinx()
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.fill_between([0, 1], [0, 1], color="orange")
    twin.fill_between([0, 1], [1, 0], color="blue")
    assert_frame_is_full_draw(LiveFigure(figure))


def test_changed_tick_labels_grid_or_frame_redraw_the_background():
    live, image, line, dots, ax, other = make_live_figure()
    live.png()
    other.xaxis.set_major_formatter(lambda value, _position: f"<{value:g}>")
    assert_frame_is_full_draw(live)
    other.grid(True)
    assert_frame_is_full_draw(live)
    other.set_frame_on(False)
    assert_frame_is_full_draw(live)
    other.set_axis_off()
    assert_frame_is_full_draw(live)
    assert live.background_draws == 5


def test_figure_artists_are_redrawn():
    live, image, line, dots, ax, other = make_live_figure()
    legend = live.figure.legend(handles=[line], labels=["a figure legend"], loc="lower center")
    live.png()
    legend.get_texts()[0].set_text("changed")
    assert_frame_is_full_draw(live)


def test_titles_keep_their_style_and_artists_their_animated_flag():
    figure = new_figure(3, 3)
    ax = figure.add_subplot()
    ax.set_title("small", fontsize=7, color="red")
    (line,) = ax.plot([0, 1], [0, 1], animated=True)
    live = LiveFigure(figure)
    live.png()
    assert ax.title.get_fontsize() == 7 and ax.title.get_color() == "red"
    assert line.get_animated()
