#!/usr/bin/env python3
"""The report of `make bench` (tools/bench.sh runs the benchmarks, then this).

    bench-report.py OUT --board-qemu=FLAGS [--warnings=N] [--failed=F] COLUMN...

Reads OUT/out/COLUMN.bench ("operation value" lines, one file per column:
native, virtualized, virtualized_NAME per variant) and writes
OUT/results.csv, OUT/table.md, OUT/chart.png (gnuplot, log scale; its data in
OUT/out/chart.dat), then prints table.md.  --warnings: how many warnings the
runs gave (the table says so); --failed: the exit status (1 if a build or
run failed).  Operations the guest reports that OPS does not know are
warnings too.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

# name, target (instructions, virtualized), what is measured.
# target: a number N (<= N), "native+N" (<= native + N) or "-" (none).
OPS = [
    ("hypercall", "100", "null hypercall HC_ABI_VERSION (PV only)"),
    ("cp15-read", "150", "trapped CP15 read, MRC CONTEXTIDR: the fully emulated CP15 trap (code the monitor "
                         "does not self-patch: PL0-accessible page)"),
    ("cp15-read-sctlr", "150", "trapped CP15 read, MRC SCTLR"),
    ("cp15-read-srfa", "4", "CONTEXTIDR read from the SRFA page (MVN + LDR, no trap); natively the MRC"),
    ("cp15-read-fit", "30", "CONTEXTIDR read as a FIT op (FIT_LOAD: one SVC handled in the vector); "
                            "natively the MRC"),
    ("irq-enable-disable", "-", "CPSIE i + CPSID i pair, trapped (PV CPS)"),
    ("irq-enable-disable-srfa", "8", "the same pair through the SRFA's VCPSR word (4 instructions each, "
                                     "no trap); natively CPSIE + CPSID"),
    ("tlbimva", "-", "TLBIMVA of a mapped, recently used VA, trapped (coherence by TLB maintenance)"),
    ("tlbimva-nop", "-", "the same TLBIMVA as a NOP-replaced PV guest runs it (coherence by write "
                         "protection); natively the TLBIMVA"),
    ("first-touch-mib", "-", "first load from a MiB of guest RAM never used before (guest MMU on, a section): "
                             "natively a TLB miss; under the monitor a shadow fill, and in the column "
                             "virtualized (demand) (backing=demand) also a 1 MiB chunk from the pool, zeroed"),
    ("page-fault-fill", "1000", "load from a fresh 4 KiB page (guest MMU on): a shadow fill under the "
                                "monitor, a TLB miss natively"),
    ("cp15-write", "-", "trapped CP15 write, MCR CONTEXTIDR with its own value (the space stays)"),
    ("context-switch", "500", "TTBR0 + CONTEXTIDR switch A->B->A through the reserved ASID, a load after "
                              "each (round trip)"),
    ("mmio-write", "400", "store to UARTIBRD (emulated MMIO, no side effect)"),
    ("mmio-read", "400", "load from UARTIBRD (emulated MMIO, no side effect)"),
    ("cache-clean", "150", "DCCMVAC of a mapped line of guest RAM, trapped (an unmodified guest's cache "
                           "maintenance by VA; guest MMU on)"),
    ("cache-clean-mmu-off", "150", "the same with the guest MMU off (VA = IPA), as firmware cleaning its "
                                   "buffers does"),
    ("uart-tx-char", "-", "one character to UARTDR, over a 31-character line"),
    ("exception-return", "-", "MOVS PC, LR from SVC to SVC mode (the return instruction alone)"),
    ("svc-pl1", "-", "SVC #0 in SVC mode to a handler that is MOVS PC, LR (entry + return)"),
    ("syscall", "native+60", "SVC #0 from User mode to a handler that is MOVS PC, LR, counted in User mode"),
    ("virq-latency", "300", "virtual timer pending with CPSR.I set: from before CPSIE i to the first "
                            "instruction of the IRQ vector's handler"),
    ("read-overhead", "-", "two back-to-back PMCCNTR reads at PL1 (subtracted from every row; MRC, a trap "
                           "under the monitor)"),
    ("read-overhead-user", "-", "the same in User mode (subtracted from syscall)"),
    ("loop-overhead", "-", "one iteration of the empty measurement loop (subtracted from every row)"),
]
NOT_CHARTED = ("loop-overhead", "read-overhead-user")   # the subtracted overheads


def is_num(s):
    """A value the guest printed as a number (digits, '.', '-')."""
    return s not in ("", "n/a") and not re.search(r"[^0-9.-]", s)


def num(s):
    """s as a number the way awk reads it: its longest numeric prefix, else 0."""
    m = re.match(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", s)
    return float(m.group(0)) if m else 0.0


def ratio(v, n):
    if is_num(v) and is_num(n) and num(n) > 0:
        return "%.1f×" % (num(v) / num(n))
    return "—"


def target_of(target, n):
    """(the target as shown, its limit or None)."""
    if target == "-":
        return "—", None
    if target.startswith("native+"):
        add = target[len("native+"):]
        return "≤ native + " + add, (num(n) + num(add) if is_num(n) else None)
    return "≤ " + target, num(target)


def read_bench(path):
    """{operation: value}; an operation reported twice keeps both lines."""
    vals = {}
    if not os.path.isfile(path):
        return vals
    with open(path) as f:
        for line in f:
            w = line.split()
            if w:
                vals[w[0]] = vals[w[0]] + "\n" + (w[1] if len(w) > 1 else "") if w[0] in vals \
                    else (w[1] if len(w) > 1 else "")
    return vals


class Report:
    def __init__(self, out, board_qemu, cols, warnings):
        self.out, self.raw, self.board_qemu, self.cols = out, out + "/out", board_qemu, cols
        self.warnings = warnings
        self.bench = {c: read_bench("%s/%s.bench" % (self.raw, c)) for c in cols}

    def warn(self, msg):
        self.warnings += 1
        print("bench: WARNING: " + msg, file=sys.stderr)

    def val(self, col, op):
        return self.bench[col].get(op) or "n/a"

    def csv(self):
        lines = ["operation,target" + "".join("," + c for c in self.cols)]
        for op, target, _ in OPS:
            lines.append("%s,%s" % (op, target) + "".join("," + self.val(c, op) for c in self.cols))
        with open(self.out + "/results.csv", "w") as f:
            f.write("\n".join(lines) + "\n")
        known = {op for op, _, _ in OPS}
        for op in sorted(set(self.bench.get("virtualized", {})) | set(self.bench.get("native", {}))):
            if op not in known:
                self.warn("operation '%s' is not in tools/bench-report.py's table" % op)

    def table(self):
        version = subprocess.run(["qemu-system-arm", "--version"], capture_output=True, text=True).stdout
        version = re.sub(r".*version ([^ ]*).*", r"\1", (version.splitlines() or [""])[0])
        variants = self.cols[2:]
        t = ["# Microbenchmarks: instructions per operation", "",
             "QEMU %s `%s -icount shift=0,sleep=off`:" % (version, self.board_qemu),
             "PMCCNTR counts one per instruction, so every number is the instructions executed",
             "for one operation (under the monitor: the guest's and the monitor's), deterministic.",
             "Each row is (loop with the operation − empty loop) / iterations, minimum of 3 runs;",
             "guest MMU on. Source: `guest-stubs/bench/`; produced by `make bench` (`tools/bench.sh`).", "",
             "| operation | native | virtualized | ratio | target | within target |"
             + "".join(" %s | ratio |" % (c.replace("virtualized_", "virtualized (", 1) + ")") for c in variants)
             + " what is measured |",
             "|---|---:|---:|---:|---:|:---:|" + "---:|---:|" * len(variants) + "---|"]
        for op, target, what in OPS:
            n, v = self.val("native", op), self.val("virtualized", op)
            shown, limit = target_of(target, n)
            within = "—"
            if limit is not None and is_num(v):
                within = "✔" if num(v) <= limit else "✘"
            row = "| %s | %s | %s | %s | %s | %s |" % (op, n, v, ratio(v, n), shown, within)
            for c in variants:
                x = self.val(c, op)
                row += " %s | %s |" % (x, ratio(x, n))
            t.append(row + " %s |" % what)
        t += ["", "Variant columns are the same benchmark guest under a monitor built with that",
              "optimization off (n/a: the operation needs it, e.g. no SRFA page); virtualized (demand)",
              "is the default monitor with the guest's RAM backed on demand (VM file backing=demand)."]
        if self.warnings:
            t.append("**%d warning(s) during this run: see the output of `make bench`.**" % self.warnings)
        with open(self.out + "/table.md", "w") as f:
            f.write("\n".join(t) + "\n")

    def chart(self):
        if not shutil.which("gnuplot"):
            self.warn("gnuplot not found (make deps installs gnuplot-nox): no chart")
            return
        dat = self.raw + "/chart.dat"
        with open(dat, "w") as f:
            f.write("operation" + "".join(" " + c for c in self.cols) + "\n")
            for op, _, _ in OPS:
                if op not in NOT_CHARTED:
                    f.write(op + "".join(" " + self.val(c, op) for c in self.cols) + "\n")
        script = """set terminal pngcairo size 1200,600 noenhanced font ",10"
set output "{out}/chart.png"
set title "Instructions per operation (QEMU -icount): native vs virtualized"
set datafile missing "n/a"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.5:*]
set ylabel "instructions (log scale)"
set xtics rotate by -35 scale 0
set grid ytics
set key top left
plot for [i=2:{last}] "{dat}" using i:xtic(1) title columnheader(i)
""".format(out=self.out, last=len(self.cols) + 1, dat=dat)
        with open(self.raw + "/gnuplot.log", "w") as log:
            r = subprocess.run(["gnuplot"], input=script, text=True, stdout=log, stderr=log)
        try:
            ok = r.returncode == 0 and open(self.out + "/chart.png", "rb").read(1)
        except OSError:
            ok = False
        if not ok:
            self.warn("gnuplot failed (see %s/gnuplot.log)" % self.raw)


def main(argv=None):
    p = argparse.ArgumentParser(prog="bench-report.py", description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--board-qemu", required=True, help="the board's QEMU options (table header)")
    p.add_argument("cols", nargs="+")
    p.add_argument("--warnings", type=int, default=0)
    p.add_argument("--failed", type=int, default=0)
    a = p.parse_args(argv)
    r = Report(a.out, a.board_qemu, a.cols, a.warnings)
    r.csv()
    r.table()
    r.chart()
    print()
    with open(a.out + "/table.md") as f:
        sys.stdout.write(f.read())
    print()
    chart = a.out + "/chart.png"
    print("bench: wrote %s/results.csv, %s/table.md%s"
          % (a.out, a.out, ", " + chart if os.path.isfile(chart) and os.path.getsize(chart) else ""))
    if r.warnings:
        print("bench: %d warning(s)" % r.warnings)
    return a.failed


if __name__ == "__main__":
    sys.exit(main())
