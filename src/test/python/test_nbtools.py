"""Tests of tools/nbtools.py: what "clean" finds and fixes, and what release writes (or refuses to write)."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools"))
import nbformat  # noqa: E402
import nbtools  # noqa: E402


def notebook(*cells, **metadata):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(nbtools.KERNELSPEC), "language_info": dict(nbtools.LANGUAGE_INFO),
                   **metadata}
    for i, (kind, source, meta) in enumerate(cells):
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        cell.metadata = meta
        cell.id = f"c{i}"
        nb.cells.append(cell)
    return nb


def code(source, **meta):
    return ("code", source, meta)


def check(source, name="t", points=1):
    return ("code", source, {"nnlab": {"check": name, "points": points}})


class Folder(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, nb, raw=False):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(nb) if raw else nbtools.canonical(nb))
        return path


class CleanTest(Folder):
    def test_a_clean_notebook_has_no_problems(self):
        path = self.write("a.ipynb", notebook(code("int x = 1;"), check("Check.that(\"t\", true);")))
        self.assertEqual([], nbtools.problems(path))

    def test_jupyterlab_leftovers_are_each_named_and_cleaned(self):
        nb = notebook(code("1 + 1", collapsed=True, nnlab={"check": "k", "points": 1}), code("%maven x:y:1"))
        nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
        nb.cells[0].execution_count = 3
        nb.metadata["kernelspec"] = {"name": "rapaio", "display_name": "Rapaio", "language": "java"}
        nb.metadata["widgets"] = {}
        path = self.write("b.ipynb", nb)
        found = "\n".join(nbtools.problems(path))
        for text in ["cell 1: has outputs", "cell 1: has an execution count", "cell 1: foreign metadata ['collapsed']",
                     "cell 2, line 1: a magic", "foreign keys ['widgets']", "kernel spec is"]:
            self.assertIn(text, found)
        nbtools.cmd_clean([path])
        found = nbtools.problems(path)
        self.assertEqual(["cell 2, line 1: a magic (%maven x:y:1); cells call nnlab's API only"], found)
        cleaned = nbtools.read(path)
        self.assertEqual({"nnlab": {"check": "k", "points": 1}}, dict(cleaned.cells[0].metadata))
        self.assertEqual(nbtools.KERNELSPEC, dict(cleaned.metadata.kernelspec))

    def test_non_canonical_json_is_reported(self):
        path = self.write("c.ipynb", notebook(code("int x = 1;")), raw=True)
        self.assertIn("canonical JSON", " ".join(nbtools.problems(path)))
        nbtools.cmd_clean([path])
        self.assertEqual([], nbtools.problems(path))


class ReleaseTest(Folder):
    def release(self, *cells):
        path = self.write("lab.ipynb", notebook(*cells))
        out = os.path.join(self.dir, "release")
        written = nbtools.release([path], out)
        return nbtools.read(written[0]), out

    def refused(self, *cells):
        path = self.write("lab.ipynb", notebook(*cells))
        out = os.path.join(self.dir, "release")
        with self.assertRaises(nbtools.ReleaseError) as e:
            nbtools.release([path], out)
        self.assertFalse(os.path.exists(out), "nothing may be written on bad input")
        self.assertEqual([], [f for f in os.listdir(self.dir) if f.startswith(".release")])
        return str(e.exception)

    def test_regions_become_stubs_with_their_hints(self):
        nb, out = self.release(
            ("markdown", "text", {}),
            code("double f(double x) {\n    // BEGIN SOLUTION: square x\n    double y = x * x;\n    return y;\n"
                 "    // END SOLUTION\n}"),
            code("double g(double x) {\n    return x + 1; // SOLUTION: add one\n}\n"
                 "double h(double x) {\n    return x; // SOLUTION\n}"),
            check("Check.near(\"f\", f(2), 4, 0);\n// BEGIN HIDDEN TESTS\nCheck.near(\"f3\", f(3), 9, 0);\n"
                  "// END HIDDEN TESTS", name="f", points=2))
        self.assertEqual('double f(double x) {\n    throw new UnsupportedOperationException("TODO: square x");\n}',
                         nb.cells[1].source)
        self.assertIn('    throw new UnsupportedOperationException("TODO: add one");', nb.cells[2].source)
        self.assertIn('TODO: complete this method', nb.cells[2].source)
        self.assertEqual('Check.near("f", f(2), 4, 0);', nb.cells[3].source)
        meta = nb.cells[3].metadata["nnlab"]
        self.assertEqual(nbtools.checksum(nb.cells[3].source), meta["checksum"])
        with open(os.path.join(out, "manifest.json")) as f:
            manifest = json.load(f)
        self.assertEqual([{"check": "f", "points": 2, "cell": 4, "checksum": meta["checksum"]}],
                         list(manifest.values())[0])
        self.assertEqual([], nbtools.problems(os.path.join(out, list(manifest)[0])))

    def test_hint_quotes_are_escaped(self):
        nb, _ = self.release(code('void f() {\n  // BEGIN SOLUTION: print "hi"\n  return;\n  // END SOLUTION\n}'))
        self.assertIn('"TODO: print \\"hi\\""', nb.cells[0].source)

    def test_bad_input_names_notebook_cell_and_problem(self):
        cases = [
            ([code("x"), code("void f() {\n// BEGIN SOLUTION\nint a;\n}")], "lab.ipynb: cell 2, line 2: BEGIN SOLUTION is never closed"),
            ([code("void f() {\n// END SOLUTION\n}")], "cell 1, line 2: END SOLUTION without"),
            ([code("// BEGIN SOLUTION\nint a = 1;\n// END SOLUTION")], "cell 1, line 1: solution region outside a method body"),
            ([code("int a = 1; // SOLUTION")], "cell 1, line 1: '// SOLUTION' line outside a method body"),
            ([("code", "Check.that(\"a\", true);", {"nnlab": {"points": 1}})], "cell 1: check cell without a name"),
            ([("code", "Check.that(\"a\", true);", {"nnlab": {"check": "a"}})], "cell 1: check cell 'a' without points"),
            ([check("1", name="a"), code("2"), check("3", name="a")], "cell 3: check name 'a' is already used by cell 1"),
            ([code("int a;\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS")], "cell 1, line 2: hidden tests outside a check cell"),
            ([check("// BEGIN HIDDEN TESTS\nx")], "cell 1, line 1: BEGIN HIDDEN TESTS is never closed"),
        ]
        for cells, message in cases:
            with self.subTest(message):
                self.assertIn(message, self.refused(*cells))

    def test_an_earlier_release_survives_bad_input(self):
        _, out = self.release(code("int a;"))
        path = self.write("lab.ipynb", notebook(code("void f() {\n// BEGIN SOLUTION\n}")))
        with self.assertRaises(nbtools.ReleaseError):
            nbtools.release([path], out)
        self.assertTrue(os.path.exists(os.path.join(out, "manifest.json")))

class WorkingCopyTest(Folder):
    def test_copies_what_is_missing_never_overwrites_and_freshens_one_on_request(self):
        released, work = os.path.join(self.dir, "rel"), os.path.join(self.dir, "work")
        os.makedirs(os.path.join(released, "notebooks"))
        for name in ["01-a.ipynb", "02-b.ipynb"]:
            with open(os.path.join(released, "notebooks", name), "w") as f:
                f.write("released " + name)
        self.assertEqual(2, len(nbtools.working_copy(released, work)))
        mine = os.path.join(work, "notebooks", "01-a.ipynb")
        with open(mine, "w") as f:
            f.write("student's edits")
        self.assertEqual([], nbtools.working_copy(released, work))
        with open(mine) as f:
            self.assertEqual("student's edits", f.read())
        self.assertEqual([mine], nbtools.working_copy(released, work, fresh="01"))
        with open(mine) as f:
            self.assertEqual("released 01-a.ipynb", f.read())
        backups = [f for f in os.listdir(os.path.dirname(mine)) if f.endswith(".bak")]
        self.assertEqual(1, len(backups))
        with self.assertRaises(SystemExit) as e:
            nbtools.working_copy(released, work, fresh="0")
        self.assertIn("names 2 notebooks; use one of: 01-a, 02-b", str(e.exception))


class VerifyTest(Folder):
    """Executed copies as the Rapaio kernel writes them: EvalException with the real exception in the traceback."""

    def executed(self, *cells):
        nb = notebook(*[c[:3] for c in cells])
        for cell, (_, _, _, outputs) in zip(nb.cells, cells):
            cell.execution_count = 1
            cell.outputs = outputs
        return self.write("run.ipynb", nb)

    @staticmethod
    def error(text):
        return [nbformat.v4.new_output("error", ename="EvalException", evalue="", traceback=[text])]

    @staticmethod
    def printed(text):
        return [nbformat.v4.new_output("stream", name="stdout", text=text)]

    def test_released_checks_must_fail_cleanly(self):
        todo = self.error("\x1b[31mjava.lang.UnsupportedOperationException: TODO: add up\x1b[0m")
        ok = self.executed(code("double mean(Matrix m) {...}") + ([],), check("Check.near(...)", "mean") + (todo,),
                           check("Check.near(...)", "b") + (self.error("nnlab.notebook.CheckFailure: check failed"),))
        self.assertEqual([], nbtools.verify(ok, released=True))
        bad = self.executed(check("x", "gives-away") + (self.printed("passed gives-away: ok"),),
                            check("y", "npe") + (self.error("java.lang.NullPointerException"),),
                            code('int f() {\n  throw new UnsupportedOperationException("TODO: x");\n}')
                            + ([nbformat.v4.new_output("error", ename="CompilerException", evalue="",
                                                       traceback=["Compile error:"])],),
                            code("uses an earlier result") + ([nbformat.v4.new_output(
                                "error", ename="CompilerException", evalue="", traceback=["cannot find symbol"])],),
                            code("later") + (self.error("java.lang.IndexOutOfBoundsException"),))
        found = nbtools.verify(bad, released=True)
        self.assertIn("cell 1 (check 'gives-away'): passes in the released version", found[0])
        self.assertIn("cell 2 (check 'npe'): fails uncleanly: EvalException | java.lang.NullPointerException",
                      found[1])
        self.assertIn("cell 3: its stub does not compile: CompilerException", found[2])
        self.assertEqual(3, len(found), "a later cell may fail on an exercise not yet done")

    def test_solution_checks_must_pass_and_say_so(self):
        nb = self.executed(check("a", "a") + (self.printed("passed a: value is 1"),),
                           check("b", "b") + ([],), check("c", "c") + (self.error("CheckFailure: c"),))
        nb_cells = nbtools.read(nb).cells
        nb_cells[0].execution_count = 1
        found = nbtools.verify(nb, released=False)
        self.assertEqual(2, len(found))
        self.assertIn("cell 2 (check 'b'): prints no 'passed ...'", found[0])
        self.assertIn("cell 3 (check 'c'): fails in the solution", found[1])

    def test_cells_the_kernel_never_ran_are_named(self):
        path = self.write("dead.ipynb", notebook(code("1")))
        self.assertEqual(["cell 1: never executed (did the kernel die?)"], nbtools.verify(path, released=True))


if __name__ == "__main__":
    unittest.main()
