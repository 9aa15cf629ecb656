#!/bin/sh
# Run the libFuzzer harnesses (tests/fuzz/fuzz.mk).
#   run.sh smoke SECONDS TARGET...  every kept input of tests/fuzz/corpus/TARGET/
#                                   once, then SECONDS of fuzzing from it (seed 1)
#   run.sh fuzz SECONDS TARGET...   SECONDS of fuzzing per target, growing
#                                   build/fuzz/corpus/TARGET/
# The kept corpus is only read.  Crashes: build/fuzz/crashes/TARGET/.
# One PASS/FAIL line per target with its executions; the last line is
#   fuzz: N passed, M failed
mode=$1 secs=$2
shift 2
pass=0 fail=0 total=0
for t in "$@"; do
    bin=build/fuzz/fuzz_$t kept=tests/fuzz/corpus/$t work=build/fuzz/corpus/$t
    crash=build/fuzz/crashes/$t log=build/fuzz/log-$mode-$t.txt
    mkdir -p "$kept" "$work" "$crash"
    if [ "$mode" = smoke ]; then
        work=build/fuzz/smoke/$t
        rm -rf "$work"; mkdir -p "$work"
        set -- -seed=1
    else
        set --
    fi
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$bin" "$@" -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$crash/" "$work" "$kept" > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    nkept=$(ls "$kept" | wc -l)
    if [ $rc -eq 0 ] && [ -n "$runs" ]; then
        pass=$((pass + 1)); total=$((total + runs))
        echo "PASS fuzz $t: $runs executions in ${secs} s from $nkept kept inputs, no crash"
    else
        fail=$((fail + 1))
        echo "FAIL fuzz $t: exit status $rc ($log; inputs in $crash/):"
        grep -E 'ERROR|invariant failed|runtime error|SUMMARY|Test unit written' "$log" | head -6
    fi
done
echo "fuzz: $total executions in all"
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
