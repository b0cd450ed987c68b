"""Writes the course site: one static HTML page per executed notebook plus an index, MathJax served from the site.

    python tools/make_site.py --executed build/site/executed --mathjax build/npm/node_modules/mathjax --out build/site

The index lists each notebook's title (its first heading), a short description (the first paragraph after it), its
run time (from the execution timestamps nbclient records in each cell) and a thumbnail of its first plot. Pages load
nothing from the network: MathJax 3 is copied from the npm package into the site, and the HTML exporter's CDN
scripts (require.js, widgets, mermaid) are left out, so the folder works offline and from any static web server.
"""
import argparse
import base64
import datetime
import glob
import html
import os
import re
import shutil
import sys

import nbformat
from nbconvert import HTMLExporter

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "site")

# Only what a page needs from MathJax's es5 folder: the combined TeX build, its lazily loaded parts, its fonts.
MATHJAX_PARTS = ["tex-chtml-full.js", "input", "output/chtml", "a11y", "ui", "sre", "adaptors", "sre"]


def title_and_description(nb, fallback):
    title, description = fallback, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.strip().splitlines()
        if lines and lines[0].startswith("# "):
            title = lines[0][2:].strip()
            paragraph, items = [], []
            for line in lines[1:]:
                text = line.strip()
                if not text:
                    # A paragraph that announces a list ("Three steps:") takes the list's items along.
                    if paragraph and not (paragraph[-1].endswith(":") and not items):
                        break
                    continue
                if items or (paragraph and paragraph[-1].endswith(":") and re.match(r"([-*]|\d+\.) ", text)):
                    if not re.match(r"([-*]|\d+\.) ", text):
                        if items:
                            items[-1] += " " + text
                        continue
                    items.append(re.sub(r"^([-*]|\d+\.) ", "", text))
                    continue
                paragraph.append(text)
            items = [i.rstrip(" ;,.") for i in items]
            description = " ".join(paragraph) + (" " + "; ".join(items) + "." if items else "")
            break
    description = re.sub(r"[*_`]", "", description)
    description = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", description)
    if len(description) > 240:
        description = description[:240].rsplit(" ", 1)[0] + " ..."
    return title, description


def run_seconds(nb):
    """Seconds from the first cell's start to the last cell's end, as recorded by nbclient (None if not recorded)."""
    starts, ends = [], []
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing:
            starts.append(timing["iopub.execute_input"])
        if "shell.execute_reply" in timing:
            ends.append(timing["shell.execute_reply"])
    if not starts or not ends:
        return None
    parse = lambda t: datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))  # noqa: E731
    return (parse(max(ends)) - parse(min(starts))).total_seconds()


def first_plot(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                return base64.b64decode(png)
    return None


def copy_mathjax(package, out):
    es5 = os.path.join(package, "es5")
    if not os.path.isfile(os.path.join(es5, "tex-chtml-full.js")):
        sys.exit(f"make_site: no MathJax 3 in {package} (expected es5/tex-chtml-full.js); ./nnlab site installs it "
                 f"with npm into build/npm")
    target = os.path.join(out, "mathjax")
    shutil.rmtree(target, ignore_errors=True)
    for part in dict.fromkeys(MATHJAX_PARTS):
        src = os.path.join(es5, part)
        dst = os.path.join(target, part)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        elif os.path.isfile(src):
            shutil.copy2(src, dst)


def page_links(names, titles, i):
    """The navigation bar of page i: the index, and the previous and next notebooks."""
    parts = ['<a href="index.html">&larr; all notebooks</a>']
    if i > 0:
        parts.append(f'<a href="{names[i - 1]}.html" rel="prev">previous: {html.escape(titles[i - 1])}</a>')
    if i + 1 < len(names):
        parts.append(f'<a href="{names[i + 1]}.html" rel="next">next: {html.escape(titles[i + 1])}</a>')
    parts.append(f'<a href="notebooks/{names[i]}.ipynb" download>this notebook, executed (.ipynb)</a>')
    return " &middot; ".join(parts)


def rewrite_notebook_links(nb, names):
    """Links between notebooks (NAME.ipynb) point at their pages (NAME.html) on the site."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for name in names:
                cell.source = re.sub(r"\]\((?:\./)?" + re.escape(name) + r"\.ipynb(#[^)]*)?\)",
                                     lambda m, n=name: f"]({n}.html{m.group(1) or ''})", cell.source)


INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>nnlab: neural networks from scratch, in Java</title><link rel="icon" href="data:,">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
.card {{ display: flex; gap: 1.2rem; padding: 1rem 0; border-bottom: 1px solid #ddd; }}
.card img {{ width: 220px; height: auto; border: 1px solid #ddd; background: #fff; flex: none; }}
.card .noplot {{ width: 220px; flex: none; color: #888; }}
.card h2 {{ margin: 0 0 .4rem 0; font-size: 1.2rem; }}
.meta {{ color: #666; font-size: .9rem; }}
</style></head>
<body>
<h1>nnlab: neural networks from scratch, in Java</h1>
<p>The course notebooks, executed on the Java kernel and published as pages. To run them yourself:
<code>./nnlab lab</code> in a clone of the project (see its README).</p>
{cards}
<p class="meta">Built {built} from {count} notebooks{mode}. Run times were measured while building.</p>
</body></html>
"""

CARD = """<div class="card">
{thumb}
<div><h2><a href="{name}.html">{title}</a></h2>
<p>{description}</p>
<p class="meta">{file} &middot; ran in {seconds}</p></div>
</div>"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--executed", required=True, help="folder of executed notebooks (tools/run_notebooks.py --out)")
    p.add_argument("--mathjax", required=True, help="the npm mathjax package folder (node_modules/mathjax)")
    p.add_argument("--out", required=True)
    a = p.parse_args()

    paths = sorted(glob.glob(os.path.join(a.executed, "*.ipynb")))
    if not paths:
        sys.exit(f"make_site: no executed notebooks in {a.executed}")
    os.makedirs(os.path.join(a.out, "thumbs"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "notebooks"), exist_ok=True)
    copy_mathjax(a.mathjax, a.out)
    names = [os.path.splitext(os.path.basename(path))[0] for path in paths]
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    titles = [title_and_description(nb, name)[0] for nb, name in zip(notebooks, names)]
    exporter = HTMLExporter(template_name="lab", template_file=os.path.join(TEMPLATE, "page.html.j2"),
                            mathjax_url="mathjax/tex-chtml-full.js")
    cards = []
    for i, (path, name, nb) in enumerate(zip(paths, names, notebooks)):
        title, description = title_and_description(nb, name)
        seconds = run_seconds(nb)
        shutil.copy2(path, os.path.join(a.out, "notebooks", name + ".ipynb"))
        rewrite_notebook_links(nb, names)
        body, _ = exporter.from_notebook_node(nb, resources={"nnlab_nav": page_links(names, titles, i),
                                                             "nnlab_title": title})
        with open(os.path.join(a.out, name + ".html"), "w", encoding="utf-8") as f:
            f.write(body)
        plot = first_plot(nb)
        if plot:
            with open(os.path.join(a.out, "thumbs", name + ".png"), "wb") as f:
                f.write(plot)
            thumb = (f'<a href="{name}.html"><img src="thumbs/{name}.png" alt="first plot of {html.escape(title)}">'
                     f'</a>')
        else:
            thumb = '<div class="noplot">(no plot)</div>'
        cards.append(CARD.format(thumb=thumb, name=name, title=html.escape(title),
                                 description=html.escape(description), file=html.escape(name + ".ipynb"),
                                 seconds="?" if seconds is None else f"{seconds:.1f} s"))
        print(f"  {name}.html  {title}  ({'?' if seconds is None else f'{seconds:.1f} s'})")
    with open(os.path.join(a.out, "index.html"), "w", encoding="utf-8") as f:
        mode = " in quick mode (NNLAB_QUICK: shortened runs, numbers differ from the exercises)" \
            if os.environ.get("NNLAB_QUICK") else ""
        f.write(INDEX.format(cards="\n".join(cards), count=len(paths), mode=mode,
                             built=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))
    print(f"course site: {os.path.join(a.out, 'index.html')} ({len(paths)} pages and the index)")


if __name__ == "__main__":
    main()
