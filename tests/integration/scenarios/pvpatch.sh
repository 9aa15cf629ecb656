# Scenario pvpatch of tests/integration/run-all.sh (sourced once per board; lib.sh).
# the native guests patched by tools/pvpatch (tests/integration/pvpatch.sh)
pvpatch_tests "$board" "$out"
