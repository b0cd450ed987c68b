"""Installs the Jupyter kernel spec `java` (Java with nnlab preloaded) into a Python environment's data folder.

    python tools/install_kernel.py --prefix .venv --nnlab-jar target/nnlab-all.jar --init-script tools/init.jsh \
        --engine rapaio --kernel-jar rapaio-jupyter-kernel-3.0.1.jar
    python tools/install_kernel.py ... --kernel-dir ijava-1.3.0.zip          (or its unpacked folder; engine guessed)
    python tools/install_kernel.py ... --kernel-dir jjava-1.0-a7-kernelspec.zip --java /opt/jdk-21/bin/java

Accepted releases: IJava 1.3.0 (`install.py` and `java/{kernel.json, ijava-1.3.0.jar}`, kernel.json naming the jar as
`@KERNEL_INSTALL_DIRECTORY@/ijava-1.3.0.jar`) and JJava's kernelspec zip (`kernel.json`, `jjava.jar`,
`jjava-launcher.jar`, paths written `{resource_dir}/...`), each zipped or unpacked. The kernel's files are copied into
the kernel spec folder, which is written under a temporary name and renamed into place: a failed install leaves the
previous kernel as it was.

Every engine gets the same things: nnlab's jar on the kernel's classpath, nnlab's imports preloaded, a headless JVM
with the Vector API module and a heap sized as a share of the machine's memory, the Java the user chose (--java, else
$JAVA_HOME/bin/java, else `java` on the PATH), and tools/kernel_supervisor.py in front of the JVM (it restarts a JVM
that does not answer its first request). The spec's metadata records the engine and its version. Nothing is written
to the user's home folder.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
# A share of the RAM rather than a fixed -Xmx: a 2 GB Binder pod and a 32 GB laptop both get a heap that fits.
JVM_OPTIONS = ["--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-XX:MaxRAMPercentage=60",
               "-XX:+UseParallelGC", "--add-opens", "java.base/java.lang=ALL-UNNAMED"]
IJAVA_TOKEN = "@KERNEL_INSTALL_DIRECTORY@"
IJAVA_URL = "https://github.com/SpencerPark/IJava/releases/download/v1.3.0/ijava-1.3.0.zip"
JJAVA_URL = "https://github.com/dflib/jjava/releases"
RELEASES = (f"an IJava 1.3.0 release ({IJAVA_URL}: install.py and java/ with kernel.json and ijava-1.3.0.jar) or a "
            f"JJava kernelspec zip ({JJAVA_URL}: kernel.json, jjava.jar, jjava-launcher.jar), zipped or unpacked")


class InstallError(Exception):
    pass


class NoKernelJson(InstallError):
    pass


def java_version(java):
    """The major version of a java executable, or an InstallError saying what is wrong and what to do."""
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise InstallError(f"cannot run the java executable {java!r} ({e}). Install a JDK 17 or newer and pass it "
                           f"with --java /path/to/bin/java, or set JAVA_HOME.")
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        raise InstallError(f"{java} -version printed no version ({(out.stderr + out.stdout).strip()[:200]!r}); "
                           f"pass a JDK 17+ with --java or JAVA_HOME.")
    major = int(m.group(1))
    if major == 1 and m.group(2):
        major = int(m.group(2))  # "1.8.0_292"
    if major < 17:
        raise InstallError(f"{java} is Java {major}, but nnlab needs a JDK 17 or newer. Install one (e.g. "
                           f"https://adoptium.net) and set JAVA_HOME to it, or pass --java /path/to/jdk-17/bin/java.")
    return major


def choose_java(explicit):
    if explicit:
        java = explicit
    elif os.environ.get("JAVA_HOME"):
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    else:
        java = shutil.which("java") or "java"
    found = shutil.which(java)
    if not found:
        raise InstallError(f"no java executable at {java!r}. Install a JDK 17 or newer and set JAVA_HOME, or pass "
                           f"--java /path/to/bin/java.")
    java = os.path.realpath(found)
    java_version(java)
    if not any(os.path.exists(os.path.join(os.path.dirname(java), t)) for t in ("jshell", "jshell.exe")):
        raise InstallError(f"{java} belongs to a Java runtime without jshell (a JRE); the kernels need a full JDK 17+. "
                           f"Install one and pass it with --java or JAVA_HOME.")
    return java


def unpack(path, into):
    """The release folder: `path` itself, or `path` (a zip) unpacked into `into`."""
    if os.path.isdir(path):
        return path
    if not os.path.isfile(path):
        raise InstallError(f"--kernel-dir {path!r} does not exist. Give {RELEASES}.")
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            if bad:
                raise zipfile.BadZipFile(f"entry {bad} is damaged")
            z.extractall(into)
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise InstallError(f"{path} is not a complete zip file ({e}); the download was probably cut short. "
                           f"Download it again and rerun.")
    return into


def find_release(folder):
    """(engine, folder holding kernel.json, spec) of an IJava or JJava release, unpacked."""
    specs = sorted(glob.glob(os.path.join(folder, "**", "kernel.json"), recursive=True), key=len)
    jars = [os.path.basename(j) for j in glob.glob(os.path.join(folder, "**", "*.jar"), recursive=True)]
    old = [j for j in jars if re.fullmatch(r"ijava-1\.[0-2]\.\d+\.jar", j)]
    if old:
        raise InstallError(f"{folder} holds {old[0]}: that is an older IJava, and nnlab needs IJava 1.3.0 "
                           f"(Java 17+ support). Download {IJAVA_URL} and pass that.")
    if not specs:
        if any(j.startswith(("ijava", "jjava")) for j in jars):
            raise NoKernelJson(f"{folder} has kernel jars but no kernel.json: unpack the complete release again "
                               f"(expected {RELEASES}).")
        raise InstallError(f"{folder} is not a Java kernel release. Expected {RELEASES}.")
    spec_path = specs[0]
    try:
        with open(spec_path) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        raise InstallError(f"{spec_path} is not a readable kernel.json ({e}); unpack the release again.")
    argv = spec.get("argv") or []
    text = " ".join(argv)
    if "ijava" in text.lower():
        engine = "ijava"
    elif "jjava" in text.lower():
        engine = "jjava"
    else:
        raise InstallError(f"{spec_path} starts {argv!r}, which is neither IJava nor JJava. Expected {RELEASES}.")
    return engine, os.path.dirname(spec_path), spec


def jar_version(jar, engine):
    """The kernel's version as its jar states it ('' when it does not)."""
    m = re.search(r"-(\d[\w.\-]*)\.jar$", os.path.basename(jar))
    try:
        with zipfile.ZipFile(jar) as z:
            for name in z.namelist():
                if name.endswith("pom.properties") and ("jjava-distro" in name or engine == "rapaio"):
                    props = z.read(name).decode("utf-8", "replace")
                    v = re.search(r"^version=(.+)$", props, re.M)
                    if v:
                        return v.group(1).strip()
    except (zipfile.BadZipFile, OSError):
        pass
    return m.group(1) if m else ""


def release_command(engine, release_dir, spec, target, java):
    """The release's own kernel command, with its files copied into `target` and paths made {resource_dir}/..."""
    argv = []
    for arg in spec["argv"]:
        arg = arg.replace(IJAVA_TOKEN, "{resource_dir}")
        if "{resource_dir}" in arg and arg.endswith(".jar"):
            name = arg.split("{resource_dir}", 1)[1].lstrip("/\\")
            source = os.path.join(release_dir, name)
            if not os.path.isfile(source):
                raise InstallError(f"the release's kernel.json starts {name}, which is missing from {release_dir}. "
                                   f"Unpack the complete release again (expected {RELEASES}).")
            try:
                with zipfile.ZipFile(source) as z:
                    z.testzip()
            except (zipfile.BadZipFile, EOFError, OSError) as e:
                raise InstallError(f"{source} is not a valid jar ({e}); download the release again.")
            shutil.copy2(source, os.path.join(target, name))
        argv.append(arg)
    if not argv or os.path.basename(argv[0]) not in ("java", "java.exe"):
        raise InstallError(f"the release's kernel.json starts {argv[:1]!r} instead of java. Expected {RELEASES}.")
    argv[0] = java
    return argv


def fallback_command(engine, release_dir, target, java):
    """No kernel.json: the command each release's own kernel.json would hold."""
    jars = {os.path.basename(j): j for j in glob.glob(os.path.join(release_dir, "**", "*.jar"), recursive=True)}
    if engine == "jjava" and "jjava.jar" in jars and "jjava-launcher.jar" in jars:
        for name in ("jjava.jar", "jjava-launcher.jar"):
            shutil.copy2(jars[name], os.path.join(target, name))
        return [java, "-jar", "{resource_dir}/jjava-launcher.jar", "{resource_dir}/jjava.jar", "{connection_file}"]
    if engine == "ijava" and "ijava-1.3.0.jar" in jars:
        shutil.copy2(jars["ijava-1.3.0.jar"], os.path.join(target, "ijava-1.3.0.jar"))
        return [java, "-jar", "{resource_dir}/ijava-1.3.0.jar", "{connection_file}"]
    raise InstallError(f"{release_dir} has no kernel.json and not the jars it would start. Expected {RELEASES}.")


def rapaio_text_results(jar, folder):
    """Rapaio 3.0.1 sends a cell's result (a Matrix, a String) as text/html, its options.json default: whitespace
    collapses and a '<' is read as markup. Its options are read from the class path, so a copy with text/plain as the
    default, put before the jar (in a small jar of its own, `folder`), makes results text as in IJava and JJava
    (pictures and HTML tables are unaffected).
    Returns the jar's main class (the command runs it with -cp instead of -jar)."""
    try:
        with zipfile.ZipFile(jar) as z:
            options = json.loads(z.read("options.json"))
            manifest = z.read("META-INF/MANIFEST.MF").decode("utf-8", "replace")
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as e:
        raise InstallError(f"{jar} is not the Rapaio kernel jar nnlab expects ({e}); rerun ./nnlab setup")
    main_class = re.search(r"^Main-Class:\s*(\S+)", manifest, re.M)
    if not main_class:
        raise InstallError(f"{jar} names no Main-Class; rerun ./nnlab setup")
    for item in options:
        if item.get("key") == "display.defaultMime":
            item["value"] = "text/plain"
    # A jar, not a folder: class-data sharing (see create_cds_archive) refuses a non-empty folder on the class path.
    with zipfile.ZipFile(folder, "w") as z:
        z.writestr("options.json", json.dumps(options, indent=2))
    return main_class.group(1)


def build_spec(a, java, target, work, final):
    nnlab_jar = os.path.abspath(a.nnlab_jar)
    init_script = os.path.abspath(a.init_script)
    for path, what in [(nnlab_jar, "nnlab jar"), (init_script, "init script")]:
        if not os.path.isfile(path):
            raise InstallError(f"the {what} {path} does not exist; build it first with ./nnlab setup")
    with open(init_script) as f:
        init_code = f.read()
    source = ""
    if a.engine == "rapaio" and not a.kernel_dir:
        if not a.kernel_jar or not os.path.isfile(a.kernel_jar):
            raise InstallError(f"kernel jar {a.kernel_jar!r} is missing; ./nnlab setup downloads it through Maven")
        jar = os.path.basename(a.kernel_jar)
        shutil.copy2(a.kernel_jar, os.path.join(target, jar))
        engine, version = "rapaio", jar_version(a.kernel_jar, "rapaio")
        main_class = rapaio_text_results(a.kernel_jar, os.path.join(target, "rapaio-options.jar"))
        argv = [java] + JVM_OPTIONS + ["-cp", "{resource_dir}/rapaio-options.jar" + os.pathsep + "{resource_dir}/" + jar,
                                       main_class, "{connection_file}"]
        shutil.copy2(init_script, os.path.join(target, "init.jsh"))  # the spec's own copy, as IJava/JJava's inline one
        env = {"RJK_CLASSPATH": nnlab_jar, "RJK_INIT_SCRIPT": os.path.join(final, "init.jsh"), "RJK_COMPILER_OPTIONS": "",
               "RJK_TIMEOUT_MILLIS": "-1"}
    else:
        if not a.kernel_dir:
            raise InstallError(f"--engine {a.engine} needs --kernel-dir: {RELEASES}.")
        source = os.path.abspath(a.kernel_dir)
        folder = unpack(source, os.path.join(work, "release"))
        try:
            engine, release_dir, spec = find_release(folder)
        except NoKernelJson:
            jars = [os.path.basename(j) for j in glob.glob(os.path.join(folder, "**", "*.jar"), recursive=True)]
            engine = a.engine or next((e for e in ("jjava", "ijava") if any(j.startswith(e) for j in jars)), None)
            if not engine or not any(j.startswith(engine) for j in jars):
                raise
            release_dir, spec = folder, None  # no kernel.json: the command its kernel.json would hold
        if a.engine and a.engine != engine:
            raise InstallError(f"{source} is a {engine} release, not {a.engine}: use --engine {engine}.")
        if spec is None:
            argv = fallback_command(engine, release_dir, target, java)
        else:
            argv = release_command(engine, release_dir, spec, target, java)
        version = jar_version(os.path.join(target, "jjava.jar" if engine == "jjava" else "ijava-1.3.0.jar"), engine)
        if engine == "ijava" and version != "1.3.0":
            raise InstallError(f"{source} is IJava {version or '(unknown version)'}; nnlab needs 1.3.0: {IJAVA_URL}")
        prefix = engine.upper()
        env = {f"{prefix}_CLASSPATH": nnlab_jar, f"{prefix}_STARTUP_SCRIPT": init_code}
        if engine == "jjava":
            env["JJAVA_JVM_OPTS"] = " ".join(JVM_OPTIONS)  # JJava's launcher passes these to the kernel's JVM
        else:
            argv = argv[:1] + JVM_OPTIONS + argv[1:]          # IJava takes its JVM options on the command line
    shutil.copy2(os.path.join(HERE, "kernel_supervisor.py"), os.path.join(target, "kernel_supervisor.py"))
    supervised = [a.python, "{resource_dir}/kernel_supervisor.py", "--connection-file", "{connection_file}"]
    supervised += ["--answer-history"] if engine == "rapaio" else []  # Rapaio 3.0.1 never answers it
    supervised += ["--"]
    names = {"rapaio": "Rapaio Jupyter kernel", "ijava": "IJava", "jjava": "JJava"}
    return {"argv": supervised + argv, "display_name": "Java (nnlab)", "language": "java",
            "interrupt_mode": "message", "env": env,
            "metadata": {"nnlab": {"engine": engine, "name": names[engine], "version": version, "java": java,
                                   "source": source}}}


# Jupyter Server's defaults, plus history_request/reply: Rapaio answers JupyterLab's history request with a busy
# status and never an idle one, so the server (which tracks that message type) reports the kernel busy and JupyterLab
# shows "Unknown" until the first cell runs. Not tracking it, the kernel is "Idle" as soon as it is up.
UNTRACKED = ["comm_info_request", "comm_info_reply", "kernel_info_request", "kernel_info_reply", "shutdown_request",
             "shutdown_reply", "interrupt_request", "interrupt_reply", "debug_request", "debug_reply", "stream",
             "display_data", "update_display_data", "execute_input", "execute_result", "error", "status",
             "clear_output", "debug_event", "input_request", "input_reply", "history_request", "history_reply"]


def write_server_config(prefix):
    """The environment's own Jupyter Server settings (PREFIX/etc/jupyter, read by ./nnlab lab and on Binder): the
    `java` kernel preselected for new notebooks, and kernel status tracking that does not wait for history replies."""
    folder = os.path.join(prefix, "etc", "jupyter", "jupyter_server_config.d")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "nnlab.json"), "w") as f:
        json.dump({"MappingKernelManager": {"default_kernel_name": "java", "untracked_message_types": UNTRACKED}},
                  f, indent=2)


CDS_ARCHIVE = "kernel-classes.jsa"
FIRST_CELL = "Matrix.of(new double[] {1, 2}, new double[] {3, 4})"


def cds_options(archive, major):
    """The JVM options that start the kernel from a class-data-sharing archive. -Xshare:auto: a missing, corrupt or
    stale archive (another JDK, another kernel jar) only turns sharing off, and -Xlog:cds=off keeps the JVM from
    printing about it; from JDK 19 on, the JVM also rebuilds a stale archive when it exits."""
    options = [f"-XX:SharedArchiveFile={archive}", "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
    if major >= 19:
        options.insert(1, "-XX:+AutoCreateSharedArchive")
    return options


def with_jvm_options(argv, options):
    """argv with options right after the java executable (after the supervisor's `--`)."""
    j = argv.index("--") + 2 if "--" in argv else 1
    return argv[:j] + options + argv[j:]


def create_cds_archive(final, spec, timeout=120):
    """Starts the installed kernel once with -XX:ArchiveClassesAtExit, runs a first cell (so the archive holds the
    classes a notebook's first cell loads: ZeroMQ, the kernel, JShell and javac), shuts it down cleanly (the JVM
    writes the archive as it exits). Returns the archive's path, or None with the reason printed: the kernel then
    starts without it, only slower."""
    archive = os.path.join(final, CDS_ARCHIVE)
    partial = archive + ".tmp"
    for path in (archive, partial):
        if os.path.exists(path):
            os.remove(path)
    try:
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError as e:
        print(f"install_kernel: no class-data-sharing archive ({e}); the kernel starts without it")
        return None
    with tempfile.TemporaryDirectory(prefix=".nnlab-cds-") as tmp:
        folder = os.path.join(tmp, "kernels", "java-cds-dump")
        os.makedirs(folder)
        dump = dict(spec, argv=with_jvm_options(spec["argv"], [f"-XX:ArchiveClassesAtExit={partial}",
                                                               "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]))
        with open(os.path.join(folder, "kernel.json"), "w") as f:
            json.dump(dump, f)
        km = KernelManager(kernel_name="java-cds-dump", kernel_spec_manager=KernelSpecManager(
            kernel_dirs=[os.path.join(tmp, "kernels")]))
        km.shutdown_wait_time = timeout  # writing the archive takes a few seconds: no kill before it is done
        problem = None
        try:
            with open(os.path.join(tmp, "kernel.log"), "w") as log:
                km.start_kernel(stdout=log, stderr=subprocess.STDOUT)
                kc = km.client()
                kc.start_channels()
                try:
                    kc.wait_for_ready(timeout=timeout)
                    reply = kc.execute_interactive(FIRST_CELL, timeout=timeout, output_hook=lambda msg: None)
                    if reply["content"].get("status") != "ok":
                        problem = f"the first cell failed: {reply['content'].get('evalue', '')}"
                finally:
                    kc.stop_channels()
                    km.shutdown_kernel(now=False)  # a clean exit: the JVM writes the archive as it exits
        except Exception as e:  # any failure only means no archive
            problem = f"the kernel did not run its first cell ({type(e).__name__}: {e})"
            try:
                km.shutdown_kernel(now=True)
            except Exception:
                pass
        if problem is None and not (os.path.isfile(partial) and os.path.getsize(partial) > 0):
            problem = "the JVM wrote no archive"
        if problem:
            print(f"install_kernel: no class-data-sharing archive ({problem}); the kernel starts without it")
            if os.path.exists(partial):
                os.remove(partial)
            return None
    os.replace(partial, archive)
    return archive


def install(a):
    java = choose_java(a.java)
    kernels = os.path.join(os.path.abspath(a.prefix), "share", "jupyter", "kernels")
    os.makedirs(kernels, exist_ok=True)
    final = os.path.join(kernels, "java")
    with tempfile.TemporaryDirectory(prefix=".nnlab-install-", dir=kernels) as work:
        target = os.path.join(work, "java")
        os.makedirs(target)
        spec = build_spec(a, java, target, work, final)
        # Absolute paths: Jupyter's {resource_dir} is relative when JUPYTER_PATH is, and the cell's folder differs.
        spec["argv"] = [arg.replace("{resource_dir}", final) for arg in spec["argv"]]
        with open(os.path.join(target, "kernel.json"), "w") as f:
            json.dump(spec, f, indent=2)
        old = os.path.join(work, "previous")
        if os.path.exists(final):
            os.rename(final, old)
        os.rename(target, final)
    write_server_config(os.path.abspath(a.prefix))
    meta = spec["metadata"]["nnlab"]
    if a.cds and meta["engine"] in ("rapaio", "ijava"):  # JJava's launcher starts a second JVM of its own
        archive = create_cds_archive(final, spec) or create_cds_archive(final, spec)  # a second try: a start can fail
        if archive:
            spec["argv"] = with_jvm_options(spec["argv"], cds_options(archive, java_version(java)))
            meta["cds"] = archive
            with open(os.path.join(final, "kernel.json"), "w") as f:
                json.dump(spec, f, indent=2)
    print(f"installed kernel 'java': {meta['name']} {meta['version']} on {java}, in {final}"
          + (", with a class-data-sharing archive (faster start)" if meta.get("cds") else ""))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--prefix", required=True, help="the Python environment (sys.prefix) to install into")
    p.add_argument("--nnlab-jar", required=True, help="nnlab's jar with dependencies")
    p.add_argument("--init-script", required=True, help="the JShell script with nnlab's imports")
    p.add_argument("--engine", choices=["rapaio", "ijava", "jjava"],
                   help="rapaio (needs --kernel-jar), ijava or jjava (need --kernel-dir; guessed from it if omitted)")
    p.add_argument("--kernel-jar", help="rapaio-jupyter-kernel jar (engine rapaio)")
    p.add_argument("--kernel-dir", help="IJava 1.3.0 or JJava release: the zip or its unpacked folder")
    p.add_argument("--java", help="the java executable the kernel runs on (default: $JAVA_HOME/bin/java, else PATH)")
    p.add_argument("--python", default=sys.executable,
                   help="the Python (with pyzmq) that runs the kernel supervisor: the environment's Jupyter Python")
    p.add_argument("--cds", action="store_true",
                   help="start the kernel once to create a class-data-sharing archive of its classes (faster starts)")
    a = p.parse_args()
    if not a.engine and not a.kernel_dir:
        a.engine = "rapaio"
    try:
        install(a)
    except InstallError as e:
        sys.exit(f"install_kernel: {e}\n(nothing was changed: the previous kernel, if any, is still installed)")


if __name__ == "__main__":
    main()
