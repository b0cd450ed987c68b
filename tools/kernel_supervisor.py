"""Starts a Java kernel's JVM and makes sure it answers: the kernel spec's command, in front of the JVM.

    python kernel_supervisor.py --connection-file {connection_file} -- java ... -jar kernel.jar {connection_file}

Jupyter starts this script instead of the JVM. It starts the JVM on the connection file Jupyter wrote and sends it a
kernel_info_request on the shell port, again every second, as Jupyter clients do. If no reply comes in time, it
stops that JVM and starts a new one on the same connection file (same ports, same key), so the client, which keeps
asking, simply gets its answer from the second JVM. Once the kernel has answered, the script only waits for the JVM
and exits with its exit code; signals it receives go to the JVM.

Why: the Rapaio kernel 3.0.1 sometimes starts with a shell thread that never reads a request (its loop thread can
exit before its `running` flag is set, and a request that arrives before the message handlers are published kills
the thread with a NullPointerException). Such a JVM looks alive but never answers. Any engine benefits: a JVM that
does not answer in time is replaced.

The JVM's output goes to this script's output (or to the file named by $NNLAB_KERNEL_LOG), with the connection's
HMAC key replaced by "<key hidden>": kernels log the connection file, and the key must not reach a terminal.
Needs only Python 3 and pyzmq (which Jupyter itself needs).
"""
import argparse
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

# Seconds a JVM may take to answer its first kernel_info_request once it listens on its shell port, per attempt (a
# healthy kernel answers in well under a second then), and seconds it may take to open that port (a loaded machine
# can take half a minute to load the classpath and init script).
DEFAULT_WAITS = "5,10,20,40"
BIND_LIMIT = 300


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


def kernel_info_request(conn, session):
    scheme = conn.get("signature_scheme", "hmac-sha256")
    digest = getattr(hashlib, scheme.split("-", 1)[1]) if "-" in scheme else hashlib.sha256
    header = {"msg_id": uuid.uuid4().hex, "session": session, "username": "nnlab-supervisor",
              "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
              "msg_type": "kernel_info_request", "version": "5.3"}
    parts = [json.dumps(p).encode() for p in (header, {}, {}, {})]
    key = conn.get("key", "").encode()
    sig = hmac.new(key, b"".join(parts), digest).hexdigest().encode() if key else b""
    return header["msg_id"], [b"<IDS|MSG>", sig] + parts


def bound(conn, child, limit):
    """Waits until the JVM listens on its shell port (kernels load their classpath and init script first)."""
    if conn.get("transport", "tcp") != "tcp":
        return True
    deadline = time.time() + limit
    while time.time() < deadline and child.poll() is None:
        try:
            socket.create_connection((conn.get("ip", "127.0.0.1"), conn["shell_port"]), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def answers(conn, child, wait):
    """True when the kernel replies to kernel_info_request within `wait` seconds (False if it died or was silent)."""
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    ip = conn.get("ip", "127.0.0.1")
    transport = conn.get("transport", "tcp")
    sock.connect(f"{transport}://{ip}:{conn['shell_port']}" if transport == "tcp"
                 else f"ipc://{ip}-{conn['shell_port']}")
    session = uuid.uuid4().hex
    deadline = time.time() + wait
    try:
        while time.time() < deadline and child.poll() is None:
            msg_id, frames = kernel_info_request(conn, session)
            sock.send_multipart(frames)
            until = min(deadline, time.time() + 1.0)
            while time.time() < until:
                if sock.poll(100):
                    reply = sock.recv_multipart()
                    if b"<IDS|MSG>" in reply:
                        i = reply.index(b"<IDS|MSG>")
                        parent = json.loads(reply[i + 3])
                        if parent.get("msg_id") and json.loads(reply[i + 2]).get("msg_type") == "kernel_info_reply":
                            return True
                if child.poll() is not None:
                    return False
        return False
    finally:
        sock.close()


def die_with_parent():
    """Linux: the JVM gets SIGKILL if this script is killed (Jupyter also signals the whole process group)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop(child):
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--connection-file", required=True)
    p.add_argument("command", nargs=argparse.REMAINDER, help="-- the kernel's own command")
    a = p.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    with open(a.connection_file) as f:
        conn = json.load(f)
    key = conn.get("key", "")
    log_path = os.environ.get("NNLAB_KERNEL_LOG")
    out = open(log_path, "a", encoding="utf-8") if log_path else sys.stderr
    waits = [float(w) for w in os.environ.get("NNLAB_KERNEL_WAITS", DEFAULT_WAITS).split(",")]

    env = dict(os.environ)
    java = command[0]
    if os.path.isabs(java):
        # Launchers that start a second JVM (JJava's) look for `java` on the PATH: make it the chosen one.
        env["PATH"] = os.path.dirname(java) + os.pathsep + env.get("PATH", "")
        env["JAVA_HOME"] = os.path.dirname(os.path.dirname(java))

    child = None

    def forward(signum, _frame):
        if child is not None and child.poll() is None:
            child.send_signal(signum)
        if signum == signal.SIGTERM:
            if child is not None:
                stop(child)
            sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)

    for attempt, wait in enumerate(waits, 1):
        try:
            child = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     preexec_fn=die_with_parent if sys.platform.startswith("linux") else None)
        except OSError as e:
            log(out, f"cannot start {command[0]}: {e}")
            return 127
        reader = threading.Thread(target=copy_output, args=(child.stdout, out, key), daemon=True)
        reader.start()
        started = time.time()
        if bound(conn, child, BIND_LIMIT) and answers(conn, child, wait):
            if attempt > 1:
                log(out, f"the kernel answered on attempt {attempt}")
            code = child.wait()
            reader.join(5)
            return code
        if child.poll() is not None:
            reader.join(5)
            log(out, f"the kernel exited with code {child.returncode} before answering; its output is above")
            return child.returncode or 1
        log(out, f"the kernel did not answer within {wait:g} s of opening its ports ({time.time() - started:.0f} s "
                 f"after its start; attempt {attempt} of {len(waits)}); "
                 f"starting a new JVM on the same connection file")
        stop(child)
        reader.join(5)
    log(out, f"the kernel never answered ({len(waits)} attempts); giving up")
    return 1


if __name__ == "__main__":
    sys.exit(main())
