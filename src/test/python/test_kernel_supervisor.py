"""Checks tools/kernel_supervisor.py with a stand-in kernel that behaves like a Rapaio 3.0.1 start gone wrong: the
first JVM opens its ports but never answers, or exits before it answers; the supervisor must replace it behind the
same connection file, and the client, which only waits for kernel_info, must not notice. Needs the .venv (pyzmq, jupyter_client)."""
import glob
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

try:
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager
except ImportError:  # run outside the .venv
    KernelManager = None

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SUPERVISOR = os.path.join(ROOT, "tools", "kernel_supervisor.py")

# A kernel that prints its connection file (as Rapaio does), binds its ports, and answers kernel_info unless told
# to play dead on this start.
FAKE_KERNEL = textwrap.dedent('''
    import json, os, sys, time
    import zmq
    from jupyter_client.session import Session
    conn = json.load(open(sys.argv[1]))
    print("Kernel connection file content: " + json.dumps(conn), file=sys.stderr, flush=True)
    marker = sys.argv[2]
    starts = int(open(marker).read()) if os.path.exists(marker) else 0
    open(marker, "w").write(str(starts + 1))
    dead = starts < int(sys.argv[3])
    fragile = sys.argv[4] == "fragile"  # like Rapaio 3.0.1: a request right after binding kills the shell thread
    exits = sys.argv[4] == "exits"      # like Rapaio 3.0.1 when its loop threads end early: exit code 0, no answer
    if any(arg.startswith("-XX:SharedArchiveFile=") for arg in sys.argv[6:]):
        os._exit(134)                   # like JDK 17 on a truncated class-data-sharing archive (SIGBUS)
    time.sleep(float(sys.argv[5]))      # loading the classpath and the init script
    ctx = zmq.Context()
    url = "tcp://%s:%%d" % conn["ip"]
    shell = ctx.socket(zmq.ROUTER); shell.bind(url % conn["shell_port"])
    while dead and sys.argv[4] == "halfbound":  # another program took its other ports: their bind failed
        time.sleep(1)
    iopub = ctx.socket(zmq.PUB); iopub.bind(url % conn["iopub_port"])
    others = [ctx.socket(zmq.ROUTER if port != "hb_port" else zmq.REP) for port in ("control_port", "stdin_port",
                                                                                       "hb_port")]
    for sock, port in zip(others, ("control_port", "stdin_port", "hb_port")):
        sock.bind(url % conn[port])
    print("fake kernel: all ports bound", file=sys.stderr, flush=True)
    session = Session(key=conn["key"].encode(), signature_scheme=conn["signature_scheme"])
    bound = time.time()
    while True:
        if dead and exits:
            time.sleep(0.5)
            sys.exit(0)
        if dead:
            time.sleep(1); continue
        frames = shell.recv_multipart()
        if fragile and time.time() - bound < 0.3:
            print("shell thread died: a request arrived before the handlers", file=sys.stderr, flush=True)
            dead = True
            continue
        idents, msg = session.feed_identities(frames)
        msg = session.deserialize(msg)
        if msg["header"]["msg_type"] == "kernel_info_request":
            session.send(iopub, "status", {"execution_state": "busy"}, parent=msg)
            session.send(shell, "kernel_info_reply", {"status": "ok", "protocol_version": "5.3",
                         "implementation": "fake", "implementation_version": "1",
                         "language_info": {"name": "java"}, "banner": ""}, parent=msg, ident=idents)
            session.send(iopub, "status", {"execution_state": "idle"}, parent=msg)
''')


@unittest.skipIf(KernelManager is None, "needs jupyter_client (run with the .venv's Python)")
class KernelSupervisorTest(unittest.TestCase):
    def start(self, dead_starts, mode="sturdy", boot=0.0, extra=(), waits="2,2,2", wait=True, jvm_args=()):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        fake = os.path.join(tmp.name, "fake_kernel.py")
        with open(fake, "w") as f:
            f.write(FAKE_KERNEL)
        log = os.path.join(tmp.name, "kernel.log")
        spec_dir = os.path.join(tmp.name, "kernels", "fake")
        os.makedirs(spec_dir)
        with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
            json.dump({"argv": [sys.executable, SUPERVISOR, "--connection-file", "{connection_file}", *extra, "--",
                                sys.executable, fake, "{connection_file}", os.path.join(tmp.name, "starts"),
                                str(dead_starts), mode, str(boot), *jvm_args],
                       "display_name": "fake", "language": "java",
                       "env": {"NNLAB_KERNEL_WAITS": waits, "NNLAB_KERNEL_LOG": log,
                               "NNLAB_KERNEL_PORTS_WAIT": "3"}}, f)
        # The connection files go to this test's own folder, where the JVM's private copy is looked for too.
        self.runtime = os.path.join(tmp.name, "runtime")
        os.makedirs(self.runtime)
        km = KernelManager(kernel_name="fake", connection_file=os.path.join(self.runtime, "kernel-test.json"),
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[os.path.dirname(spec_dir)]))
        self.before_start()
        km.start_kernel()
        self.addCleanup(km.shutdown_kernel, now=True)
        kc = km.client()
        kc.start_channels()
        self.addCleanup(kc.stop_channels)
        return km, kc, log, json.loads(self.read(km.connection_file))["key"]

    def before_start(self):
        pass

    def private_files(self):
        return glob.glob(os.path.join(self.runtime, "*-nnlab-jvm*.json"))

    def wait_for(self, condition, seconds, what):
        deadline = time.time() + seconds
        while not condition():
            if time.time() > deadline:
                self.fail(what)
            time.sleep(0.1)

    def read(self, path):
        with open(path) as f:
            return f.read()

    def test_a_kernel_that_never_answers_is_replaced_on_the_same_connection_file(self):
        km, kc, log, key = self.start(dead_starts=1)
        kc.wait_for_ready(timeout=60)  # raises if the kernel never answers
        text = self.read(log)
        self.assertIn("did not answer within 2 s", text)
        self.assertIn("(attempt 2)", text)

    def test_requests_wait_until_the_kernel_has_answered_so_an_early_request_cannot_kill_it(self):
        # The client asks for kernel_info every second from the start; its requests queue while the kernel boots.
        km, kc, log, key = self.start(dead_starts=0, mode="fragile", boot=3)
        kc.wait_for_ready(timeout=60)
        text = self.read(log)
        self.assertNotIn("shell thread died", text)
        self.assertIn("(attempt 1)", text)

    def test_a_kernel_that_exits_before_answering_is_replaced(self):
        km, kc, log, key = self.start(dead_starts=2, mode="exits")
        kc.wait_for_ready(timeout=60)
        text = self.read(log)
        self.assertEqual(2, text.count("exited with code 0 before answering"), text)
        self.assertIn("(attempt 3)", text)

    def test_a_jvm_that_dies_on_its_class_data_sharing_archive_is_started_without_it(self):
        km, kc, log, key = self.start(dead_starts=0, jvm_args=("-XX:SharedArchiveFile=/x/kernel-classes.jsa",
                                                               "-Xshare:auto", "-Xlog:cds=off"))
        kc.wait_for_ready(timeout=60)
        text = self.read(log)
        self.assertIn("exited with code 134 before answering", text)
        self.assertIn("starting it without the archive", text)
        self.assertIn("(attempt 2)", text)

    def test_each_jvm_gets_new_private_ports_and_their_file_is_removed_once_it_answers(self):
        km, kc, log, key = self.start(dead_starts=1)
        kc.wait_for_ready(timeout=60)
        self.assertEqual([], self.private_files(), "the JVM's connection file (with the key) stays on disk")
        ports = [json.loads(line.split("content: ", 1)[1].replace("<key hidden>", "k"))["shell_port"]
                 for line in self.read(log).splitlines() if "connection file content" in line]
        self.assertEqual(2, len(ports), ports)
        self.assertNotEqual(ports[0], ports[1])

    def test_a_jvm_that_opens_only_some_of_its_ports_is_replaced_soon(self):
        km, kc, log, key = self.start(dead_starts=1, mode="halfbound", waits="2,2")
        kc.wait_for_ready(timeout=30)  # not the 300 s a JVM may take to open its first port
        self.assertIn("(attempt 2)", self.read(log))

    def test_the_private_file_goes_once_the_jvm_listens_so_a_sigkill_leaves_nothing(self):
        # A JVM that listens but does not answer (yet): its file must already be gone, not only once it answers.
        km, kc, log, key = self.start(dead_starts=9, waits="60")
        self.wait_for(lambda: os.path.exists(log) and "all ports bound" in self.read(log), 30, "the fake kernel never bound its ports")
        self.wait_for(lambda: not self.private_files(), 10,
                      f"the JVM listens but its connection file is still there: {self.private_files()}")
        km.shutdown_kernel(now=True)  # SIGKILL to the supervisor's process group: no cleanup code runs
        self.assertFalse(km.is_alive())
        self.assertEqual([], self.private_files())

    def test_a_file_left_by_a_killed_supervisor_is_removed_by_the_next_start(self):
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
        names = {"left": f"kernel-old-nnlab-jvm-{dead}.json", "alive": f"kernel-other-nnlab-jvm-{os.getpid()}.json",
                 "older name": "kernel-older-nnlab-jvm.json",  # its kernel-older.json is gone: Jupyter is done
                 "older name, in use": "kernel-inuse-nnlab-jvm.json", "in use": "kernel-inuse.json"}
        paths = {}

        def leave_files():
            for what, name in names.items():
                paths[what] = os.path.join(self.runtime, name)
                open(paths[what], "w").close()

        self.before_start = leave_files
        km, kc, log, key = self.start(dead_starts=0)
        kc.wait_for_ready(timeout=60)
        self.assertFalse(os.path.exists(paths["left"]), "a dead supervisor's file (with a key) was left in place")
        self.assertTrue(os.path.exists(paths["alive"]), "the file of a supervisor that still runs was removed")
        self.assertFalse(os.path.exists(paths["older name"]), "a file of the older name was left in place")
        self.assertTrue(os.path.exists(paths["older name, in use"]), "a file whose kernel still runs was removed")

    def test_the_hmac_key_never_reaches_the_log(self):
        km, kc, log, key = self.start(dead_starts=0)
        kc.wait_for_ready(timeout=60)
        text = self.read(log)
        self.assertIn('"key": "<key hidden>"', text)
        self.assertNotIn(key, text)

    def test_a_history_request_gets_an_answer_for_a_kernel_that_never_gives_one(self):
        km, kc, log, key = self.start(dead_starts=0, extra=["--answer-history"])
        kc.wait_for_ready(timeout=60)
        msg_id = kc.history(hist_access_type="tail", n=10)
        reply = kc.get_shell_msg(timeout=10)
        while reply["msg_type"] == "kernel_info_reply":  # wait_for_ready may leave one behind
            reply = kc.get_shell_msg(timeout=10)
        self.assertEqual(("history_reply", msg_id, []),
                         (reply["msg_type"], reply["parent_header"]["msg_id"], reply["content"]["history"]))

    def test_it_gives_up_after_its_attempts_and_says_so(self):
        km, kc, log, key = self.start(dead_starts=9)
        with self.assertRaises(RuntimeError):
            kc.wait_for_ready(timeout=30)
        self.assertIn("never answered (3 attempts)", self.read(log))


if __name__ == "__main__":
    unittest.main()
