"""Runs binder/postBuild the way Binder (repo2docker) does, on this machine, then executes notebook 00 on the kernel
it installed (./nnlab test runs this):

    python3 src/test/python/binder_check.py                  # IJava download fails: the Rapaio fallback is proven
    NNLAB_IJAVA_ZIP=/path/to/ijava-1.3.0.zip python3 src/test/python/binder_check.py    # the IJava path is proven

As on Binder: a fresh virtual environment stands in for the image's Python (binder/requirements.txt installed into
it, its bin/ first on the PATH), HOME is an empty folder, and the IJava release is downloaded over HTTP, from a local
server that serves NNLAB_IJAVA_ZIP (the real release, kept outside the repository) or, without it, a release cut
short in transfer. Exits non-zero naming the step that failed.
"""
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def step(what, cmd, env, **kw):
    print(f"binder check: {what} ...", flush=True)
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"binder check: {what} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout + result.stderr


def main():
    real_zip = os.environ.get("NNLAB_IJAVA_ZIP")
    tmp = tempfile.mkdtemp(prefix="nnlab-binder-")
    try:
        home, serve, image = (os.path.join(tmp, d) for d in ("home", "serve", "image"))
        os.makedirs(home)
        os.makedirs(serve)
        release = os.path.join(serve, "ijava-1.3.0.zip")
        if real_zip:
            shutil.copy(real_zip, release)
            expected = "IJava 1.3.0"
        else:
            with open(release, "wb") as f:
                f.write(b"PK\x03\x04" + b"\0" * 100)  # a download cut short
            expected = "Rapaio"
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=serve)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()

        env = {k: v for k, v in os.environ.items()
               if k not in ("VIRTUAL_ENV", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "PYTHONPATH")}
        path = [p for p in env["PATH"].split(os.pathsep) if not p.startswith(os.path.join(ROOT, ".venv"))]
        # Maven's downloads (the wrapper's Maven, the dependencies) come from this machine's cache, not a new one.
        real_m2 = os.path.join(os.environ.get("HOME", home), ".m2")
        env.update(MAVEN_USER_HOME=real_m2, MAVEN_OPTS=f"-Dmaven.repo.local={os.path.join(real_m2, 'repository')}")
        env.update(HOME=home, PIP_RETRIES="0", PATH=os.pathsep.join([os.path.join(image, "bin")] + path),
                   NNLAB_IJAVA_URL=f"http://127.0.0.1:{server.server_address[1]}/ijava-1.3.0.zip")
        step("creating the image's Python", ["python3", "-m", "venv", image], env)
        # repo2docker installs requirements.txt before postBuild, with the image's own pip settings: here the
        # machine's (its package index is configured in the real HOME).
        step("installing binder/requirements.txt into it", [os.path.join(image, "bin", "python"), "-m", "pip",
                                                            "install", "-q", "-r", "binder/requirements.txt"],
             dict(env, HOME=os.environ.get("HOME", home)))
        out = step("running binder/postBuild", ["bash", "binder/postBuild"], env)
        print("  " + "\n  ".join(line for line in out.splitlines() if "kernel" in line))
        spec = os.path.join(image, "share", "jupyter", "kernels", "java", "kernel.json")
        if not os.path.isfile(spec):
            sys.exit(f"binder check: postBuild installed no kernel spec at {spec}")
        if os.path.exists(os.path.join(home, ".local", "share", "jupyter", "kernels")):
            sys.exit("binder check: postBuild installed a kernel into HOME instead of the image's Python")
        out = step("executing notebook 00 on the installed kernel",
                   [os.path.join(image, "bin", "python"), "tools/run_notebooks.py", "--out",
                    os.path.join(tmp, "notebooks"), "notebooks/00-getting-started.ipynb"],
                   dict(env, NNLAB_QUICK="1"))
        kernel_line = next((line for line in out.splitlines() if line.startswith("kernel 'java'")), "")
        if expected not in kernel_line:
            sys.exit(f"binder check: expected the notebook to run on {expected}, the runner says: {kernel_line!r}")
        print(f"ok: Binder's postBuild installs {expected} and notebook 00 runs on it ({kernel_line})")
        server.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
