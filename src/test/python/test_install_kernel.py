"""Checks tools/install_kernel.py against the layouts of the kernel releases it accepts, and its answers to bad input
(run by ./nnlab test with the .venv's Python):
    .venv/bin/python -m unittest discover -s src/test/python -p 'test_*.py'

The fixtures reproduce the real releases' layouts file for file, with small stand-in jars:
- IJava 1.3.0 (ijava-1.3.0.zip, built by its Gradle jupyter-kernel-installer plugin): install.py, java/kernel.json
  (argv java -jar @KERNEL_INSTALL_DIRECTORY@/ijava-1.3.0.jar {connection_file}), java/ijava-1.3.0.jar,
  java/dependency-licenses/.
- JJava (jjava-VERSION-kernelspec.zip, its maven-assembly "kernelspec"): kernel.json (argv java -jar
  {resource_dir}/jjava-launcher.jar {resource_dir}/jjava.jar {connection_file}), jjava.jar, jjava-launcher.jar.
"""
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
INSTALLER = os.path.join(ROOT, "tools", "install_kernel.py")

IJAVA_SPEC = {"argv": ["java", "-jar", "@KERNEL_INSTALL_DIRECTORY@/ijava-1.3.0.jar", "{connection_file}"],
              "display_name": "Java", "language": "java", "interrupt_mode": "message", "env": {}}
JJAVA_SPEC = {"argv": ["java", "-jar", "{resource_dir}/jjava-launcher.jar", "{resource_dir}/jjava.jar",
                       "{connection_file}"],
              "display_name": "Java (jjava)", "language": "java", "interrupt_mode": "message", "env": {},
              "metadata": {}}


def read(path):
    with open(path) as f:
        return f.read()


def jar_bytes(entries, main_class=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n" + (f"Main-Class: {main_class}\n" if main_class
                                                                         else ""))
        for name, text in entries.items():
            z.writestr(name, text)
    return buf.getvalue()


def ijava_files(version="1.3.0"):
    spec = json.loads(json.dumps(IJAVA_SPEC).replace("1.3.0", version))
    return {"install.py": "# the release's installer\n",
            "java/kernel.json": json.dumps(spec),
            f"java/ijava-{version}.jar": jar_bytes({"ijava-kernel-metadata.json": f'{{"version": "{version}"}}'}),
            "java/dependency-licenses/dependencies.json": "{}"}


def jjava_files():
    pom = "META-INF/maven/org.dflib.jjava/jjava-distro/pom.properties"
    return {"kernel.json": json.dumps(JJAVA_SPEC, indent=4),
            "jjava.jar": jar_bytes({pom: "artifactId=jjava-distro\ngroupId=org.dflib.jjava\nversion=1.0-a7\n"}),
            "jjava-launcher.jar": jar_bytes({})}


class InstallKernelTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.jar = self.write("nnlab-all.jar", b"")
        self.init = self.write("init.jsh", "import nnlab.math.*;\n")
        # Rapaio 3.0.1's jar: its main class and its display options (options.json) as the release has them
        options = [{"key": "display.defaultMime", "value": "text/html", "description": "Default mime type"},
                   {"key": "display.defaultMimeImage", "value": "image/png", "description": "images"}]
        self.rapaio = self.write("rapaio-jupyter-kernel-3.0.1.jar", jar_bytes(
            {"options.json": json.dumps(options)}, main_class="org.rapaio.jupyter.kernel.MainApp"))
        self.prefix = os.path.join(self.dir, "env")
        self.kernels = os.path.join(self.prefix, "share", "jupyter", "kernels")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, data):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path

    def folder(self, name, files):
        for rel, data in files.items():
            self.write(os.path.join(name, rel), data)
        return os.path.join(self.dir, name)

    def zipped(self, name, files):
        path = os.path.join(self.dir, name)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for rel, data in files.items():
                z.writestr(rel, data)
        return path

    def install(self, *args, env=None):
        result = subprocess.run([sys.executable, INSTALLER, "--prefix", self.prefix, "--nnlab-jar", self.jar,
                                 "--init-script", self.init, *args], capture_output=True, text=True,
                                env=dict(os.environ, **(env or {})))
        spec_path = os.path.join(self.kernels, "java", "kernel.json")
        spec = json.loads(read(spec_path)) if os.path.exists(spec_path) else None
        return result, spec

    def assert_installed(self, result, spec, engine, version):
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(engine, spec["metadata"]["nnlab"]["engine"])
        self.assertEqual(version, spec["metadata"]["nnlab"]["version"])
        argv = spec["argv"]
        self.assertTrue(argv[1].endswith("kernel_supervisor.py"), argv)
        java = argv[argv.index("--") + 1]
        self.assertTrue(os.path.isabs(java) and os.path.basename(java) == "java", argv)
        for arg in argv:
            self.assertNotIn("@", arg)
            self.assertNotIn("{resource_dir}", arg)
            for path in arg.split(os.pathsep):
                if path.endswith(".jar") or path.endswith(".py"):
                    self.assertTrue(os.path.isfile(path), f"{path} is not installed")
        self.assertEqual(["java"], os.listdir(self.kernels), "no temporary folder may stay behind")
        return argv

    def test_ijava_release_zip_gets_its_install_directory_and_the_jvm_options(self):
        result, spec = self.install("--kernel-dir", self.zipped("ijava-1.3.0.zip", ijava_files()))
        argv = self.assert_installed(result, spec, "ijava", "1.3.0")
        self.assertEqual(os.path.join(self.kernels, "java", "ijava-1.3.0.jar"), argv[-2])
        self.assertEqual("{connection_file}", argv[-1])
        self.assertIn("jdk.incubator.vector", argv)
        self.assertIn("-XX:MaxRAMPercentage=60", argv)
        self.assertFalse(any(a.startswith("-Xmx") for a in argv), "the heap is a share of the RAM, not fixed")
        self.assertEqual(self.jar, spec["env"]["IJAVA_CLASSPATH"])
        self.assertIn("import nnlab.math.*;", spec["env"]["IJAVA_STARTUP_SCRIPT"])

    def test_ijava_release_unpacked_top_folder_or_its_java_folder(self):
        top = self.folder("ijava-1.3.0", ijava_files())
        for path in (top, os.path.join(top, "java")):
            result, spec = self.install("--engine", "ijava", "--kernel-dir", path)
            self.assert_installed(result, spec, "ijava", "1.3.0")

    def test_jjava_kernelspec_zip_keeps_its_launcher_and_gets_the_jvm_options_through_its_variable(self):
        result, spec = self.install("--kernel-dir", self.zipped("jjava-1.0-a7-kernelspec.zip", jjava_files()))
        argv = self.assert_installed(result, spec, "jjava", "1.0-a7")
        self.assertEqual(["-jar", "jjava-launcher.jar", "jjava.jar", "{connection_file}"],
                         [argv[-4]] + [os.path.basename(a) for a in argv[-3:]])
        self.assertIn("--add-modules jdk.incubator.vector", spec["env"]["JJAVA_JVM_OPTS"])
        self.assertEqual(self.jar, spec["env"]["JJAVA_CLASSPATH"])

    def test_jjava_without_kernel_json_gets_the_command_its_kernel_json_would_hold(self):
        files = jjava_files()
        del files["kernel.json"]
        result, spec = self.install("--engine", "jjava", "--kernel-dir", self.folder("jjava", files))
        argv = self.assert_installed(result, spec, "jjava", "1.0-a7")
        self.assertEqual(["-jar", "jjava-launcher.jar", "jjava.jar", "{connection_file}"],
                         [argv[-4]] + [os.path.basename(a) for a in argv[-3:]])

    def test_the_kernel_runs_on_the_java_the_user_chose(self):
        fake_home = os.path.join(self.dir, "jdk")
        real = os.path.realpath(subprocess.run(["sh", "-c", "command -v java"], capture_output=True,
                                               text=True).stdout.strip())
        os.makedirs(os.path.join(fake_home, "bin"))
        for tool in ("java", "jshell"):
            os.symlink(os.path.join(os.path.dirname(real), tool), os.path.join(fake_home, "bin", tool))
        release = self.zipped("ijava-1.3.0.zip", ijava_files())
        result, spec = self.install("--kernel-dir", release, env={"JAVA_HOME": fake_home})
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(os.path.realpath(real), spec["metadata"]["nnlab"]["java"])
        result, spec = self.install("--kernel-dir", release, "--java", os.path.join(fake_home, "bin", "java"))
        self.assertEqual(0, result.returncode, result.stderr)

    def test_engine_rapaio_switches_back(self):
        self.install("--kernel-dir", self.zipped("ijava-1.3.0.zip", ijava_files()))
        result, spec = self.install("--engine", "rapaio", "--kernel-jar", self.rapaio)
        argv = self.assert_installed(result, spec, "rapaio", "3.0.1")
        self.assertEqual("org.rapaio.jupyter.kernel.MainApp", argv[-2])
        options, jar = argv[-3].split(os.pathsep)
        self.assertTrue(jar.endswith("rapaio-jupyter-kernel-3.0.1.jar") and os.path.isfile(jar), argv)
        # results as text/plain (a Matrix, a String), images still PNG
        with zipfile.ZipFile(options) as z:  # a jar, not a folder: class-data sharing refuses folders
            values = {o["key"]: o["value"] for o in json.loads(z.read("options.json"))}
        self.assertEqual({"display.defaultMime": "text/plain", "display.defaultMimeImage": "image/png"}, values)
        self.assertIn("RJK_CLASSPATH", spec["env"])
        self.assertFalse(os.path.exists(os.path.join(self.kernels, "java", "ijava-1.3.0.jar")))

    def test_cds_options_come_right_after_java_and_a_missing_archive_never_stops_the_jvm(self):
        sys.path.insert(0, os.path.dirname(INSTALLER))
        import install_kernel
        argv = ["py", "sup.py", "--", "/usr/bin/java", "-cp", "x.jar", "Main"]
        options = install_kernel.cds_options("/nowhere/k.jsa", 17)
        self.assertEqual(["py", "sup.py", "--", "/usr/bin/java", *options, "-cp", "x.jar", "Main"],
                         install_kernel.with_jvm_options(argv, options))
        self.assertIn("-XX:+AutoCreateSharedArchive", install_kernel.cds_options("/nowhere/k.jsa", 21))
        broken = self.write("broken.jsa", "not an archive")
        for archive in (os.path.join(self.dir, "missing.jsa"), broken):
            result = subprocess.run(["java", *install_kernel.cds_options(archive, 17), "-version"],
                                    capture_output=True, text=True)
            self.assertEqual(0, result.returncode, result.stderr)
            self.assertNotIn("warning", (result.stdout + result.stderr).lower())
            self.assertNotIn("cds", result.stdout.lower())

    # Bad input: one message naming the problem and the fix; the kernel installed before stays as it was.
    def assert_refused(self, args, *phrases, env=None):
        self.install("--engine", "rapaio", "--kernel-jar", self.rapaio)
        before = read(os.path.join(self.kernels, "java", "kernel.json"))
        result, _ = self.install(*args, env=env)
        self.assertNotEqual(0, result.returncode)
        message = result.stderr.strip()
        self.assertTrue(message.startswith("install_kernel: "), message)
        self.assertNotIn("Traceback", message)
        for phrase in phrases:
            self.assertIn(phrase, message)
        self.assertEqual(before, read(os.path.join(self.kernels, "java", "kernel.json")))
        self.assertEqual(["java"], os.listdir(self.kernels), "no temporary folder may stay behind")

    def test_a_wrong_folder_says_what_a_release_looks_like(self):
        self.write("notes/readme.txt", "hello")
        self.assert_refused(["--kernel-dir", os.path.join(self.dir, "notes")],
                            "is not a Java kernel release", "ijava-1.3.0.zip")

    def test_an_ijava_1_2_release_is_named_and_refused(self):
        self.assert_refused(["--kernel-dir", self.zipped("ijava-1.2.0.zip", ijava_files("1.2.0"))],
                            "ijava-1.2.0.jar", "needs IJava 1.3.0")

    def test_a_truncated_zip_asks_for_a_new_download(self):
        with open(self.zipped("ijava-1.3.0.zip", ijava_files()), "rb") as f:
            whole = f.read()
        cut = self.write("cut/ijava-1.3.0.zip", whole[: len(whole) // 2])
        self.assert_refused(["--kernel-dir", cut], "is not a complete zip file", "Download it again")

    def test_a_corrupt_zip_asks_for_a_new_download(self):
        with open(self.zipped("ijava-1.3.0.zip", ijava_files()), "rb") as f:
            data = bytearray(f.read())
        data[200:260] = b"\0" * 60
        self.assert_refused(["--kernel-dir", self.write("bad/ijava-1.3.0.zip", bytes(data))], "Download it again")

    def test_a_missing_jar_is_named(self):
        files = ijava_files()
        del files["java/ijava-1.3.0.jar"]
        self.assert_refused(["--kernel-dir", self.folder("partial", files)],
                            "ijava-1.3.0.jar, which is missing", "Unpack the complete release again")

    def test_a_java_older_than_17_is_named_with_the_fix(self):
        fake = self.write("jdk11/bin/java", '#!/bin/sh\necho \'openjdk version "11.0.21" 2023-10-17\' >&2\n')
        os.chmod(fake, os.stat(fake).st_mode | stat.S_IEXEC)
        self.assert_refused(["--kernel-dir", self.zipped("ijava-1.3.0.zip", ijava_files()), "--java", fake],
                            "is Java 11", "JDK 17 or newer", "JAVA_HOME")


class LauncherTest(unittest.TestCase):
    """The ./nnlab launcher's answers that need no build: help, unknown commands, a Python without venv."""

    def nnlab(self, *args, env=None):
        return subprocess.run(["bash", os.path.join(ROOT, "nnlab"), *args], capture_output=True, text=True,
                              env=dict(os.environ, **(env or {})), timeout=120)

    def test_help_in_three_spellings(self):
        for spelling in ("help", "-h", "--help"):
            result = self.nnlab(spelling)
            self.assertEqual(0, result.returncode, result.stderr)
            self.assertIn("./nnlab run", result.stdout)
            self.assertIn("--kernel-dir", result.stdout)

    def test_an_unknown_command_prints_the_usage_and_exits_2(self):
        result = self.nnlab("frobnicate")
        self.assertEqual(2, result.returncode)
        self.assertIn("unknown command 'frobnicate'", result.stderr)
        self.assertIn("./nnlab test", result.stderr)

    def test_a_python_without_venv_is_named_with_the_fix(self):
        with tempfile.TemporaryDirectory() as fake:
            path = os.path.join(fake, "python3")
            real = shutil.which("python3")
            with open(path, "w") as f:
                f.write(f'#!/bin/sh\ncase "$*" in *"import venv"*) exit 1 ;; esac\nexec {real} "$@"\n')
            os.chmod(path, 0o755)
            result = self.nnlab("setup", env={"PATH": fake + os.pathsep + os.environ["PATH"]})
        self.assertEqual(1, result.returncode)
        self.assertIn("python3-venv", result.stderr)


if __name__ == "__main__":
    unittest.main()
