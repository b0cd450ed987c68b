"""The course as students and readers see it: headless Chromium drives JupyterLab and the built course site.

    python tools/browser_test.py lab  [--notebook notebooks/00-getting-started.ipynb --min-images 3 --min-tables 2]
    python tools/browser_test.py site [--site build/site]

`lab` starts JupyterLab from this environment on 127.0.0.1 (a free port, a random token, a fresh working copy of the
notebook, settings and runtime files under build/browser/), opens the notebook in Chromium, checks that the Java
kernel is the one preselected and that its status reads idle before any cell runs, runs all cells from the Run menu, waits until every cell has run and the kernel is
idle, and asserts what a student must see: no error output, the plots as <img> elements of non-zero size, the
tables as HTML, the training progress as one line plus a summary. `site` serves build/site on 127.0.0.1 and opens
the index and every page: images load, links resolve, math is typeset by the local MathJax, no console errors.

Both stop everything they started (JupyterLab, its kernels, chromedriver, Chromium) and check by process id that
nothing is left. Every wait is bounded; a failure prints what went wrong, the tail of the JupyterLab log and the
path of a screenshot (build/screenshots/).

The driver is Selenium (Python, pinned in tools/browser-requirements.txt) with Debian's chromium and
chromium-driver, whose versions always match; see README ("Browser tests") for why.
"""
import argparse
import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin, urlparse, unquote

import psutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
SHOTS = os.path.join(BUILD, "screenshots")
# Without the networking flags Chromium keeps trying to reach Google's hosts, which a closed network refuses.
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1800", "--hide-scrollbars"]
SKIP_EXIT = 3  # exit status for "no browser on this machine": ./nnlab test prints the skip and goes on


class Failure(Exception):
    pass


class KernelSilent(Failure):
    """The kernel never answered: worth one more try on a fresh JupyterLab (Rapaio 3.0.1 hangs in some starts)."""


def log(msg):
    print("browser: " + msg, flush=True)


def poll(what, seconds, fn, interval=0.5):
    """Calls fn until it returns something truthy, at most `seconds`; raises Failure naming `what` otherwise."""
    deadline = time.monotonic() + seconds
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"{what} (waited {seconds} s)")
        time.sleep(interval)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_taken(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return False
        except OSError:
            return True


# ---------------------------------------------------------------------------------------------------------------
# Processes: every process this test starts, and every descendant seen, is recorded with its start time, so that
# the final check asks about exactly those processes (a recycled pid is not mistaken for one of ours).

class Tracked:
    def __init__(self):
        self.procs = {}  # pid -> (create_time, label, command line)

    def add_tree(self, pid, label):
        try:
            root = psutil.Process(pid)
            for p in [root] + root.children(recursive=True):
                if p.pid not in self.procs:
                    self.procs[p.pid] = (p.create_time(), label, " ".join(p.cmdline())[:160])
        except psutil.Error:
            pass

    def alive(self):
        left = []
        for pid, (created, label, cmd) in self.procs.items():
            try:
                p = psutil.Process(pid)
                if p.create_time() == created and p.status() != psutil.STATUS_ZOMBIE:
                    left.append((pid, label, cmd, p))
            except psutil.Error:
                pass
        return left

    def check_none_left(self):
        """Waits a few seconds for our processes to exit; kills and names any that did not (then fails)."""
        try:
            poll("processes to exit", 10, lambda: not self.alive())
            log(f"no processes left: all {len(self.procs)} started by this test have exited "
                f"(pids {', '.join(str(p) for p in sorted(self.procs))})")
            return None
        except Failure:
            left = self.alive()
            for _, _, _, p in left:
                try:
                    p.kill()
                except psutil.Error:
                    pass
            return "processes left behind (now killed): " + "; ".join(
                f"{pid} {label} [{cmd}]" for pid, label, cmd, _ in left)


# ---------------------------------------------------------------------------------------------------------------
# The browser

def find_browser():
    chromium = os.environ.get("NNLAB_CHROMIUM") or next(
        (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    driver = os.environ.get("NNLAB_CHROMEDRIVER") or shutil.which("chromedriver")
    return chromium, driver


class Browser:
    def __init__(self, tracked, name):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        chromium, driver = find_browser()
        self.profile = os.path.join(BUILD, "browser", name, "chromium-profile")
        shutil.rmtree(self.profile, ignore_errors=True)
        os.makedirs(self.profile)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in CHROMIUM_FLAGS + [f"--user-data-dir={self.profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=driver, log_output=os.path.join(BUILD, "browser", name, "chromedriver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(30)
        self.service = service
        self.tracked = tracked
        self.track()

    def track(self):
        self.tracked.add_tree(self.service.process.pid, "chromedriver/chromium")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def screenshot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        path = os.path.join(SHOTS, name + ".png")
        try:
            self.driver.save_screenshot(path)
            return path
        except Exception as e:  # noqa: BLE001  (a dead browser cannot take one)
            return f"(no screenshot: {type(e).__name__})"

    def console_errors(self):
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def quit(self):
        self.track()
        try:
            self.driver.quit()
        except Exception as e:  # noqa: BLE001
            log(f"closing the browser: {type(e).__name__}: {e}")


# ---------------------------------------------------------------------------------------------------------------
# JupyterLab

LAB_LOG = os.path.join(BUILD, "browser", "jupyterlab.log")


def lab_log_tail(lines=40, secret=None):
    try:
        with open(LAB_LOG, errors="replace") as f:
            text = f.read().splitlines()
    except OSError:
        return "(no log)"
    # The token is a secret of this run only, but keep it out of CI logs all the same.
    return "\n".join(line.replace(secret, "<token>") if secret else line for line in text[-lines:])


class Lab:
    """A JupyterLab server of this environment on 127.0.0.1, with its own working folder, settings and runtime."""

    def __init__(self, tracked, workdir, port, extra_args=(), start_timeout=90):
        self.token = secrets.token_hex(24)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = LAB_LOG
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        state = os.path.join(BUILD, "browser", "lab-state")
        shutil.rmtree(state, ignore_errors=True)
        env = dict(os.environ)
        env.update({
            # Our own runtime, user settings and workspaces: nothing of the user's home is read or written.
            "JUPYTER_RUNTIME_DIR": os.path.join(state, "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": os.path.join(state, "user-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": os.path.join(state, "workspaces"),
            "JUPYTER_CONFIG_DIR": os.path.join(state, "config"),
            # This environment's kernels (and, first, any folders the caller puts on JUPYTER_PATH).
            "JUPYTER_PATH": os.pathsep.join(p for p in [os.environ.get("JUPYTER_PATH", ""),
                                                        os.path.join(sys.prefix, "share", "jupyter")] if p),
        })
        args = [os.path.join(os.path.dirname(sys.executable), "jupyter"), "lab", "--no-browser",
                "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={workdir}",
                "--ServerApp.open_browser=False", *extra_args]
        if os.geteuid() == 0:
            args.append("--allow-root")
        self.logfile = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, cwd=workdir, env=env, stdout=self.logfile, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.tracked = tracked
        tracked.add_tree(self.proc.pid, "jupyterlab")
        log(f"JupyterLab pid {self.proc.pid} on {self.url} (log {os.path.relpath(self.log_path, ROOT)})")
        try:
            poll("JupyterLab to answer on " + self.url, start_timeout, self.ready)
        except Failure:
            self.stop()
            raise

    def ready(self):
        if self.proc.poll() is not None:
            raise Failure(f"JupyterLab exited with status {self.proc.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def track(self):
        self.tracked.add_tree(self.proc.pid, "jupyterlab/kernel")

    def api(self, path, method="GET"):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
            return json.loads(body) if body else None

    def log_tail(self, lines=40):
        if not self.logfile.closed:
            self.logfile.flush()
        return lab_log_tail(lines, self.token)

    def stop(self):
        """Shuts JupyterLab down through its API (which stops its kernels), then by signal if it has to."""
        self.track()
        if self.proc.poll() is None:
            try:
                self.api("/api/shutdown", "POST")
            except Exception:  # noqa: BLE001  (not answering: the signals below)
                pass
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                log("JupyterLab did not shut down in 20 s; sending SIGTERM")
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
        self.logfile.close()


def working_copy(notebook, kernel):
    """A fresh copy of the notebook in build/browser/work (JupyterLab autosaves; the sources stay untouched)."""
    work = os.path.join(BUILD, "browser", "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(notebook) as f:
        nb = json.load(f)
    if kernel:
        nb["metadata"]["kernelspec"]["name"] = kernel
    name = os.path.basename(notebook)
    with open(os.path.join(work, name), "w") as f:
        json.dump(nb, f, indent=1)
    return work, name


# JavaScript run in the page: what a student sees of the open notebook.
NOTEBOOK_STATE = r"""
const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
if (!panel) return null;
const cells = [...panel.querySelectorAll('.jp-Cell.jp-CodeCell')];
const prompts = cells.map(c => (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '');
const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
const kernel = panel.querySelector('.jp-KernelName, [data-jp-item-name="kernelName"]');
return {
  cells: cells.length,
  prompts: prompts,
  status: status ? status.getAttribute('data-status') : null,
  kernel: kernel ? kernel.textContent.trim() : null,
  dialog: (document.querySelector('.jp-Dialog') || {}).textContent || null,
};
"""

SCROLL_TO_TRAINING = r"""
const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-CodeCell')];
const cell = cells.find(c => /showProgress|\.fit\(/.test(c.textContent));
if (cell) cell.scrollIntoView({block: 'start'});
"""

OUTPUTS = r"""
const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
const cells = [...panel.querySelectorAll('.jp-Cell.jp-CodeCell')];
return cells.map((c, i) => {
  c.scrollIntoView({block: 'center'});
  const outs = [...c.querySelectorAll('.jp-OutputArea-output')];
  return {
    index: i + 1,
    source: (c.querySelector('.jp-InputArea-editor') || {}).textContent || '',
    outputs: outs.map(o => {
      const r = o.getBoundingClientRect();
      return {
        mime: o.getAttribute('data-mime-type'),
        text: o.innerText.slice(0, 4000),
        images: [...o.querySelectorAll('img')].map(img => {
          const b = img.getBoundingClientRect();
          return {w: b.width, h: b.height, nw: img.naturalWidth, nh: img.naturalHeight, complete: img.complete};
        }),
        tables: o.querySelectorAll('table').length,
        html: o.classList.contains('jp-RenderedHTMLCommon') || o.querySelector('.jp-RenderedHTMLCommon') !== null,
      };
    }),
  };
});
"""


def run_lab(a):
    for attempt in range(1, a.attempts + 1):
        status = lab_once(a, last=attempt == a.attempts)
        if status != "retry":
            return status
        log(f"the kernel never answered (attempt {attempt} of {a.attempts}): starting again from scratch")


def lab_once(a, last):
    tracked = Tracked()
    retry = False
    lab = browser = None
    if os.path.exists(LAB_LOG):
        os.remove(LAB_LOG)
    shot = None
    problem = None
    t0 = time.monotonic()
    try:
        work, name = working_copy(a.notebook, a.kernel)
        port = a.port or free_port()
        try:
            lab = Lab(tracked, work, port, a.lab_arg, a.start_timeout)
        except Failure as e:
            hint = ""
            if port_taken(port) and "already in use" in lab_log_tail():
                hint = f" (port {port} on 127.0.0.1 is taken by another program; omit --port to use a free one)"
            raise Failure(f"JupyterLab did not start: {e}{hint}") from None
        browser = Browser(tracked, "lab")
        d = browser.driver
        log(f"opening {name} in Chromium")
        d.get(f"{lab.url}/lab/tree/{name}?token={lab.token}&reset")
        want = code_cells(a.notebook)
        poll(f"JupyterLab to show the notebook's {want} code cells", 60,
             lambda: (browser.js(NOTEBOOK_STATE) or {}).get("cells") == want)
        lab.track()
        # The Java kernel must be the one preselected: the notebook's metadata names it and no dialog asks.
        state = poll("JupyterLab to show the notebook's kernel", 60,
                     lambda: (lambda s: s if s and s["kernel"] and s["kernel"] != "No Kernel" and
                              "Select Kernel" not in (s["dialog"] or "") else None)(browser.js(NOTEBOOK_STATE)),
                     interval=1)
        log(f"kernel shown: {state['kernel']}; {state['cells']} code cells")
        if a.expect_kernel and state["kernel"] != a.expect_kernel:
            raise Failure(f"the notebook opened with kernel '{state['kernel']}', not '{a.expect_kernel}'")

        # Before any cell runs, the indicator must say the kernel is idle: a kernel that never answers JupyterLab's
        # history request (Rapaio 3.0.1 without the supervisor's --answer-history) leaves it at 'unknown', and a
        # kernel that never answers at all leaves it at 'starting' or 'unknown' ("Connecting" to the student).
        started = time.monotonic()
        try:
            state = poll("JupyterLab to show the kernel as idle before any cell runs", a.idle_timeout,
                         lambda: (lambda s: s if s and s["status"] == "idle" else None)(browser.js(NOTEBOOK_STATE)),
                         interval=0.5)
        except Failure as e:
            s = browser.js(NOTEBOOK_STATE) or {}
            raise KernelSilent(f"{e}: the kernel never became idle (JupyterLab's indicator says "
                               f"'{s.get('status')}' before any cell ran). The kernel's own messages are at the end "
                               f"of the JupyterLab log below.") from None
        log(f"kernel indicator: {state['status']} {time.monotonic() - started:.1f} s after the notebook opened, "
            f"no cell run yet; Run > Run All Cells")
        run_all(browser)
        started = time.monotonic()
        # The kernel is up when the first cell has run.
        try:
            poll("the kernel to run the first cell", a.idle_timeout, lambda: first_cell_done(browser, lab), 1)
        except Failure as e:
            s = browser.js(NOTEBOOK_STATE) or {}
            raise KernelSilent(f"{e}: the kernel never became idle (JupyterLab's indicator says "
                               f"'{s.get('status')}', first prompt {s.get('prompts', ['?'])[:1]}). The kernel's own "
                               f"messages are at the end of the JupyterLab log below.") from None
        log(f"the kernel answered after {time.monotonic() - started:.1f} s")

        def finished():
            s = browser.js(NOTEBOOK_STATE)
            lab.track()
            done = s and all(re.match(r"^\[\d+\]", p.strip()) for p in s["prompts"]) and s["status"] == "idle"
            return s if done else None
        try:
            poll("every cell to finish", a.run_timeout, finished, interval=1)
        except Failure as e:
            s = browser.js(NOTEBOOK_STATE) or {}
            raise Failure(f"{e}: prompts {s.get('prompts')}, kernel status '{s.get('status')}'") from None
        log(f"all cells ran in {time.monotonic() - started:.1f} s")
        cells = browser.js(OUTPUTS)
        shot = browser.screenshot(a.screenshot)
        problem = check_outputs(cells, a, browser)
        # First-run clutter: the project's JupyterLab settings switch off the "official Jupyter news" question.
        if browser.js("return document.body.innerText.includes('official Jupyter news')"):
            problem = (problem + "; " if problem else "") + ("JupyterLab asks about official Jupyter news (the "
                       "project's settings tools/jupyter/lab-settings.json are not installed: run ./nnlab setup)")
        if a.progress:
            browser.js(SCROLL_TO_TRAINING)
            time.sleep(0.5)
            log(f"training cell: {os.path.relpath(browser.screenshot(a.screenshot + '-training'), ROOT)}")
        # JupyterLab's own console errors (its debugger panel asks every kernel for a debug session, which Rapaio
        # does not offer) are shown, not judged: the notebook's outputs above are what students see.
        errors = browser.console_errors()
        if errors:
            log(f"JupyterLab's console: {len(errors)} error(s), e.g. {errors[0]['message'][-120:]}")
    except KernelSilent as e:
        problem = str(e)
        retry = not last
    except Failure as e:
        problem = str(e)
    except Exception as e:  # noqa: BLE001  (selenium errors and the like: same report)
        problem = f"{type(e).__name__}: {e}"
    finally:
        if browser is not None:
            if problem is not None:
                shot = browser.screenshot(a.screenshot + "-failure")
            browser.quit()
        if lab is not None:
            lab.stop()
        left = tracked.check_none_left()
        if left:
            problem = (problem + "; " if problem else "") + left
    took = time.monotonic() - t0
    if retry and "left behind" not in problem:
        return "retry"
    if problem is not None:
        print(f"\nbrowser test FAILED after {took:.0f} s: {problem}", file=sys.stderr)
        print(f"--- last lines of the JupyterLab log ({os.path.relpath(LAB_LOG, ROOT)}):\n"
              f"{lab.log_tail() if lab else lab_log_tail()}\n---", file=sys.stderr)
        print(f"screenshot: {shot or '(no browser was started)'}", file=sys.stderr)
        return 1
    log(f"ok in {took:.0f} s; screenshot {os.path.relpath(shot, ROOT)}")
    return 0


def code_cells(path):
    with open(path) as f:
        return sum(1 for c in json.load(f)["cells"] if c["cell_type"] == "code")


def first_cell_done(browser, lab):
    lab.track()
    s = browser.js(NOTEBOOK_STATE)
    return s and s["prompts"] and re.match(r"^\[\d+\]", s["prompts"][0].strip())


def click_menu(browser, menu_label, command):
    from selenium.webdriver.common.by import By
    d = browser.driver
    menu = [m for m in d.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item") if m.text.strip() == menu_label]
    if not menu:
        raise Failure(f"JupyterLab shows no {menu_label} menu")
    menu[0].click()
    item = poll(f"the {menu_label} menu to open", 10, lambda: d.find_elements(
        By.CSS_SELECTOR, f'.lm-Menu-item[data-command="{command}"]'))
    item[0].click()


def run_all(browser):
    """Run > Run All Cells, clicked as a student does."""
    click_menu(browser, "Run", "runmenu:run-all")


def check_outputs(cells, a, browser):
    errors, images, tables, problems = [], [], 0, []
    for c in cells:
        for o in c["outputs"]:
            if o["mime"] == "application/vnd.jupyter.stderr":
                errors.append(f"cell {c['index']}: {o['text'].strip()[:300]}")
            for img in o["images"]:
                images.append((c["index"], img))
            if o["mime"] == "text/html" and o["tables"]:
                tables += o["tables"]
    if errors:
        problems.append(f"{len(errors)} error output(s): " + " | ".join(errors[:3]))
    good = [(i, im) for i, im in images if im["complete"] and im["w"] > 0 and im["h"] > 0 and im["nw"] > 0]
    if len(good) < a.min_images:
        problems.append(f"{len(good)} rendered plot image(s) of non-zero size, expected at least {a.min_images} "
                        f"(all images: {images})")
    if tables < a.min_tables:
        problems.append(f"{tables} HTML table(s) in the outputs, expected at least {a.min_tables}")
    if a.progress:
        problems += check_progress(cells)
    log(f"{len(good)} plot image(s) rendered, {tables} HTML table(s), {len(errors)} error output(s)")
    return "; ".join(problems) or None


def check_progress(cells):
    """The training cell shows one progress line that was updated in place, and a closing summary."""
    cell = next((c for c in cells if ".fit(" in c["source"] or "showProgress" in c["source"]), None)
    if cell is None:
        return ["no training cell (with .fit( or showProgress) found for the progress check"]
    text = "\n".join(o["text"] for o in cell["outputs"] if o["mime"] == "application/vnd.jupyter.stdout")
    lines = [line for line in text.splitlines() if line.strip()]
    bars = [line for line in lines if re.search(r"\[[#.]+\]", line)]
    log(f"training cell {cell['index']} shows {len(lines)} line(s): {lines}")
    problems = []
    if len(bars) != 1:
        problems.append(f"the training cell shows {len(bars)} progress lines, expected one updated in place: {lines[:5]}")
    elif "100%" not in bars[0]:
        problems.append(f"the progress line did not reach 100%: {bars[0]}")
    if not any(re.search(r"\bin [0-9.]+ s\b", line) and line not in bars for line in lines):
        problems.append(f"no closing summary line after training: {lines[:5]}")
    return problems


class QuietHandler(SimpleHTTPRequestHandler):
    missing = []

    def log_message(self, fmt, *args):
        if len(args) > 1 and str(args[1]) == "404":
            QuietHandler.missing.append(str(args[0]))


def serve(folder):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


MATH_SPAN = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$\n]+\$", re.S)

PAGE_STATE = r"""
const done = arguments[arguments.length - 1];
const finish = () => {
  const abs = (u) => new URL(u, document.baseURI).href;
  done({
    images: [...document.images].map(i => ({src: i.src.slice(0, 120), ok: i.complete && i.naturalWidth > 0})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    resources: [...document.querySelectorAll('script[src], link[href]')].map(e => abs(e.src || e.href)),
    ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
    math: document.querySelectorAll('mjx-container').length,
    mathErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent).slice(0, 3),
    mathjax: !!(window.MathJax && window.MathJax.version),
    title: document.title,
  });
};
if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
  window.MathJax.startup.promise.then(finish, finish);
} else if (document.getElementById('MathJax-script')) {
  setTimeout(finish, 5000);   // the script did not define MathJax: reported as math not rendered
} else {
  finish();
}
"""


def check_page(browser, base, folder, page, pages_seen):
    """Opens one page of the site; returns a list of problems."""
    d = browser.driver
    url = urljoin(base, page)
    d.get(url)
    poll(f"{page} to load", 30, lambda: browser.js("return document.readyState") == "complete")
    state = d.execute_async_script(PAGE_STATE)
    problems = []
    bad = [i["src"] for i in state["images"] if not i["ok"]]
    if bad:
        problems.append(f"{len(bad)} image(s) did not load: {bad[:3]}")
    for res in state["resources"]:
        if urlparse(res).scheme in ("http", "https") and urlparse(res).netloc != urlparse(base).netloc:
            problems.append(f"loads {res} from the network (the site must work offline)")
    links, external = 0, 0
    for href in state["links"]:
        target = urlparse(urljoin(url, href))
        if target.scheme not in ("http", "https"):
            continue
        if target.netloc != urlparse(base).netloc:
            external += 1
            continue
        links += 1
        path = unquote(target.path).lstrip("/") or "index.html"
        if not os.path.isfile(os.path.join(folder, path)):
            problems.append(f"broken link {href} (no {path} in the site)")
        elif target.fragment and path == page and target.fragment not in state["ids"]:
            problems.append(f"broken link {href} (no element with id '{target.fragment}')")
        elif path.endswith(".html"):
            pages_seen.add(path)
    expected_math = 0
    source = os.path.join(folder, "notebooks", page.replace(".html", ".ipynb"))
    if os.path.isfile(source):
        with open(source) as f:
            cells = json.load(f)["cells"]
        md = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        expected_math = len(MATH_SPAN.findall(re.sub(r"`[^`]*`", "", md)))
    if expected_math and not state["mathjax"]:
        problems.append("MathJax did not load")
    if expected_math and state["math"] < 1:
        problems.append(f"{expected_math} formula(s) in the notebook, none typeset")
    if state["mathErrors"]:
        problems.append(f"MathJax errors: {state['mathErrors']}")
    errors = browser.console_errors()
    if errors:
        problems.append("console errors: " + " | ".join(e["message"][:200] for e in errors[:3]))
    name = "site-" + page.replace(".html", "")
    browser.screenshot(name)
    log(f"{page}: {len(state['images'])} image(s), {links} local link(s) ok, {external} external link(s) not "
        f"followed (offline), {state['math']} formula(s) typeset (the notebook has {expected_math}), "
        f"{len(errors)} console error(s)")
    return problems


def run_site(a):
    folder = os.path.abspath(a.site)
    if not os.path.isfile(os.path.join(folder, "index.html")):
        print(f"browser test FAILED: no {folder}/index.html; build the site first (./nnlab site)", file=sys.stderr)
        return 1
    tracked = Tracked()
    server = serve(folder)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    browser = None
    problems = []
    pages = sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.html")))
    linked = set()
    try:
        browser = Browser(tracked, "site")
        for page in ["index.html"] + [p for p in pages if p != "index.html"]:
            problems += [f"{page}: {p}" for p in check_page(browser, base, folder, page, linked)]
        unlisted = set(pages) - linked - {"index.html"}
        if unlisted:
            problems.append(f"pages not linked from anywhere: {sorted(unlisted)}")
        if QuietHandler.missing:
            problems.append(f"requests the server could not answer (404): {QuietHandler.missing[:5]}")
    except Failure as e:
        problems.append(str(e))
    except Exception as e:  # noqa: BLE001
        problems.append(f"{type(e).__name__}: {e}")
    finally:
        if browser is not None:
            browser.quit()
        server.shutdown()
        left = tracked.check_none_left()
        if left:
            problems.append(left)
    if problems:
        print("\nsite check FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        print(f"screenshots: {SHOTS}/site-*.png", file=sys.stderr)
        return 1
    log(f"site ok: the index and {len(pages) - 1} notebook page(s) checked; screenshots {SHOTS}/site-*.png")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    lab = sub.add_parser("lab", help="run a notebook in JupyterLab in Chromium")
    lab.add_argument("--notebook", default=os.path.join(ROOT, "notebooks", "00-getting-started.ipynb"))
    lab.add_argument("--min-images", type=int, default=3)
    lab.add_argument("--min-tables", type=int, default=2)
    lab.add_argument("--progress", action="store_true", help="check the training cell's progress line")
    lab.add_argument("--kernel", help="open the working copy with this kernel spec instead (for failure tests)")
    lab.add_argument("--expect-kernel", default="Java (nnlab)", help="the kernel name JupyterLab must show")
    lab.add_argument("--port", type=int, help="JupyterLab's port (default: a free one)")
    lab.add_argument("--lab-arg", action="append", default=[], help="one more argument for jupyter lab")
    lab.add_argument("--start-timeout", type=int, default=90, help="seconds JupyterLab may take to answer")
    lab.add_argument("--idle-timeout", type=int, default=180, help="seconds the kernel may take to become idle")
    lab.add_argument("--attempts", type=int, default=2,
                     help="fresh starts when the kernel never answers (Rapaio 3.0.1 hangs in some starts)")
    lab.add_argument("--run-timeout", type=int, default=600, help="seconds all cells may take")
    lab.add_argument("--screenshot", default="lab-00-getting-started")
    site = sub.add_parser("site", help="check the built course site in Chromium")
    site.add_argument("--site", default=os.path.join(BUILD, "site"))
    a = p.parse_args()

    chromium, driver = find_browser()
    if not chromium or not driver:
        print("browser test SKIPPED: no Chromium and chromedriver on this machine (found: chromium "
              f"{chromium or 'missing'}, chromedriver {driver or 'missing'}). On Debian/Ubuntu: "
              "'apt-get install chromium chromium-driver'; or set NNLAB_CHROMIUM and NNLAB_CHROMEDRIVER.")
        return SKIP_EXIT
    if a.cmd == "lab":
        return run_lab(a)
    return run_site(a)


if __name__ == "__main__":
    sys.exit(main())
