"""Executes Jupyter notebooks headless on the `java` kernel, writes executed copies and HTML to a build folder, and
prints which kernel ran (engine, version, java) and a table: notebook, seconds, cells, checks, status. Exits non-zero
if any cell fails, naming the notebook, the cell and the error. Each kernel's own output goes to
OUT/NAME.kernel.log and is shown (its last lines) only when that notebook failed.

    python tools/run_notebooks.py --out build/notebooks notebooks/*.ipynb
"""
import argparse
import atexit
import os
import re
import socket
import subprocess
import sys
import time

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FIX = {"rapaio": "rerun ./nnlab setup",
       "ijava": "reinstall the IJava release with ./nnlab kernel --engine ijava --kernel-dir ijava-1.3.0.zip",
       "jjava": "reinstall the JJava release with ./nnlab kernel --engine jjava --kernel-dir jjava-...-kernelspec.zip"}


def kernel_identity(kernel):
    """The installed kernel spec's engine record (tools/install_kernel.py writes it), or {} when there is none."""
    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        return {}
    meta = dict(spec.metadata.get("nnlab", {}))
    meta["resource_dir"] = spec.resource_dir
    return meta


def fix_for(kernel):
    return FIX.get(kernel_identity(kernel).get("engine"), "reinstall the kernel (./nnlab setup)")


def checks_summary(nb):
    """'passed/total' of the closing Checks table (its result column), '-' when the notebook has none."""
    for cell in reversed(nb.cells):
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "") if out.get("output_type") == "display_data" else ""
            if "<th>result</th>" in html:
                results = re.findall(r"<td>([^<]*)</td></tr>", html)
                passed = sum(1 for r in results if r == "ok")
                checked = sum(1 for r in results if r in ("ok", "FAILED"))
                return f"{passed}/{checked}"
    return "-"


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
                f"./nnlab kernel --kernel-dir IJAVA_OR_JJAVA_RELEASE, which install it into .venv.")
    if "respond" in str(e):
        return (f"the '{kernel}' kernel started but never answered on its local ports ({attempts} attempt(s), "
                f"{waited} s in all). The kernel's own output above says why if it crashed; otherwise check "
                f"that this machine allows connections to 127.0.0.1 (sandbox, firewall) and that `java -version` "
                f"works in this shell; then {fix_for(kernel)}. ({text})")
    if "died" in str(e) or isinstance(e, DeadKernelError):
        return (f"the '{kernel}' kernel process exited while starting; its log is printed above (a wrong java, "
                f"a missing jar): {fix_for(kernel)}. ({text})")
    if "Address already in use" in str(e) or "ZMQError" in type(e).__name__:
        return (f"the '{kernel}' kernel could not open its ports: {e}. Another program may hold them; run again, "
                f"or free local ports. ({text})")
    return f"could not run the notebook: {text}. Is the '{kernel}' kernel installed? {fix_for(kernel)}."


def run(path, out_dir, timeout, kernel, attempts=2, startup_timeout=300):
    cells = 0
    waited = 0
    name = os.path.splitext(os.path.basename(path))[0]
    os.makedirs(out_dir, exist_ok=True)
    log_path = os.path.join(out_dir, name + ".kernel.log")
    log = open(log_path, "w", encoding="utf-8")
    for attempt in range(1, attempts + 1):
        # The kernel spec's supervisor restarts a JVM that does not answer; this is the second line of defence.
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
            # The kernel's own output (its log lines) goes to NAME.kernel.log, not to the terminal.
            client.execute(stdout=log, stderr=subprocess.STDOUT)
        except (CellTimeoutError, DeadKernelError) as e:
            problem = (None, f"{type(e).__name__}: {e}")
        except CellExecutionError as e:
            problem = (None, str(e))
        except Exception as e:  # noqa: BLE001  (kernel start failures and the like)
            # nbclient: "Kernel didn't respond in N seconds", or "Kernel died before replying to kernel_info"
            started = "respond" not in str(e) and "died before replying" not in str(e)
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
    log.close()
    if problem is None:
        problem = first_error(nb)
    if problem is not None:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            tail = f.readlines()[-40:]
        if tail:
            print(f"  the kernel's log ({log_path}, last {len(tail)} lines):")
            sys.stdout.write("".join("  | " + line for line in tail))
    # Kernels send printed text in many small pieces, and a progress line as updates starting with \r: merge the
    # pieces and keep the last state of each line, as a live notebook shows them.
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    nbformat.write(nb, os.path.join(out_dir, name + ".ipynb"))
    html, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
        f.write(html)
    return name, seconds, cells, checks_summary(nb), problem


def main():
    p = argparse.ArgumentParser()
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--out", default="build/notebooks")
    p.add_argument("--timeout", type=int, default=3600, help="seconds one cell may take")
    p.add_argument("--kernel", default="java")
    p.add_argument("--startup-timeout", type=int, default=300,
                   help="seconds to wait for the kernel to answer, doubled on each new attempt")
    p.add_argument("--startup-attempts", type=int, default=2, help="kernel starts before giving up")
    a = p.parse_args()
    ports = local_ports_work()
    if ports is not None:
        sys.exit(f"cannot open a local TCP port ({ports}). Jupyter kernels talk to the notebook over ports on "
                 "127.0.0.1; allow local connections (sandbox or firewall settings) and run again.")
    rows = []
    failures = []
    for path in a.notebooks:
        print(f"running {path} ...", flush=True)
        name, seconds, cells, checks, problem = run(path, a.out, a.timeout, a.kernel, a.startup_attempts,
                                                    a.startup_timeout)
        status = "ok" if problem is None else "FAILED"
        rows.append((name, seconds, cells, checks, status))
        if problem is not None:
            cell, text = problem
            where = f"cell {cell}" if cell else "execution"
            failures.append(f"{path}: {where}: {text}")
    width = max(len(r[0]) for r in rows + [("notebook",)])
    me = kernel_identity(a.kernel)
    print()
    if me.get("engine"):
        print(f"kernel '{a.kernel}': {me['name']} {me['version']} on {me['java']} ({me['resource_dir']})")
    else:
        print(f"kernel '{a.kernel}': not installed by nnlab ({me.get('resource_dir', 'not found')})")
    print(f"{'notebook':<{width}}  {'seconds':>8}  {'cells':>5}  {'checks':>6}  status")
    for name, seconds, cells, checks, status in rows:
        print(f"{name:<{width}}  {seconds:8.1f}  {cells:5d}  {checks:>6}  {status}")
    print(f"\nexecuted copies, HTML and kernel logs: {a.out}")
    if failures:
        print("\nFAILED:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
