#!/bin/sh
# update-if-changed.sh NEW TARGET: move NEW over TARGET only when their
# contents differ (else drop NEW), so that TARGET keeps its modification time
# and nothing that depends on it is rebuilt for an identical regeneration.
set -e
[ $# -eq 2 ] || { echo "usage: update-if-changed.sh NEW TARGET" >&2; exit 2; }
if cmp -s "$1" "$2"; then rm -f "$1"; else mv -f "$1" "$2"; fi
