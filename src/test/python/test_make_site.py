"""Checks tools/make_site.py on two small executed notebooks (run by ./nnlab test with the .venv's Python): the index
names each notebook's title, description, run time and first plot; pages link to each other and load nothing from the
network; MathJax is copied into the site. The browser check (tools/browser_test.py site) then opens the real site."""
import base64
import os
import re
import subprocess
import sys
import tempfile
import unittest

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
# A 1x1 PNG, as a kernel sends a plot.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f2"
    "4d0a0000000049454e44ae426082")).decode()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def executed(title, text, plot, start, end, link=None):
    code = new_code_cell("Plots.scatter(...)", execution_count=1,
                         outputs=[new_output("execute_result", data={"image/png": PNG} if plot else {"text/plain": "1"},
                                             execution_count=1)])
    code.metadata["execution"] = {"iopub.execute_input": start, "shell.execute_reply": end}
    body = f"# {title}\n\n{text}\nsecond line.\n\nMore, with $x^2$."
    if link:
        body += f" See [the other one]({link})."
    return new_notebook(cells=[new_markdown_cell(body), code])


class MakeSiteTest(unittest.TestCase):
    def test_index_and_pages(self):
        with tempfile.TemporaryDirectory() as tmp:
            ex, out, mj = (os.path.join(tmp, d) for d in ("executed", "site", "mathjax"))
            os.makedirs(ex)
            os.makedirs(os.path.join(mj, "es5", "output", "chtml", "fonts"))
            with open(os.path.join(mj, "es5", "tex-chtml-full.js"), "w") as f:
                f.write("window.MathJax = window.MathJax || {};")
            nbformat.write(executed("First steps", "A *short* tour,", True, "2026-01-01T10:00:00.000000Z",
                                    "2026-01-01T10:00:02.500000Z", link="02-two.ipynb"), os.path.join(ex, "01-one.ipynb"))
            nbformat.write(executed("Second", "No plot here,", False, "2026-01-01T10:00:00Z", "2026-01-01T10:01:00Z"),
                           os.path.join(ex, "02-two.ipynb"))
            subprocess.run([sys.executable, os.path.join(ROOT, "tools", "make_site.py"), "--executed", ex,
                            "--mathjax", mj, "--out", out], check=True, capture_output=True)
            index = read(os.path.join(out, "index.html"))
            self.assertIn('<a href="01-one.html">First steps</a>', index)
            self.assertIn("A short tour, second line.", index)
            self.assertIn("ran in 2.5 s", index)
            self.assertIn("ran in 60.0 s", index)
            self.assertIn('src="thumbs/01-one.png"', index)
            self.assertIn("(no plot)", index)
            self.assertTrue(os.path.isfile(os.path.join(out, "thumbs", "01-one.png")))
            self.assertFalse(os.path.exists(os.path.join(out, "thumbs", "02-two.png")))
            self.assertTrue(os.path.isfile(os.path.join(out, "mathjax", "tex-chtml-full.js")))
            page = read(os.path.join(out, "01-one.html"))
            self.assertIn('href="02-two.html"', page, "links between notebooks point at their pages")
            self.assertIn('href="index.html"', page)
            self.assertIn('src="mathjax/tex-chtml-full.js"', page)
            self.assertEqual([], re.findall(r'<script[^>]+src="https?:[^"]*"', page), "no script from the network")
            self.assertTrue(os.path.isfile(os.path.join(out, "notebooks", "01-one.ipynb")))

    def test_no_notebooks_is_an_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "make_site.py"), "--executed", tmp,
                                "--mathjax", tmp, "--out", os.path.join(tmp, "site")], capture_output=True, text=True)
            self.assertNotEqual(0, r.returncode)
            self.assertIn("no executed notebooks", r.stderr)


if __name__ == "__main__":
    unittest.main()
