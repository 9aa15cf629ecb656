#!/usr/bin/env python3
"""Unit tests of tools/bench-report.py (the report of `make bench`).

    python3 tests/tools/test_bench_report.py   (ends with "bench-report: N passed, M failed")
"""
import contextlib
import importlib.util
import io
import os
import shutil
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("bench_report", os.path.join(ROOT, "tools", "bench-report.py"))
br = importlib.util.module_from_spec(spec)
spec.loader.exec_module(br)


class Numbers(unittest.TestCase):
    def test_is_num(self):
        self.assertTrue(br.is_num("12") and br.is_num("1.5") and br.is_num("-3"))
        self.assertFalse(br.is_num("n/a") or br.is_num("") or br.is_num("1e3"))

    def test_ratio(self):
        self.assertEqual(br.ratio("150", "10"), "15.0×")
        self.assertEqual(br.ratio("1", "3"), "0.3×")
        self.assertEqual(br.ratio("5", "0"), "—")         # no ratio to nothing
        self.assertEqual(br.ratio("n/a", "10"), "—")

    def test_targets(self):
        self.assertEqual(br.target_of("-", "10"), ("—", None))
        self.assertEqual(br.target_of("150", "10"), ("≤ 150", 150))
        self.assertEqual(br.target_of("native+60", "20"), ("≤ native + 60", 80))
        self.assertEqual(br.target_of("native+60", "n/a"), ("≤ native + 60", None))


class Tables(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bench-report-test-")
        os.mkdir(self.dir + "/out")
        self.bench("native", "syscall 20\nmmio-read 10\ncp15-read 12\n")
        self.bench("virtualized", "syscall 81\nmmio-read 400\ncp15-read 151\nhypercall 90\nfuture-op 3\n")
        self.bench("virtualized_srfa-off", "syscall 90\n")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def bench(self, col, text):
        with open("%s/out/%s.bench" % (self.dir, col), "w") as f:
            f.write(text)

    def run_report(self, *cols, warnings=0):
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            rc = br.main([self.dir, "--board-qemu=-M virt", "--warnings=%d" % warnings] + list(cols))
        with open(self.dir + "/table.md") as f:
            table = f.read()
        with open(self.dir + "/results.csv") as f:
            csv = f.read()
        return rc, table, csv, err.getvalue()

    def row(self, table, op):
        return [r for r in table.splitlines() if r.startswith("| %s |" % op)][0]

    def test_rows_and_targets(self):
        rc, table, csv, err = self.run_report("native", "virtualized", "virtualized_srfa-off")
        self.assertEqual(rc, 0)
        self.assertIn("| syscall | 20 | 81 | 4.0× | ≤ native + 60 | ✘ | 90 | 4.5× |", table)   # 81 > 80
        self.assertIn("| mmio-read | 10 | 400 | 40.0× | ≤ 400 | ✔ | n/a | — |", table)
        self.assertIn("| hypercall | n/a | 90 | — | ≤ 100 | ✔ |", table)
        self.assertIn(" virtualized (srfa-off) | ratio |", table)
        self.assertEqual(csv.splitlines()[0], "operation,target,native,virtualized,virtualized_srfa-off")
        self.assertIn("syscall,native+60,20,81,90", csv)

    def test_unknown_operation_is_a_warning(self):
        _, table, _, err = self.run_report("native", "virtualized", warnings=2)
        self.assertIn("operation 'future-op' is not in tools/bench-report.py's table", err)
        self.assertIn("**3 warning(s) during this run", table)

    def test_every_operation_has_a_row(self):
        _, table, csv, _ = self.run_report("native", "virtualized")
        for op, _, _ in br.OPS:
            self.row(table, op)
        self.assertEqual(len(csv.splitlines()), len(br.OPS) + 1)


def main():
    result = unittest.TextTestRunner(verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    bad = len(result.failures) + len(result.errors)
    print("bench-report: %d passed, %d failed" % (result.testsRun - bad - len(result.skipped), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
