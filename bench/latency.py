"""Run inside a notebook's kernel, after the notebook: time every live demo's redraw.

Each control of each demo is swept (sliders over their range, up and back down; dropdowns and
other choices over every option; check boxes both ways) and every change is timed from setting
the value to the end of the redraw it triggers (the demo's own observer calls ``update()``, which
draws and renders the PNG), which is what a student waits for. The control is put back afterwards.

Then every button (Step, Epoch, run, take the step, reset...) is pressed a few times and each
press timed the same way: what it computes (a training run, say) plus the redraw.

Side by side, after each redraw, the same picture is drawn whole by ``savefig`` (what every
redraw cost before demos blitted over a kept background, course/live_figure.py), so the speed-up
is measured in the same run on the same machine.
"""

import gc
import statistics
import time

import ipywidgets as widgets
import numpy as np

from course.live_figure import full_draw_png
from course.widgets.base import Demo

SLIDER_POINTS = 21
PRESSES = 5


def live_demos():
    """Every Demo alive in this kernel, in creation order as far as the garbage collector keeps it."""
    gc.collect()
    return [obj for obj in gc.get_objects() if isinstance(obj, Demo)]


def sweep_values(control):
    """The values a student could give ``control``, a handful of them, or [] if it has none."""
    if hasattr(control, "options") and hasattr(control, "index"):      # dropdowns, selection sliders
        return [("index", i) for i in _spread(range(len(control.options)))]
    value = getattr(control, "value", None)
    if isinstance(value, bool):                                          # check boxes, toggles
        return [("value", not value), ("value", value)]
    if not (hasattr(control, "min") and hasattr(control, "max")):
        return []
    if isinstance(value, tuple):                                         # range sliders: move the top
        return [("value", (value[0], v)) for v in _range_values(control, value[0]) if v >= value[0]]
    return [("value", v) for v in _range_values(control, control.min)]


def _range_values(control, low):
    if hasattr(control, "base"):                                         # log sliders: min/max are exponents
        return list(control.base ** np.linspace(control.min, control.max, SLIDER_POINTS))
    if isinstance(control.value, (int, np.integer)) or isinstance(getattr(control, "step", None), int):
        return _spread(range(int(low), int(control.max) + 1, int(control.step or 1)))
    step = control.step or (control.max - control.min) / 100
    points = np.linspace(control.min, control.max, SLIDER_POINTS)
    return sorted({float(np.clip(round(p / step) * step, control.min, control.max)) for p in points})


def _spread(values):
    values = list(values)
    if len(values) <= SLIDER_POINTS:
        return values
    picks = np.linspace(0, len(values) - 1, SLIDER_POINTS).round().astype(int)
    return [values[i] for i in sorted(set(picks))]


def time_demo(demo):
    """Seconds per redraw over a sweep of every control, up and back down: wall and CPU time of
    each blitted redraw, and the wall time of drawing the same picture whole.

    CPU time (this kernel's) is what the redraw costs; wall time is what a student waits, and
    on a shared machine it grows with whatever else runs.
    """
    times, cpu_times, full_times = [], [], []
    for control in demo.controls.values():
        steps = sweep_values(control)
        if not steps:
            continue
        start = {attribute: getattr(control, attribute) for attribute, _ in steps}
        for attribute, value in steps + steps[-2::-1]:
            if getattr(control, attribute) == value:
                continue
            began, began_cpu = time.perf_counter(), time.process_time()
            setattr(control, attribute, value)
            times.append(time.perf_counter() - began)
            cpu_times.append(time.process_time() - began_cpu)
            full_times.append(_timed(lambda: full_draw_png(demo.figure)))
        for attribute, value in start.items():
            setattr(control, attribute, value)
    return sorted(times), sorted(cpu_times), sorted(full_times)


def time_buttons(demo):
    """{button label: sorted seconds of PRESSES presses} for every button of the demo."""
    return {button.description: sorted(_timed(button.click) for _ in range(PRESSES))
            for button in _buttons(demo.widget)}


def _buttons(widget):
    if isinstance(widget, widgets.Button):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _buttons(child)


def _timed(action):
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def measure_live_demos():
    """{name: {redraws, p50_ms, p95_ms, max_ms, cpu_p50_ms, cpu_p95_ms, problem}} per live demo."""
    results, seen = {}, {}
    for demo in live_demos():
        kind = type(demo).__name__
        seen[kind] = seen.get(kind, 0) + 1
        name = kind if seen[kind] == 1 else f"{kind}#{seen[kind]}"
        background_draws = demo.live_figure.background_draws
        times, cpu_times, full_times = time_demo(demo)
        p95, full_p95 = (milliseconds(lambda ts: percentile(ts, 95), ts) for ts in (times, full_times))
        results[name] = {
            "redraws": len(times),
            "background_redraws": demo.live_figure.background_draws - background_draws,
            "p50_ms": milliseconds(statistics.median, times),
            "p95_ms": p95,
            "max_ms": milliseconds(max, times),
            "cpu_p50_ms": milliseconds(statistics.median, cpu_times),
            "cpu_p95_ms": milliseconds(lambda ts: percentile(ts, 95), cpu_times),
            "full_draw_p95_ms": full_p95,
            "speedup_p95": round(full_p95 / p95, 2) if times else None,
            "problem": getattr(demo, "problem", None),
            "buttons": {label: {"presses": len(ts), "p50_ms": milliseconds(statistics.median, ts),
                                "max_ms": milliseconds(max, ts)}
                        for label, ts in time_buttons(demo).items()},
        }
    return results


def milliseconds(statistic, seconds):
    return round(1000 * statistic(seconds), 1) if seconds else None


def percentile(sorted_values, q):
    """Nearest-rank percentile of a sorted list."""
    rank = max(1, int(np.ceil(q / 100 * len(sorted_values))))
    return sorted_values[rank - 1]
