"""Installs the Jupyter kernel spec `java` (Java with nnlab preloaded) into a Python environment's data folder.

    python tools/install_kernel.py --prefix .venv --nnlab-jar target/nnlab-all.jar --engine rapaio --kernel-jar K.jar
    python tools/install_kernel.py --prefix ... --engine ijava --kernel-dir path/to/ijava-1.3.0   (or --engine jjava)

Every engine gets the same things: nnlab's jar (with its dependencies) on the kernel's classpath, nnlab's imports
preloaded, a headless JVM with the Vector API module enabled and a sensible heap. Nothing is written to the user's
home folder.
"""
import argparse
import glob
import json
import os
import sys

JVM_OPTIONS = ["--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Xmx4g",
               "-XX:+UseParallelGC", "--add-opens", "java.base/java.lang=ALL-UNNAMED"]


def fail(message):
    sys.exit("install_kernel: " + message)


def release_argv(engine, kernel_dir, java):
    """The release's own command line (its kernel.json, with {resource_dir} filled in), else `java -jar <jar>`."""
    specs = sorted(glob.glob(os.path.join(kernel_dir, "**", "kernel.json"), recursive=True))
    if specs:
        with open(specs[0]) as f:
            argv = json.load(f).get("argv", [])
        resource_dir = os.path.dirname(os.path.abspath(specs[0]))
        argv = [arg.replace("{resource_dir}", resource_dir) for arg in argv]
        if argv and os.path.basename(argv[0]) in ("java", "java.exe"):
            argv[0] = java
        if argv and argv[0] == java:
            return argv
    jars = sorted(glob.glob(os.path.join(kernel_dir, "**", "*.jar"), recursive=True))
    # JJava releases ship a launcher that starts the kernel jar with JJAVA_JVM_OPTS; prefer it when present.
    launchers = [j for j in jars if os.path.basename(j).lower().startswith(engine + "-launcher")]
    kernel_jars = launchers or [j for j in jars if os.path.basename(j).lower().startswith(engine)]
    if not kernel_jars:
        fail(f"no kernel.json and no {engine}*.jar under {kernel_dir}; is this the unpacked {engine} release?")
    return [java, "-jar", kernel_jars[0], "{connection_file}"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--prefix", required=True, help="the Python environment (sys.prefix) to install into")
    p.add_argument("--nnlab-jar", required=True, help="nnlab's jar with dependencies")
    p.add_argument("--init-script", required=True, help="the JShell script with nnlab's imports")
    p.add_argument("--engine", choices=["rapaio", "ijava", "jjava"], default="rapaio")
    p.add_argument("--kernel-jar", help="rapaio-jupyter-kernel jar (engine rapaio)")
    p.add_argument("--kernel-dir", help="unpacked IJava 1.3.0 or JJava release folder (engines ijava, jjava)")
    p.add_argument("--java", default="java", help="the java executable the kernel runs on")
    a = p.parse_args()

    nnlab_jar = os.path.abspath(a.nnlab_jar)
    init_script = os.path.abspath(a.init_script)
    for path, what in [(nnlab_jar, "nnlab jar"), (init_script, "init script")]:
        if not os.path.isfile(path):
            fail(f"the {what} {path} does not exist; build it first with ./nnlab setup")
    with open(init_script) as f:
        init_code = f.read()

    if a.engine == "rapaio":
        if not a.kernel_jar or not os.path.isfile(a.kernel_jar):
            fail(f"kernel jar {a.kernel_jar!r} is missing; ./nnlab setup downloads it through Maven")
        argv = [a.java] + JVM_OPTIONS + ["-jar", os.path.abspath(a.kernel_jar), "{connection_file}"]
        env = {"RJK_CLASSPATH": nnlab_jar, "RJK_INIT_SCRIPT": init_script, "RJK_COMPILER_OPTIONS": "",
               "RJK_TIMEOUT_MILLIS": "-1"}
    else:
        if not a.kernel_dir or not os.path.isdir(a.kernel_dir):
            fail(f"--kernel-dir {a.kernel_dir!r} is not a folder; unzip the {a.engine} release there first")
        argv = release_argv(a.engine, os.path.abspath(a.kernel_dir), a.java)
        prefix = a.engine.upper()
        env = {f"{prefix}_CLASSPATH": nnlab_jar, f"{prefix}_STARTUP_SCRIPT": init_code}
        if a.engine == "jjava":
            env["JJAVA_JVM_OPTS"] = " ".join(JVM_OPTIONS)  # JJava's launcher passes these to the kernel's JVM
        else:
            argv = argv[:1] + JVM_OPTIONS + argv[1:]          # IJava takes its JVM options on the command line

    spec = {"argv": argv, "display_name": "Java (nnlab)", "language": "java", "interrupt_mode": "message",
            "env": env}
    target = os.path.join(os.path.abspath(a.prefix), "share", "jupyter", "kernels", "java")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "kernel.json"), "w") as f:
        json.dump(spec, f, indent=2)
    print(f"installed kernel 'java' ({a.engine}) in {target}")


if __name__ == "__main__":
    main()
