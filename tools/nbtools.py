"""The course's notebook tools: the .ipynb files are the source, and this keeps them clean and makes student copies.

    python tools/nbtools.py clean  [NOTEBOOK ...]        normalize in place (default: notebooks/ and labs/)
    python tools/nbtools.py check  [NOTEBOOK ...]        fail naming each notebook and what is unclean
    python tools/nbtools.py release --out build/release [NOTEBOOK ...]   student versions (see README, "Exercises")
    python tools/nbtools.py verify-solution|verify-released EXECUTED ...  the exercises behave (./nnlab test)
    python tools/nbtools.py workcopy [--fresh NAME]      released notebooks missing from work/ are copied there
    python tools/nbtools.py exercises [--out build/release]  the released notebooks that have check cells

Clean means: no outputs, execution_count null, no per-cell metadata except the "nnlab" key, notebook metadata exactly
the one kernel spec (plus an optional "nnlab" key), every cell with an id, no magics, and the file written the way
nbformat.write writes it (nbformat 4, indent 1, sorted keys, trailing newline).

The release is a pipeline of cell transforms (RELEASE_STEPS): each takes (notebook name, cell number, cell) and
returns the cell to keep or None to drop it, raising ReleaseError for bad input. Every notebook is checked and
transformed in memory first; files are written to a temporary folder that replaces the output only if all succeed.
"""
import argparse
import copy
import glob
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile

import nbformat

KERNELSPEC = {"name": "java", "display_name": "Java (nnlab)", "language": "java"}
LANGUAGE_INFO = {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}
CELL_KEY = "nnlab"          # the only per-cell metadata key kept
NOTEBOOK_KEYS = {"kernelspec", "language_info", CELL_KEY}
DEFAULT_DIRS = ("notebooks", "labs")
MAGIC = re.compile(r"^\s*%{1,2}[A-Za-z]")


def default_notebooks(root="."):
    found = []
    for d in DEFAULT_DIRS:
        found += sorted(glob.glob(os.path.join(root, d, "*.ipynb")))
    return found


def read(path):
    with open(path, encoding="utf-8") as f:
        return nbformat.read(f, as_version=4)


def canonical(nb):
    """The text nbformat.write would store (nbformat.writes plus the trailing newline)."""
    return nbformat.writes(nb, version=4) + "\n"


# ---------------------------------------------------------------------------------------------------------- clean

def clean_notebook(nb):
    """A cleaned copy of nb (outputs, counts and foreign metadata removed, kernel spec normalized, ids filled)."""
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 5))
    meta = {k: v for k, v in nb.metadata.items() if k == CELL_KEY}
    meta["kernelspec"] = dict(KERNELSPEC)
    meta["language_info"] = dict(LANGUAGE_INFO)
    nb.metadata = nbformat.from_dict(meta)
    used = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k == CELL_KEY})
        cid = cell.get("id")
        if not cid or cid in used:
            cid = f"cell-{i:02d}"
            while cid in used:
                cid += "x"
            cell.id = cid
        used.add(cid)
    return nb


def problems(path):
    """What is unclean about the notebook file at path (empty list when it is clean)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as e:  # noqa: BLE001
        return [f"not a readable notebook ({e})"]
    found = []
    for i, cell in enumerate(nb.cells, 1):
        where = f"cell {i}"
        if cell.cell_type == "code":
            if cell.get("outputs"):
                found.append(f"{where}: has outputs")
            if cell.get("execution_count") is not None:
                found.append(f"{where}: has an execution count")
            for n, line in enumerate(cell.source.splitlines(), 1):
                if MAGIC.match(line):
                    found.append(f"{where}, line {n}: a magic ({line.strip()}); cells call nnlab's API only")
        foreign = sorted(k for k in cell.metadata if k != CELL_KEY)
        if foreign:
            found.append(f"{where}: foreign metadata {foreign}")
    foreign = sorted(k for k in nb.metadata if k not in NOTEBOOK_KEYS)
    if foreign:
        found.append(f"notebook metadata has foreign keys {foreign}")
    if dict(nb.metadata.get("kernelspec", {})) != KERNELSPEC:
        found.append(f"kernel spec is {dict(nb.metadata.get('kernelspec', {}))}, not {KERNELSPEC}")
    if dict(nb.metadata.get("language_info", {})) != LANGUAGE_INFO:
        found.append(f"language_info is {dict(nb.metadata.get('language_info', {}))}, not {LANGUAGE_INFO}")
    if not found and text != canonical(clean_notebook(nb)):
        found.append("not in nbformat's canonical JSON (indent 1, sorted keys, cell ids, trailing newline)")
    return found


def cmd_clean(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            before = f.read()
        after = canonical(clean_notebook(nbformat.reads(before, as_version=4)))
        if after != before:
            with open(path, "w", encoding="utf-8") as f:
                f.write(after)
            print(f"cleaned {path}")
    return 0


def cmd_check(paths):
    bad = 0
    for path in paths:
        for p in problems(path):
            print(f"{path}: {p}", file=sys.stderr)
            bad += 1
    if bad:
        print(f"{bad} problem(s): run ./nnlab clean to normalize the notebooks, then review and commit.",
              file=sys.stderr)
        return 1
    print(f"{len(paths)} notebook(s) clean")
    return 0


# -------------------------------------------------------------------------------------------------------- release

class ReleaseError(Exception):
    """Bad exercise markup: the message names the notebook, the cell (numbered from 1 over all cells) and the fix."""


BEGIN = re.compile(r"^(\s*)//\s*BEGIN SOLUTION\b\s*(?::\s*(.*?))?\s*$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
ONE_LINE = re.compile(r"^(\s*)(\S.*?)\s*//\s*SOLUTION\b\s*(?::\s*(.*?))?\s*$")
BEGIN_HIDDEN = re.compile(r"^\s*//\s*BEGIN HIDDEN TESTS\s*$")
END_HIDDEN = re.compile(r"^\s*//\s*END HIDDEN TESTS\s*$")
DEFAULT_HINT = "complete this method"


def stub(indent, hint):
    """The line a solution region becomes: compiles wherever a method body may end, and says what to do."""
    text = (hint or DEFAULT_HINT).replace("\\", "\\\\").replace('"', '\\"')
    return f'{indent}throw new UnsupportedOperationException("TODO: {text}");'


def brace_depth(lines):
    """{ minus } over lines, ignoring string and char literals and // comments (enough to tell a method body)."""
    depth = 0
    for line in lines:
        line = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', '""', line)
        line = line.split("//", 1)[0]
        depth += line.count("{") - line.count("}")
    return depth


def check_metadata(name, number, cell):
    """The cell's nnlab metadata, validated: a check cell needs a non-empty name and non-negative points."""
    meta = cell.metadata.get(CELL_KEY)
    if meta is None:
        return None
    where = f"{name}: cell {number}"
    if not isinstance(meta, dict):
        raise ReleaseError(f"{where}: metadata 'nnlab' must be an object like {{\"check\": \"name\", \"points\": 1}}")
    if cell.cell_type != "code":
        raise ReleaseError(f"{where}: only code cells can be check cells (this one is {cell.cell_type})")
    check = meta.get("check")
    if not isinstance(check, str) or not check.strip():
        raise ReleaseError(f"{where}: check cell without a name: set metadata nnlab.check to a unique name")
    points = meta.get("points")
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
        raise ReleaseError(f"{where}: check cell '{check}' without points: set metadata nnlab.points to a number "
                           f"(got {points!r})")
    return meta


def strip_solutions(name, number, cell):
    """Solution regions become stubs; the one-line form (`return ...; // SOLUTION: hint`) likewise."""
    if cell.cell_type != "code":
        return cell
    out = []
    region = None  # (line number, indent, hint) of an open BEGIN SOLUTION
    lines = cell.source.split("\n")
    for n, line in enumerate(lines, 1):
        where = f"{name}: cell {number}, line {n}"
        begin, end = BEGIN.match(line), END.match(line)
        if region is not None:
            if begin:
                raise ReleaseError(f"{where}: BEGIN SOLUTION inside the region opened at line {region[0]}: "
                                   f"close it with // END SOLUTION first")
            if end:
                out.append(stub(region[1], region[2]))
                region = None
            continue
        if end:
            raise ReleaseError(f"{where}: END SOLUTION without a BEGIN SOLUTION before it")
        if begin:
            if brace_depth(lines[:n - 1]) <= 0:
                raise ReleaseError(f"{where}: solution region outside a method body: the stub is a throw, which "
                                   f"compiles only inside a method; put the region in the method students write")
            region = (n, begin.group(1), begin.group(2))
            continue
        one = ONE_LINE.match(line)
        if one and not line.lstrip().startswith("//"):
            if brace_depth(lines[:n - 1]) <= 0:
                raise ReleaseError(f"{where}: '// SOLUTION' line outside a method body: put it in a method")
            out.append(stub(one.group(1), one.group(3)))
            continue
        out.append(line)
    if region is not None:
        raise ReleaseError(f"{name}: cell {number}, line {region[0]}: BEGIN SOLUTION is never closed: add a line "
                           f"// END SOLUTION")
    cell.source = "\n".join(out)
    return cell


def strip_hidden_tests(name, number, cell):
    """Hidden tests (labs) are removed; they may only sit in check cells."""
    if cell.cell_type != "code" or "HIDDEN TESTS" not in cell.source:
        return cell
    meta = cell.metadata.get(CELL_KEY) or {}
    out, open_at = [], None
    for n, line in enumerate(cell.source.split("\n"), 1):
        where = f"{name}: cell {number}, line {n}"
        if BEGIN_HIDDEN.match(line):
            if "check" not in meta:
                raise ReleaseError(f"{where}: hidden tests outside a check cell: move them into a cell with "
                                   f"metadata nnlab.check")
            if open_at is not None:
                raise ReleaseError(f"{where}: BEGIN HIDDEN TESTS inside the block opened at line {open_at}")
            open_at = n
        elif END_HIDDEN.match(line):
            if open_at is None:
                raise ReleaseError(f"{where}: END HIDDEN TESTS without a BEGIN HIDDEN TESTS before it")
            open_at = None
        elif open_at is None:
            out.append(line)
    if open_at is not None:
        raise ReleaseError(f"{name}: cell {number}, line {open_at}: BEGIN HIDDEN TESTS is never closed")
    cell.source = "\n".join(out)
    return cell


def checksum(source):
    return "sha256:" + hashlib.sha256(source.encode("utf-8")).hexdigest()


def stamp_checksums(name, number, cell):
    """Visible check cells carry the checksum of their released source, so a grader can tell an edited test."""
    meta = cell.metadata.get(CELL_KEY)
    if meta and "check" in meta:
        meta["checksum"] = checksum(cell.source)
    return cell


RELEASE_STEPS = [strip_solutions, strip_hidden_tests, stamp_checksums]


def release_notebook(path, steps=None):
    """The student version of the notebook at path (raises ReleaseError on bad markup)."""
    name = os.path.basename(path)
    nb = clean_notebook(read(path))
    names = {}
    cells = []
    for number, cell in enumerate(nb.cells, 1):
        meta = check_metadata(name, number, cell)
        if meta is not None:
            if meta["check"] in names:
                raise ReleaseError(f"{name}: cell {number}: check name '{meta['check']}' is already used by cell "
                                   f"{names[meta['check']]}: check names must be unique")
            names[meta["check"]] = number
        for step in steps or RELEASE_STEPS:
            cell = step(name, number, cell)
            if cell is None:
                break
        if cell is not None:
            cells.append(cell)
    nb.cells = cells
    return nb


def checks_of(nb):
    """[(cell index, name, points)] of the check cells."""
    return [(i, c.metadata[CELL_KEY]["check"], c.metadata[CELL_KEY]["points"]) for i, c in enumerate(nb.cells)
            if isinstance(c.metadata.get(CELL_KEY), dict) and "check" in c.metadata[CELL_KEY]]


def release(paths, out_dir, steps=None):
    """Writes the student version of every notebook to out_dir (same relative path), all or nothing."""
    released = [(path, release_notebook(path, steps)) for path in paths]   # raises before anything is written
    parent = os.path.dirname(os.path.abspath(out_dir)) or "."
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".release-", dir=parent)
    try:
        manifest = {}
        for path, nb in released:
            rel = os.path.relpath(os.path.abspath(path))
            if rel.startswith(".."):
                rel = os.path.basename(path)
            target = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(canonical(nb))
            manifest[rel] = [{"check": n, "points": p, "cell": i + 1,
                              "checksum": nb.cells[i].metadata[CELL_KEY]["checksum"]} for i, n, p in checks_of(nb)]
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")
        if os.path.exists(out_dir):
            old = out_dir.rstrip("/") + ".old"
            shutil.rmtree(old, ignore_errors=True)
            os.rename(out_dir, old)
            os.rename(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [os.path.join(out_dir, r) for r in manifest]


def cmd_release(paths, out_dir):
    try:
        written = release(paths, out_dir)
    except ReleaseError as e:
        print(f"nnlab release: {e} (nothing written)", file=sys.stderr)
        return 1
    for w in written:
        print(f"released {w}")
    return 0


# ------------------------------------------------------------------------------------------ students' working copy

def working_copy(released_dir, work_dir, fresh=None):
    """Copies the released notebooks that the working copy lacks (never overwriting a student's file). With fresh
    (a notebook name or a unique prefix of one), that notebook is copied anew and the student's version is kept
    beside it as NAME.<time>.ipynb.bak."""
    import time
    copied = []
    sources = [os.path.relpath(p, released_dir) for p in glob.glob(os.path.join(released_dir, "**", "*.ipynb"),
                                                                   recursive=True)]
    if fresh is not None:
        want = fresh[:-6] if fresh.endswith(".ipynb") else fresh
        exact = [r for r in sources if os.path.basename(r)[:-6] == want]
        match = exact or [r for r in sources if os.path.basename(r).startswith(want)]
        if len(match) != 1:
            names = ", ".join(sorted(os.path.basename(r)[:-6] for r in sources))
            raise SystemExit(f"nnlab fresh: '{fresh}' names {len(match)} notebooks; use one of: {names}")
        target = os.path.join(work_dir, match[0])
        if os.path.exists(target):
            backup = target + "." + time.strftime("%Y%m%d-%H%M%S") + ".bak"
            os.rename(target, backup)
            print(f"kept your version as {backup}")
        sources = match
    for rel in sorted(sources):
        target = os.path.join(work_dir, rel)
        if not os.path.exists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(released_dir, rel), target)
            copied.append(target)
    for c in copied:
        print(f"new in your working copy: {c}")
    return copied


# --------------------------------------------------------------------------------------------- executed copies

CLEAN_FAILURE = re.compile(r"UnsupportedOperationException: TODO:|CheckFailure|check failed:")
STUB = 'throw new UnsupportedOperationException("TODO: '
COMPILE_ERROR = re.compile(r"CompilerException|Compile error|CompilationException|cannot find symbol")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def error_text(cell):
    """The error a cell of an executed notebook shows (exception class and message, compiler text), or None."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            lines = [ANSI.sub("", t).strip() for t in out.get("traceback", [])]
            return " | ".join(x for x in [out.get("ename", ""), out.get("evalue", "")] + lines[:6] if x)
    return None


def verify(path, released):
    """Problems of an executed notebook: a solution must pass every check cell (each prints "passed ..."); a
    released version must run to the end with every check cell failing cleanly (a TODO stub or a CheckFailure) and
    every cell holding a stub compiling. Other cells of a released version may fail (they use the results of
    exercises not yet done: JShell does not declare the variables of a cell after the statement that threw, so later
    cells can fail to compile); the solution's run shows that they compile and run once the exercises are done."""
    nb = read(path)
    found = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get(CELL_KEY) or {}
        check = meta.get("check") if isinstance(meta, dict) else None
        where = f"cell {number}" + (f" (check '{check}')" if check else "")
        if cell.get("execution_count") is None:
            found.append(f"{where}: never executed (did the kernel die?)")
            continue
        error = error_text(cell)
        if released:
            if error is not None and COMPILE_ERROR.search(error) and STUB in cell.source:
                found.append(f"{where}: its stub does not compile: {error[:300]}")
            elif check and error is not None and not CLEAN_FAILURE.search(error):
                found.append(f"{where}: fails uncleanly: {error[:300]}")
            elif check and error is None:
                found.append(f"{where}: passes in the released version: the exercise gives its answer away")
        elif check:
            printed = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            if error is not None:
                found.append(f"{where}: fails in the solution: {error[:300]}")
            elif "passed " not in printed:
                found.append(f"{where}: prints no 'passed ...': a check cell must call nnlab.notebook.Check")
    return found


def cmd_verify(paths, released):
    bad = 0
    for path in paths:
        for p in verify(path, released):
            print(f"{path}: {p}", file=sys.stderr)
            bad += 1
    kind = "released" if released else "solution"
    if bad:
        print(f"{bad} problem(s) in the executed {kind} notebooks", file=sys.stderr)
        return 1
    print(f"{len(paths)} executed {kind} notebook(s) behave as exercises should")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["clean", "check", "release", "verify-solution", "verify-released", "workcopy",
                                       "exercises"])
    p.add_argument("notebooks", nargs="*")
    p.add_argument("--out", default="build/release")
    p.add_argument("--work", default="work", help="workcopy: the students' working copy")
    p.add_argument("--fresh", help="workcopy: copy this notebook anew (the old one is kept as a .bak)")
    a = p.parse_intermixed_args(argv)
    paths = a.notebooks or default_notebooks()
    if a.command == "clean":
        return cmd_clean(paths)
    if a.command == "check":
        return cmd_check(paths)
    if a.command == "exercises":
        # the released notebooks that pose exercises (have check cells), one path a line, from the manifest
        with open(os.path.join(a.out, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        for rel in sorted(r for r, checks in manifest.items() if checks):
            print(os.path.join(a.out, rel))
        return 0
    if a.command == "workcopy":
        working_copy(a.out, a.work, a.fresh)
        return 0
    if a.command.startswith("verify"):
        return cmd_verify(a.notebooks, a.command == "verify-released")
    return cmd_release(paths, a.out)


if __name__ == "__main__":
    sys.exit(main())
