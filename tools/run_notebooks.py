"""Executes Jupyter notebooks headless on the `java` kernel, writes executed copies and HTML to a build folder, and
prints a table: notebook, seconds, cells, status. Exits non-zero if any cell fails, naming the notebook, the cell
and the error.

    python tools/run_notebooks.py --out build/notebooks notebooks/*.ipynb
"""
import argparse
import atexit
import os
import re
import socket
import sys
import time

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def first_error(nb):
    """(cell number, text) of the first cell with an error output, numbering code cells from 1."""
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                text = (out.get("ename", "") + ": " + ANSI.sub("", out.get("evalue", "")).strip()).strip(": ")
                if not out.get("evalue", "").strip():
                    # Rapaio leaves evalue empty for compile errors and puts the compiler's message in the traceback.
                    lines = [ANSI.sub("", t).strip() for t in out.get("traceback", [])]
                    text = (text + ": " + " | ".join(t for t in lines if t)[:600]).strip(": ")
                return number, text.strip()
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = ANSI.sub("", out.get("text", ""))
                if re.search(r"(Exception|Error)\b", text) and "WARNING" not in text:
                    return number, text.strip()
    return None


def local_ports_work():
    """Jupyter kernels talk to the client over TCP ports on 127.0.0.1; a sandbox or firewall can forbid that."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            with socket.create_connection(server.getsockname(), timeout=5):
                pass
        return None
    except OSError as e:
        return str(e)


def start_problem(e, kernel, attempts, waited):
    """One message naming what went wrong when the kernel could not be started or reached, and the fix."""
    text = f"{type(e).__name__}: {e}"
    if isinstance(e, NoSuchKernel):
        return (f"the Jupyter kernel '{kernel}' is not installed in this environment. Run ./nnlab setup (Rapaio) or "
                f"./nnlab kernel --engine ijava|jjava --kernel-dir DIR, which install it into .venv.")
    if "respond" in str(e):
        return (f"the '{kernel}' kernel started but never answered on its local ports ({attempts} attempt(s), "
                f"{waited} s in all). The kernel's own output above says why if it crashed; otherwise check "
                f"that this machine allows connections to 127.0.0.1 (sandbox, firewall) and that `java -version` "
                f"works in this shell. ({text})")
    if "died" in str(e) or isinstance(e, DeadKernelError):
        return (f"the '{kernel}' kernel process exited while starting; its error is printed above (a wrong java, "
                f"a missing jar). Rerun ./nnlab setup. ({text})")
    if "Address already in use" in str(e) or "ZMQError" in type(e).__name__:
        return (f"the '{kernel}' kernel could not open its ports: {e}. Another program may hold them; run again, "
                f"or free local ports. ({text})")
    return f"could not run the notebook: {text}. Is the '{kernel}' kernel installed (./nnlab setup)?"


def run(path, out_dir, timeout, kernel, attempts=3, startup_timeout=10):
    cells = 0
    waited = 0
    for attempt in range(1, attempts + 1):
        # 10, 20, 40 s: a healthy start answers in 2-3 s here, a slow machine gets more time on each new try.
        wait = startup_timeout * 2 ** (attempt - 1)
        nb = nbformat.read(path, as_version=4)
        cells = sum(1 for c in nb.cells if c.cell_type == "code")
        client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, startup_timeout=wait,
                                allow_errors=True,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        start = time.time()
        problem = None
        started = True
        try:
            client.execute()
        except (CellTimeoutError, DeadKernelError) as e:
            problem = (None, f"{type(e).__name__}: {e}")
        except CellExecutionError as e:
            problem = (None, str(e))
        except Exception as e:  # noqa: BLE001  (kernel start failures and the like)
            started = "respond" not in str(e)  # nbclient: "Kernel didn't respond in N seconds"
            waited += wait
            problem = (None, start_problem(e, kernel, attempt, waited))
            # No kernel is left to shut down: drop the client's exit hook, which would fail on the missing manager.
            atexit.unregister(client._cleanup_kernel)
        seconds = time.time() - start
        if started or attempt == attempts:
            break
        # Rapaio 3.0.1 sometimes never answers on its shell channel (about one start in five here). Its shell thread
        # starts polling before the kernel registers its message handlers (a plain HashMap filled afterwards by
        # another thread); early requests are logged as "Unhandled message" and dropped, and in the failing starts
        # no request is seen at all. A fresh kernel is the cheapest cure.
        print(f"  the kernel did not answer (attempt {attempt} of {attempts}); starting it again", flush=True)
    if problem is None:
        problem = first_error(nb)
    name = os.path.splitext(os.path.basename(path))[0]
    os.makedirs(out_dir, exist_ok=True)
    # Kernels send printed text in many small pieces, and a progress line as updates starting with \r: merge the
    # pieces and keep the last state of each line, as a live notebook shows them.
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    nbformat.write(nb, os.path.join(out_dir, name + ".ipynb"))
    html, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
        f.write(html)
    return name, seconds, cells, problem


def main():
    p = argparse.ArgumentParser()
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--out", default="build/notebooks")
    p.add_argument("--timeout", type=int, default=3600, help="seconds one cell may take")
    p.add_argument("--kernel", default="java")
    p.add_argument("--startup-timeout", type=int, default=10,
                   help="seconds to wait for the kernel to answer, doubled on each new attempt")
    p.add_argument("--startup-attempts", type=int, default=3, help="kernel starts before giving up")
    a = p.parse_args()
    ports = local_ports_work()
    if ports is not None:
        sys.exit(f"cannot open a local TCP port ({ports}). Jupyter kernels talk to the notebook over ports on "
                 "127.0.0.1; allow local connections (sandbox or firewall settings) and run again.")
    rows = []
    failures = []
    for path in a.notebooks:
        print(f"running {path} ...", flush=True)
        name, seconds, cells, problem = run(path, a.out, a.timeout, a.kernel, a.startup_attempts, a.startup_timeout)
        status = "ok" if problem is None else "FAILED"
        rows.append((name, seconds, cells, status))
        if problem is not None:
            cell, text = problem
            where = f"cell {cell}" if cell else "execution"
            failures.append(f"{path}: {where}: {text}")
    width = max(len(r[0]) for r in rows + [("notebook",)])
    print()
    print(f"{'notebook':<{width}}  {'seconds':>8}  {'cells':>5}  status")
    for name, seconds, cells, status in rows:
        print(f"{name:<{width}}  {seconds:8.1f}  {cells:5d}  {status}")
    print(f"\nexecuted copies and HTML: {a.out}")
    if failures:
        print("\nFAILED:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
