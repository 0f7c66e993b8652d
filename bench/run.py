"""Speed benchmarks (`make bench`): notebook execution time and widget redraw latency.

For every source notebook (reference solutions), in a fresh real kernel:
  1. kernel start: launch and wait until the kernel answers;
  2. execution: every cell top to bottom, as `nbclient` (and nbgrader) run them;
  3. redraw latency: then, in that same kernel, every live demo's controls are swept
     (bench/latency.py) and each redraw timed.
Prints a table, writes bench/results.json and the results table in bench/README.md.
Goals: p95 redraw <= 50 ms; <= 10 s per notebook; <= 60 s for the whole course.
Figures only: nothing here passes or fails.
"""

import argparse
import datetime
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import matplotlib
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
GOALS = {"redraw_p95_ms": 50, "notebook_s": 10, "course_s": 60}
MARK_BEGIN, MARK_END = "<!-- results: begin (written by `make bench`) -->", "<!-- results: end -->"
LATENCY_CELL = f"""\
import json as _json, runpy as _runpy
print("BENCH" + _json.dumps(_runpy.run_path({str(BENCH / 'latency.py')!r})["measure_live_demos"]()))
"""


def bench_notebook(path, timeout=300):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    began = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        executed = time.perf_counter()
        probe = nbformat.v4.new_code_cell(LATENCY_CELL)
        notebook.cells.append(probe)
        client.execute_cell(probe, len(notebook.cells) - 1)
    printed = "".join(out.get("text", "") for out in probe.outputs if out.output_type == "stream")
    (line,) = [line for line in printed.splitlines() if line.startswith("BENCH")]
    return {
        "kernel_start_s": round(started - began, 2),
        "execution_s": round(executed - started, 2),
        "cells": sum(cell.cell_type == "code" for cell in notebook.cells[:-1]),
        "demos": json.loads(line.removeprefix("BENCH")),
    }


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() \
        else platform.processor()
    os_name = platform.platform()
    if Path("/etc/os-release").exists():
        fields = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        os_name = fields.get("PRETTY_NAME", os_name).strip('"')
    return {"cpu": cpu, "cores": os.cpu_count(), "os": os_name, "python": platform.python_version(),
            "matplotlib": matplotlib.__version__,
            "load_average_1min_at_start": round(os.getloadavg()[0], 2)}   # a shared machine: how busy


def table(results):
    columns = ("redraws", "background_redraws", "p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms",
               "full_draw_p95_ms", "speedup_p95")
    lines = ["| notebook | kernel start s | run s | demo | redraws | of them with background | p50 ms | p95 ms "
             "| CPU p50 ms | CPU p95 ms | whole-figure draw p95 ms | speed-up at p95 |",
             "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, result in results["notebooks"].items():
        demos = result["demos"] or {"(no demo)": {}}   # a demo without controls has no redraws: –
        for k, (demo, figures) in enumerate(demos.items()):
            slow = " ⚠" if result["execution_s"] > GOALS["notebook_s"] else ""
            head = [name, str(result["kernel_start_s"]), f"{result['execution_s']}{slow}"] if k == 0 else ["", "", ""]
            flag = " ⚠" if (figures.get("p95_ms") or 0) > GOALS["redraw_p95_ms"] else ""
            cells = [shown(figures.get(key)) for key in columns]
            cells[3] += flag
            if figures.get("problem"):   # the demo showed a message instead of its plot
                demo = f"{demo} ✗ {figures['problem'][:60]}"
            lines.append("| " + " | ".join(head + [demo, *cells]) + " |")
    total = results["total"]
    slow = " ⚠" if total["execution_s"] > GOALS["course_s"] else ""
    lines.append(f"| **course** | {total['kernel_start_s']} | {total['execution_s']}{slow} |" + " |" * 9)
    return "\n".join(lines)


def button_table(results):
    """Button presses (what the press computes, plus the redraw), one row per button."""
    lines = ["| demo | button | presses | p50 ms | max ms |", "|---|---|---:|---:|---:|"]
    for result in results["notebooks"].values():
        for demo, figures in result["demos"].items():
            for label, press in figures.get("buttons", {}).items():
                lines.append(f"| {demo} | {label} | {press['presses']} | {shown(press['p50_ms'])} "
                             f"| {shown(press['max_ms'])} |")
    return "\n".join(lines)


def shown(value):
    return "–" if value is None else str(value)


def write_readme(results, text):
    readme = BENCH / "README.md"
    m = results["machine"]
    section = (f"{MARK_BEGIN}\nTaken {results['taken']} on {m['cpu']} ({m['cores']} cores), {m['os']}, "
               f"Python {m['python']}, matplotlib {m['matplotlib']}, load average "
               f"{m['load_average_1min_at_start']} at the start; notebooks: "
               f"{', '.join(results['notebooks'])}.\n\n{text}\n{MARK_END}")
    old = readme.read_text() if readme.exists() else ""
    pattern = re.compile(re.escape(MARK_BEGIN) + ".*?" + re.escape(MARK_END), re.S)
    new = pattern.sub(lambda _: section, old) if pattern.search(old) else old.rstrip() + "\n\n" + section + "\n"
    readme.write_text(new)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="assignments to run (default: every source/ notebook)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.json and README alone")
    args = parser.parse_args(argv)
    paths = sorted((ROOT / "source").glob("*/*.ipynb"))
    if args.notebooks:
        paths = [p for p in paths if p.parent.name in args.notebooks]
    results = {"taken": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "goals": GOALS, "notebooks": {}}
    for path in paths:
        print(f"{path.parent.name} ...", file=sys.stderr, flush=True)
        results["notebooks"][path.parent.name] = bench_notebook(path)
    runs = results["notebooks"].values()
    results["total"] = {"kernel_start_s": round(sum(r["kernel_start_s"] for r in runs), 2),
                        "execution_s": round(sum(r["execution_s"] for r in runs), 2)}
    text = table(results) + "\n\nButton presses:\n\n" + button_table(results)
    print(text)
    if not args.no_write:
        (BENCH / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        write_readme(results, text)


if __name__ == "__main__":
    main()
