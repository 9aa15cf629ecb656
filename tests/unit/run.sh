#!/bin/sh
# Run cmocka test binaries in TAP mode and count individual test cases.
# Usage: run.sh BIN...   Last line: "unit: N passed, M failed".
# A binary that dies before reporting every planned case (crash, sanitizer
# abort) has its missing cases counted as failed; one that reports no plan
# at all counts as one failure.
passed=0
failed=0
for bin in "$@"; do
    name=$(basename "$bin")
    echo "=== $name"
    out=$(CMOCKA_MESSAGE_OUTPUT=TAP ASAN_OPTIONS=detect_leaks=0 "$bin" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    plan=$(printf '%s\n' "$out" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | head -n 1)
    ok=$(printf '%s\n' "$out" | grep -c '^ok [0-9]')
    notok=$(printf '%s\n' "$out" | grep -c '^not ok [0-9]')
    missing=0
    if [ -z "$plan" ]; then
        missing=1
    elif [ $((ok + notok)) -lt "$plan" ]; then
        missing=$((plan - ok - notok))
    fi
    if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ] && [ "$missing" -eq 0 ]; then
        missing=1           # died after its last case, or failed in a group fixture
    fi
    if [ "$missing" -ne 0 ]; then
        echo "# $name: exit status $rc, $missing test case(s) not reported: counted as failed"
    fi
    echo "# $name: $ok passed, $((notok + missing)) failed"
    passed=$((passed + ok))
    failed=$((failed + notok + missing))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
