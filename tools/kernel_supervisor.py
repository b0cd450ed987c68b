"""Starts a Java kernel's JVM and lets the notebook talk to it only once it answers: the kernel spec's command.

    python kernel_supervisor.py --connection-file {connection_file} -- java ... -jar kernel.jar {connection_file}

Jupyter starts this script instead of the JVM. The script takes the ports of the connection file Jupyter wrote and
starts the JVM on a private connection file (same key, other ports, the last argument of the command replaced). It
waits until the JVM listens on its ports, gives it a moment, and asks it for kernel_info itself. Until the
kernel has answered, the client's requests wait in this script's queues; then they are forwarded, and from then on
every message on every channel is passed through unchanged (the HMAC signatures stay valid: the key is the same).
A JVM that does not answer in time, or exits before it answers, is replaced by a new one on new private ports,
which the client never sees. The script exits with the JVM's exit code; SIGTERM stops the JVM. The private
connection file (it holds the key) is removed as soon as the JVM listens on its ports, that is once it has read it;
one left by a supervisor that was killed while its JVM was still starting is removed by the next start.

Why: the Rapaio kernel 3.0.1 opens its ports before it registers its message handlers, so requests that were queued
while it started (Jupyter clients send kernel_info every second and ZeroMQ delivers them the moment the port opens)
reach a shell thread that dies of a NullPointerException or drops them; and its loop threads can exit before their
`running` flag is set. Either way the JVM looks alive but never answers. Holding requests back until the kernel
has answered one is the cure for the first, a new JVM for the second; any engine gets both.

The JVM's output goes to this script's stderr (or to the file named by $NNLAB_KERNEL_LOG), with the HMAC key replaced
by "<key hidden>": kernels log their connection file, and the key must not reach a terminal. Needs Python 3 and
pyzmq (which Jupyter itself needs).
"""
import argparse
import glob
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import zmq

# Seconds a JVM may take to answer kernel_info once it listens on its shell port, per attempt (a healthy kernel
# answers in milliseconds then), and seconds it may take to open that port (a loaded machine can take a minute to
# load the classpath and the init script).
DEFAULT_WAITS = "5,10,20,40"
BIND_LIMIT = 300
PORTS_LIMIT = 30  # once one port is open the others follow within seconds; one that never opens was taken meanwhile
GRACE = 1.0  # after the ports open: Rapaio registers its handlers just after binding (slowly on a loaded machine)
CHANNELS = ("shell", "control", "stdin", "hb", "iopub")


# The JVM options of a class-data-sharing archive (tools/install_kernel.py adds them): dropped after a failed start.
CDS_OPTIONS = ("-XX:SharedArchiveFile=", "-XX:+AutoCreateSharedArchive", "-Xshare:", "-Xlog:cds")

def log(out, text):
    out.write(f"[nnlab kernel supervisor] {text}\n")
    out.flush()


def copy_output(stream, out, key):
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        if key:
            line = line.replace(key, "<key hidden>")
        out.write(line)
        out.flush()


def url(conn, port):
    if conn.get("transport", "tcp") == "tcp":
        return f"tcp://{conn.get('ip', '127.0.0.1')}:{port}"
    return f"ipc://{conn['ip']}-{port}"


def private_connection(conn, path):
    """A copy of the connection with free ports for the JVM, written next to Jupyter's (owner-only)."""
    private = dict(conn)
    if conn.get("transport", "tcp") == "tcp":
        holders = []
        for name in CHANNELS:
            s = socket.socket()
            s.bind((conn.get("ip", "127.0.0.1"), 0))
            holders.append(s)
            private[name + "_port"] = s.getsockname()[1]
        for s in holders:
            s.close()
    else:
        for name in CHANNELS:
            private[name + "_port"] = conn[name + "_port"] + 1000
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(private, f)
    return private


def message(conn, session, msg_type, parent=None, content=None):
    """The frames of a signed Jupyter message (from <IDS|MSG> on)."""
    scheme = conn.get("signature_scheme", "hmac-sha256")
    digest = getattr(hashlib, scheme.split("-", 1)[1]) if "-" in scheme else hashlib.sha256
    header = {"msg_id": uuid.uuid4().hex, "session": session, "username": "nnlab-supervisor",
              "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
              "msg_type": msg_type, "version": "5.3"}
    parts = [json.dumps(p).encode() for p in (header, parent or {}, {}, content or {})]
    key = conn.get("key", "").encode()
    sig = hmac.new(key, b"".join(parts), digest).hexdigest().encode() if key else b""
    return [b"<IDS|MSG>", sig] + parts


def kernel_info_request(conn, session):
    return message(conn, session, "kernel_info_request")


def listens(conn, child, limit, ports_limit=PORTS_LIMIT):
    """Waits until the JVM listens on all its ports (kernels load their classpath and init script first, and
    Rapaio binds its five channels one after the other, then registers its handlers). Once one port is open, the
    others must follow within `ports_limit` seconds: a port another program took after it was chosen never opens
    (the JVM's bind failed), and a new JVM on new ports is quicker than waiting out `limit`."""
    if conn.get("transport", "tcp") != "tcp":
        time.sleep(2)
        return True
    deadline = time.time() + limit
    waiting = [conn[name + "_port"] for name in CHANNELS]
    while time.time() < deadline and child.poll() is None:
        try:
            socket.create_connection((conn.get("ip", "127.0.0.1"), waiting[0]), timeout=1).close()
            waiting.pop(0)
            if not waiting:
                return True
            deadline = min(deadline, time.time() + ports_limit)
        except OSError:
            time.sleep(0.1)
    return False


def private_path_for(connection_file):
    """The JVM's connection file: next to Jupyter's, named with this script's process id, so that a file left
    behind by a supervisor that was killed (SIGKILL runs no cleanup) can be recognised and removed."""
    return f"{os.path.splitext(connection_file)[0]}-nnlab-jvm-{os.getpid()}.json"


def remove_leftovers(connection_file):
    """Removes the JVM connection files (they hold a key) that killed supervisors left in this folder: those whose
    supervisor process is gone. A supervisor removes its own file as soon as its JVM listens, so only one killed
    while its JVM was still starting leaves one. Files of the older name without a process id (NAME-nnlab-jvm.json,
    removed only when the supervisor ended normally) go once Jupyter's own NAME.json is gone."""
    folder = os.path.dirname(os.path.abspath(connection_file))
    for path in glob.glob(os.path.join(folder, "*-nnlab-jvm.json")):
        if not os.path.exists(path[:-len("-nnlab-jvm.json")] + ".json"):
            remove(path)
    for path in glob.glob(os.path.join(folder, "*-nnlab-jvm-*.json")):
        pid = path[:-len(".json")].rsplit("-", 1)[1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            remove(path)
        except OSError:
            pass  # alive (or another user's): not ours to judge


def answers(ctx, conn, child, wait):
    """True when the kernel replies to a kernel_info_request within `wait` seconds (False if it died or was silent).
    The probe socket is new for each JVM, so no request queued for an earlier one reaches it early."""
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(url(conn, conn["shell_port"]))
    session = uuid.uuid4().hex
    deadline = time.time() + wait
    try:
        while time.time() < deadline and child.poll() is None:
            sock.send_multipart(kernel_info_request(conn, session))
            until = min(deadline, time.time() + 1.0)
            while time.time() < until:
                if sock.poll(100):
                    reply = sock.recv_multipart()
                    if b"<IDS|MSG>" in reply:
                        i = reply.index(b"<IDS|MSG>")
                        if json.loads(reply[i + 2]).get("msg_type") == "kernel_info_reply":
                            return True
                if child.poll() is not None:
                    return False
        return False
    finally:
        sock.close()


def stop(child):
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def die_with_parent():
    """Linux: the JVM gets SIGKILL if this script is killed (Jupyter also signals the whole process group)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Relay:
    """The client-facing sockets on Jupyter's ports and their twins connected to the JVM's private ports."""

    def __init__(self, ctx, public, answer_history=False):
        self.ctx = ctx
        self.public = public
        self.answer_history = answer_history
        self.session = uuid.uuid4().hex
        self.fronts = {}
        for name in ("shell", "control", "stdin", "hb"):
            front = ctx.socket(zmq.ROUTER)
            front.setsockopt(zmq.LINGER, 0)
            front.bind(url(public, public[name + "_port"]))
            self.fronts[name] = front
        self.shell_front = self.fronts["shell"]
        self.iopub_front = ctx.socket(zmq.XPUB)
        self.iopub_front.setsockopt(zmq.LINGER, 0)
        self.iopub_front.bind(url(public, public["iopub_port"]))
        self.backs = {}
        self.iopub_back = None
        self.opened = False

    def connect(self, private):
        """Connects the twins to a JVM's private ports (new sockets for each JVM: nothing meant for an earlier JVM
        reaches the next one)."""
        for back in list(self.backs.values()) + [self.iopub_back]:
            if back is not None:
                back.close()
        identity = uuid.uuid4().hex.encode()  # shell and stdin share it: the kernel routes input_request by it
        self.backs = {}
        for name in self.fronts:
            back = self.ctx.socket(zmq.DEALER)
            back.setsockopt(zmq.LINGER, 0)
            if name in ("shell", "stdin"):
                back.setsockopt(zmq.IDENTITY, identity)
            back.connect(url(private, private[name + "_port"]))
            self.backs[name] = back
        self.iopub_back = self.ctx.socket(zmq.SUB)
        self.iopub_back.setsockopt(zmq.LINGER, 0)
        self.iopub_back.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub_back.connect(url(private, private["iopub_port"]))

    def open(self):
        """From now on the client's requests reach the kernel (the ones that waited in the queues go first)."""
        self.route = {self.iopub_back: self.iopub_front, self.iopub_front: None}
        for name, front in self.fronts.items():
            self.route[self.backs[name]] = front
            self.route[front] = self.backs[name]
        # iopub_front -> None: subscriptions, nothing to forward (the SUB side takes everything)
        self.poller = zmq.Poller()
        for sock in self.route:
            self.poller.register(sock, zmq.POLLIN)
        self.opened = True

    def pump(self, timeout_ms):
        for sock, _ in self.poller.poll(timeout_ms):
            while True:
                try:
                    frames = sock.recv_multipart(zmq.NOBLOCK, copy=False)
                except zmq.Again:
                    break
                if sock is self.shell_front and self.answer_history and self.history(frames):
                    continue
                target = self.route.get(sock)
                if target is not None:
                    target.send_multipart(frames, copy=False)

    def drain(self, quiet_ms=100, limit=1.0):
        """Forwards what is still queued, until nothing arrives for `quiet_ms` (at most `limit` seconds)."""
        deadline = time.time() + limit
        while time.time() < deadline and self.poller.poll(quiet_ms):
            self.pump(0)

    def history(self, frames):
        """Answers a history_request for a kernel that never does (Rapaio 3.0.1), with an empty history: JupyterLab
        waits for that answer before it shows the kernel as idle."""
        raw = [f.bytes for f in frames]
        if b"<IDS|MSG>" not in raw:
            return False
        i = raw.index(b"<IDS|MSG>")
        parent = json.loads(raw[i + 2])
        if parent.get("msg_type") != "history_request":
            return False
        pub = lambda state: self.iopub_front.send_multipart(  # noqa: E731
            [b"kernel.status"] + message(self.public, self.session, "status", parent, {"execution_state": state}))
        pub("busy")
        self.shell_front.send_multipart(raw[:i] + message(self.public, self.session, "history_reply", parent,
                                                          {"status": "ok", "history": []}))
        pub("idle")
        return True

    def close(self):
        for sock in list(self.fronts.values()) + list(self.backs.values()) + [self.iopub_front, self.iopub_back]:
            if sock is not None:
                sock.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--connection-file", required=True)
    p.add_argument("--answer-history", action="store_true",
                   help="answer history_request with an empty history (for a kernel that never answers it)")
    p.add_argument("command", nargs=argparse.REMAINDER, help="-- the kernel's own command")
    a = p.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    with open(a.connection_file) as f:
        public = json.load(f)
    key = public.get("key", "")
    log_path = os.environ.get("NNLAB_KERNEL_LOG")
    out = open(log_path, "a", encoding="utf-8") if log_path else sys.stderr
    waits = [float(w) for w in os.environ.get("NNLAB_KERNEL_WAITS", DEFAULT_WAITS).split(",")]

    remove_leftovers(a.connection_file)
    private_path = private_path_for(a.connection_file)
    env = dict(os.environ)
    if os.path.isabs(command[0]):
        # Launchers that start a second JVM (JJava's) look for `java` on the PATH: make it the chosen one. The real
        # path: /usr/bin/java is a link into the JDK, and /usr is no JAVA_HOME.
        java = os.path.realpath(command[0])
        env["PATH"] = os.path.dirname(java) + os.pathsep + env.get("PATH", "")
        env["JAVA_HOME"] = os.path.dirname(os.path.dirname(java))

    ctx = zmq.Context()
    relay = Relay(ctx, public, a.answer_history)
    child = None

    def on_term(signum, _frame):
        if child is not None:
            stop(child)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, lambda signum, _f: child and child.poll() is None and child.send_signal(signum))
    try:
        code = 1
        for attempt, wait in enumerate(waits, 1):
            # Fresh private ports for every JVM: a port another program took since the last choice, or one the last
            # JVM still holds, cannot stop the next start.
            private = private_connection(public, private_path)
            jvm_command = [private_path if arg == a.connection_file else arg for arg in command]
            relay.connect(private)
            try:
                child = subprocess.Popen(jvm_command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT,
                                         preexec_fn=die_with_parent if sys.platform.startswith("linux") else None)
            except OSError as e:
                log(out, f"cannot start {command[0]}: {e}")
                return 127
            reader = threading.Thread(target=copy_output, args=(child.stdout, out, key), daemon=True)
            reader.start()
            started = time.time()
            ok = listens(private, child, BIND_LIMIT, float(os.environ.get("NNLAB_KERNEL_PORTS_WAIT", PORTS_LIMIT)))
            if ok:
                # It listens, so it has read its connection file: the key need not stay on disk, and a SIGKILL from
                # now on (Jupyter's shutdown_kernel(now=True)) leaves nothing behind.
                remove(private_path)
                time.sleep(GRACE)
                ok = answers(ctx, private, child, wait)
            if ok:
                log(out, f"the kernel answered {time.time() - started:.1f} s after its start (attempt {attempt})")
                relay.open()
                while child.poll() is None:
                    relay.pump(200)
                relay.drain()  # the replies and outputs the JVM sent just before it exited (shutdown_reply)
                reader.join(5)
                return child.returncode
            if child.poll() is not None:
                reader.join(5)
                code = child.returncode or 1
                # Rapaio 3.0.1 sometimes exits (code 0) before it ever answers, when its loop threads end early;
                # a JVM that cannot start at all (a wrong java, a missing jar) fails every attempt the same way.
                log(out, f"the kernel exited with code {child.returncode} before answering ({time.time() - started:.0f} s "
                         f"after its start; attempt {attempt} of {len(waits)}); its output is above")
                if child.returncode != 0 and any(arg.startswith("-XX:SharedArchiveFile=") for arg in command):
                    # A damaged class-data-sharing archive (a truncated file makes JDK 17 die of SIGBUS as it maps
                    # it): every further start goes without it.
                    command = [arg for arg in command if not arg.startswith(CDS_OPTIONS)]
                    log(out, "the JVM failed while using the kernel's class-data-sharing archive; starting it without "
                             "the archive (./nnlab setup makes a new one)")
                    continue
                if child.returncode != 0 and time.time() - started < 2 and attempt >= 2:
                    break  # it fails at once with an error, twice: not a race but a broken command
                continue
            log(out, f"the kernel did not answer within {wait:g} s of opening its ports ({time.time() - started:.0f} s "
                     f"after its start; attempt {attempt} of {len(waits)}); starting a new JVM")
            stop(child)
            reader.join(5)
            code = 1
        log(out, f"the kernel never answered ({attempt} attempt{'s' if attempt > 1 else ''}); giving up")
        return code
    finally:
        if child is not None:
            stop(child)
        relay.close()
        ctx.term()
        remove(private_path)


def remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
