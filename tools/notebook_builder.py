"""Small helper to write clean (output-free) notebooks for the `java` kernel from Python lists of cells.

    from notebook_builder import md, code, write
    write("notebooks/x.ipynb", [md("# Title"), code("1 + 1")])
"""
import json
import os


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}


def code(text):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": text.strip("\n")}


def write(path, cells):
    """Writes the notebook to path, or into $NNLAB_NOTEBOOK_OUT (same file name) when that is set (sync check)."""
    out_dir = os.environ.get("NNLAB_NOTEBOOK_OUT")
    if out_dir:
        path = os.path.join(out_dir, os.path.basename(path))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"
    nb = {"cells": cells,
          "metadata": {"kernelspec": {"display_name": "Java (nnlab)", "language": "java", "name": "java"},
                       "language_info": {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}},
          "nbformat": 4, "nbformat_minor": 5}
    with open(path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
