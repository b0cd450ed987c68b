"""Startup-to-first-result time of the installed `java` kernel: what a student waits for after opening a notebook.

Each repetition starts the kernel as Jupyter does (jupyter_client, the spec's own command), sends a first cell
(`Matrix.of(...)`, nnlab's imports are preloaded) and stops the clock when its result arrives; then shuts the kernel
down. With --variants, the same kernel is also timed without its class-data-sharing archive (the spec's
-XX:SharedArchiveFile option removed), so the report shows what the archive saves.

    JUPYTER_PATH=.venv/share/jupyter .venv/bin/python bench/kernel_startup.py REPS [--variants]

Prints one JSON line per variant (bench/benchutil.py): wall = seconds to the first result, cpu = CPU seconds of the
kernel's processes (supervisor and JVM) up to then, other = cores the rest of the machine used meanwhile.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from benchutil import emit, machine_busy_seconds, process_cpu, TICKS

FIRST_CELL = "Matrix.of(new double[] {1, 2}, new double[] {3, 4})"
CDS_PREFIXES = ("-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=", "-Xlog:cds", "-Xshare:")


def tree_cpu(pid):
    """CPU seconds (user + system) of a process and its descendants, read from /proc."""
    total = 0.0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError, IndexError):
            pass
    return total


def first_result(km, timeout=300):
    """Starts the kernel, runs FIRST_CELL, returns (seconds to its result, kernel CPU seconds, result text)."""
    begin = time.perf_counter()
    km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        msg_id = kc.execute(FIRST_CELL)
        text = None
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "execute_result":
                text = msg["content"]["data"].get("text/plain", "")
                break
            if kind == "error":
                raise RuntimeError("the first cell failed: " + " ".join(msg["content"].get("traceback", [])))
        seconds = time.perf_counter() - begin
        pid = getattr(getattr(km, "provisioner", None), "pid", None) or getattr(getattr(km, "kernel", None), "pid", None)
        cpu = tree_cpu(pid) if pid else float("nan")
        return seconds, cpu, text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def time_variant(ksm, name, reps):
    records, text, failed = [], None, 0
    for _ in range(reps):
        busy0, own0 = machine_busy_seconds(), process_cpu()
        try:
            seconds, cpu, text = first_result(KernelManager(kernel_name=name, kernel_spec_manager=ksm))
        except RuntimeError as e:  # a start that died (as tools/run_notebooks.py does, try once more)
            failed += 1
            print(f"kernel start failed ({e}); starting it again", file=sys.stderr)
            if failed > reps:
                raise
            busy0, own0 = machine_busy_seconds(), process_cpu()
            seconds, cpu, text = first_result(KernelManager(kernel_name=name, kernel_spec_manager=ksm))
        busy = machine_busy_seconds()
        own = process_cpu() - own0
        other = None if busy is None else max(0.0, (busy - busy0) - own - cpu) / seconds
        records.append({"wall": seconds, "cpu": cpu, "other": other})
    return records, text, failed


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    variants = "--variants" in sys.argv
    ksm = KernelSpecManager()
    spec = ksm.get_kernel_spec("java")
    uses_cds = any(arg.startswith("-XX:SharedArchiveFile=") for arg in spec.argv)
    records, text, failed = time_variant(ksm, "java", reps)
    emit("java kernel", spec.metadata.get("nnlab", {}).get("version", "?"), 1, records, variant="installed",
         cds=uses_cds, first_result=text, failed_starts=failed)
    if variants and uses_cds:
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "kernels", "java-nocds")
            os.makedirs(folder)
            plain = dict(spec.to_dict())
            plain["argv"] = [a for a in spec.argv if not a.startswith(CDS_PREFIXES)]
            with open(os.path.join(folder, "kernel.json"), "w") as f:
                json.dump(plain, f)
            ksm_plain = KernelSpecManager(kernel_dirs=[os.path.join(tmp, "kernels")] + list(ksm.kernel_dirs))
            records, text, failed = time_variant(ksm_plain, "java-nocds", reps)
            emit("same kernel without CDS archive", spec.metadata.get("nnlab", {}).get("version", "?"), 1, records,
                 variant="no-cds", cds=False, first_result=text, failed_starts=failed)


if __name__ == "__main__":
    main()
