"""Checks an executed src/test/notebooks/display.ipynb (./nnlab test runs it on the installed kernel): a cell's last
expression arrives as text on every kernel, a Matrix as its aligned rows with the middle of a large one elided, a
String as itself (never as HTML).

    python src/test/python/check_display.py build/notebooks-display/display.ipynb
"""
import sys

import nbformat


def result(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") in ("execute_result", "display_data"):
            return out["data"]
    raise AssertionError(f"cell {cell.source!r} shows no result")


def main(path):
    small, large, text = (result(c) for c in nbformat.read(path, as_version=4).cells)
    problems = []
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
    print("ok: a Matrix and a String as a cell's last expression arrive as text (3 cells)")


if __name__ == "__main__":
    main(sys.argv[1])
