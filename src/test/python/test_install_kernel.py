"""Checks tools/install_kernel.py against the layouts of the kernel releases it accepts (run by ./nnlab test):
    python3 -m unittest discover -s src/test/python -p 'test_*.py'
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
INSTALLER = os.path.join(ROOT, "tools", "install_kernel.py")


class InstallKernelTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.jar = self.touch("nnlab-all.jar")
        self.init = self.touch("init.jsh", "import nnlab.math.*;\n")

    def tearDown(self):
        self.tmp.cleanup()

    def touch(self, rel, text=""):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def install(self, *args):
        prefix = os.path.join(self.dir, "env")
        result = subprocess.run([sys.executable, INSTALLER, "--prefix", prefix, "--nnlab-jar", self.jar,
                                 "--init-script", self.init, *args], capture_output=True, text=True)
        spec_path = os.path.join(prefix, "share", "jupyter", "kernels", "java", "kernel.json")
        spec = json.load(open(spec_path)) if result.returncode == 0 else None
        return result, spec

    def test_ijava_release_keeps_its_command_and_gets_the_jvm_options(self):
        # IJava 1.3.0's zip: install.py and java/{ijava-1.3.0.jar, kernel.json}
        self.touch("ijava/java/ijava-1.3.0.jar")
        self.touch("ijava/java/kernel.json", json.dumps(
            {"argv": ["java", "-jar", "{resource_dir}/ijava-1.3.0.jar", "{connection_file}"], "language": "java"}))
        result, spec = self.install("--engine", "ijava", "--kernel-dir", os.path.join(self.dir, "ijava"))
        self.assertEqual(0, result.returncode, result.stderr)
        argv = spec["argv"]
        self.assertEqual("java", argv[0])
        self.assertIn("jdk.incubator.vector", argv)
        self.assertTrue(argv[-2].endswith("ijava/java/ijava-1.3.0.jar") and os.path.isabs(argv[-2]), argv)
        self.assertEqual(self.jar, spec["env"]["IJAVA_CLASSPATH"])
        self.assertIn("import nnlab.math.*;", spec["env"]["IJAVA_STARTUP_SCRIPT"])

    def test_jjava_launcher_gets_the_jvm_options_through_its_variable(self):
        self.touch("jjava/jjava.jar")
        self.touch("jjava/jjava-launcher.jar")
        result, spec = self.install("--engine", "jjava", "--kernel-dir", os.path.join(self.dir, "jjava"))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue(spec["argv"][2].endswith("jjava-launcher.jar"), spec["argv"])
        self.assertIn("--add-modules jdk.incubator.vector", spec["env"]["JJAVA_JVM_OPTS"])
        self.assertEqual(self.jar, spec["env"]["JJAVA_CLASSPATH"])

    def test_a_folder_without_the_kernel_says_so(self):
        os.makedirs(os.path.join(self.dir, "empty"))
        result, _ = self.install("--engine", "jjava", "--kernel-dir", os.path.join(self.dir, "empty"))
        self.assertNotEqual(0, result.returncode)
        self.assertIn("is this the unpacked jjava release?", result.stderr)


if __name__ == "__main__":
    unittest.main()
