"""Checks an executed src/test/notebooks/display.ipynb (./nnlab test runs it on the installed kernel): a cell's last
expression arrives as text on every kernel, a Matrix as its aligned rows with the middle of a large one elided, a
String as itself (never as HTML); and nnlab's display bridge (nnlab.notebook.Notebook, which finds the kernel's own
display function by reflection) on the real kernel: a table arrives as text/html display data, a plot as a cell's
last expression as image/png, Notebook.images as one HTML row of inline PNGs, and none of them echoes a display id.

    python src/test/python/check_display.py build/notebooks-display/display.ipynb
"""
import sys

import nbformat


def result(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") in ("execute_result", "display_data"):
            return out["data"]
    raise AssertionError(f"cell {cell.source!r} shows no result")


def outputs(cell, kind):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == kind]


def main(path):
    cells = nbformat.read(path, as_version=4).cells
    if len(cells) != 6:
        sys.exit(f"display check failed: expected 6 cells, got {len(cells)}")
    small, large, text = (result(c) for c in cells[:3])
    table, plot, images = cells[3:]
    problems = []
    shown = [o["data"] for o in outputs(table, "display_data")]
    if len(shown) != 1 or "a &lt; b" not in shown[0].get("text/html", "") or "0.25" not in shown[0].get("text/html", ""):
        problems.append(f"Notebook.table did not reach the kernel as one text/html display: {table.get('outputs')!r:.300}")
    if outputs(table, "execute_result") or outputs(images, "execute_result"):
        problems.append("a display call echoed a result (a display id?) instead of returning void")
    pngs = [o["data"] for o in outputs(plot, "execute_result") + outputs(plot, "display_data") if "image/png" in o["data"]]
    if len(pngs) != 1:
        problems.append(f"a plot as the last expression did not arrive as one image/png: {plot.get('outputs')!r:.300}")
    side = [o["data"].get("text/html", "") for o in outputs(images, "display_data")]
    if len(side) != 1 or side[0].count("data:image/png;base64,") != 2:
        problems.append(f"Notebook.images(a, b) did not show one row of two PNGs: {images.get('outputs')!r:.300}")
    for name, data in (("small matrix", small), ("large matrix", large), ("string", text)):
        if "text/html" in data:
            problems.append(f"the {name} was sent as text/html: {data['text/html'][:80]!r}")
        if "text/plain" not in data:
            problems.append(f"the {name} has no text/plain: {sorted(data)}")
    if not problems:
        rows = small["text/plain"].splitlines()
        if not (rows[0].startswith("Matrix") and "2x3" in rows[0] and len(rows) == 3 and "2.500" in rows[1] and "-3.000" in rows[1]):
            problems.append(f"the 2x3 matrix does not read as its rows: {small['text/plain']!r}")
        rows = large["text/plain"].splitlines()
        if not (len(rows) <= 10 and any("..." in r for r in rows) and "0.5000" in rows[1]):
            problems.append(f"the 50x40 matrix is not elided numpy style: {large['text/plain']!r}")
        if "a < b && c > d" not in text["text/plain"]:
            problems.append(f"the string is not shown as itself: {text['text/plain']!r}")
    if problems:
        sys.exit("display check failed:\n  " + "\n  ".join(problems))
    print("ok: a Matrix and a String arrive as text; a table (text/html) and plots (image/png) through the bridge (6 cells)")


if __name__ == "__main__":
    main(sys.argv[1])
