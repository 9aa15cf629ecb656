#!/bin/sh
# check-pv.sh DIR|FILE.dis...
#
# Checks the `objdump -d` listings of the PV test guests (*-pv.dis) for real
# sensitive instructions that do not trap in User mode and therefore must
# have been replaced by PV SVCs: CPS, MRS/MSR (CPSR/SPSR/banked), SRS, RFE,
# LDM/STM with ^, data-processing with S and Rd=PC (SUBS PC,LR / MOVS PC,LR),
# WFI/WFE/SEV/YIELD, SMC, HVC, ERET.
#
# Section .usertext is exempt: it holds the code the guests run in (virtual)
# User mode, where these instructions execute natively in both builds
# exactly as in an unmodified user program (e.g. MRS CPSR, MSR CPSR_f).
#
# Exit status 0 when clean, 1 when something was found, 2 on usage errors.
set -u

if [ $# -eq 0 ]; then
    echo "usage: $0 GUEST_DIR | file.dis..." >&2
    exit 2
fi

files=""
for a in "$@"; do
    if [ -d "$a" ]; then
        for f in "$a"/*-pv.dis; do
            [ -e "$f" ] && files="$files $f"
        done
    else
        files="$files $a"
    fi
done
if [ -z "$files" ]; then
    echo "check-pv: no *-pv.dis files found in $*" >&2
    exit 2
fi

status=0
for f in $files; do
    out=$(awk '
        /^Disassembly of section / { sec = $4; sub(":", "", sec); next }
        /^[0-9a-f]+ <.*>:$/        { fn = $2; next }
        sec == ".usertext"         { next }
        /^ *[0-9a-f]+:\t/ {
            # field 3 (tab separated) is "mnemonic\toperands"
            n = split($0, t, "\t")
            if (n < 3) next
            m = t[3]; ops = (n >= 4) ? t[4] : ""
            bad = 0
            if (m ~ /^cps(ie|id)?$/)                  bad = 1
            if (m ~ /^(mrs|msr)([a-z][a-z])?$/)       bad = 1
            if (m ~ /^(srs|rfe)/)                     bad = 1
            if (m ~ /^(wfi|wfe|sev|sevl|yield)([a-z][a-z])?$/) bad = 1
            if (m ~ /^(smc|hvc|eret)/)                bad = 1
            if (m ~ /^(ldm|stm|pop|push)/ && ops ~ /\}\^/) bad = 1
            if (m ~ /^(and|eor|sub|rsb|add|adc|sbc|rsc|orr|mov|bic|mvn|lsl|lsr|asr|ror|rrx)s([a-z][a-z])?(\.w)?$/ && ops ~ /^pc,/) bad = 1
            if (bad) { printf "  %s %s\n", fn, $0; cnt++ }
        }
        END { exit cnt > 0 }
    ' "$f")
    if [ $? -ne 0 ]; then
        echo "FAIL $f: real sensitive instructions outside .usertext:"
        echo "$out"
        status=1
    else
        echo "ok   $f"
    fi
done
exit $status
