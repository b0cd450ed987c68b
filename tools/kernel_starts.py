"""Starts the installed `java` kernel spec N times in a row, exactly as Jupyter does (a fresh connection file, the
spec's own command, then kernel_info until the kernel answers), shuts each one down, and counts the starts that never
answered. Exits non-zero if any did. The kernels' logs go to --log; the supervisor notes there each JVM it replaced.

    JUPYTER_PATH=.venv/share/jupyter .venv/bin/python tools/kernel_starts.py --count 200     (./nnlab kernel-check)
"""
import argparse
import subprocess
import sys
import time

from jupyter_client import KernelManager


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--kernel", default="java")
    p.add_argument("--timeout", type=int, default=300, help="seconds one start may take to answer")
    p.add_argument("--log", default="build/kernel-starts.log")
    a = p.parse_args()
    failed, seconds = [], []
    with open(a.log, "w", encoding="utf-8") as log:
        for i in range(1, a.count + 1):
            log.write(f"--- start {i}\n")
            log.flush()
            km = KernelManager(kernel_name=a.kernel)
            begin = time.time()
            km.start_kernel(stdout=log, stderr=subprocess.STDOUT)
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=a.timeout)
                seconds.append(time.time() - begin)
            except RuntimeError as e:
                failed.append(i)
                log.write(f"--- start {i} FAILED: {e}\n")
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            print(f"\rkernel starts: {i}/{a.count}, {len(failed)} failed", end="", flush=True)
    print()
    with open(a.log, encoding="utf-8", errors="replace") as f:
        text = f.read()
        replaced = text.count("starting a new JVM") + text.count("before answering")
    seconds.sort()
    median = seconds[len(seconds) // 2] if seconds else float("nan")
    print(f"{a.count} starts of kernel '{a.kernel}': {a.count - len(failed)} answered, {len(failed)} failed; "
          f"the supervisor replaced {replaced} JVM(s) that did not answer; median start {median:.1f} s, "
          f"slowest {max(seconds, default=float('nan')):.1f} s (log: {a.log})")
    if failed:
        sys.exit(f"kernel starts that never answered: {failed}")


if __name__ == "__main__":
    main()
