#!/usr/bin/env bash
# Checks deploy/enhancer.service with systemd-analyze, pointing ExecStart at the built binary
# (the unit itself names the installed path).
set -euo pipefail
unit_source="$1"
binary="$2"
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing: run scripts/install-deps"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/local/bin/enhancer|$binary|" "$unit_source" > "$dir/enhancer.service"
# User= and Group= name an account that exists only where the service is installed.
sed -i 's/^User=.*/User=root/; s/^Group=.*/Group=root/' "$dir/enhancer.service"
out=$(systemd-analyze verify "$dir/enhancer.service" 2>&1) || { echo "$out"; exit 1; }
# verify exits 0 on some warnings: treat any line about our unit as a failure.
if echo "$out" | grep -q "enhancer.service"; then echo "$out"; exit 1; fi
grep -q '^Type=notify' "$dir/enhancer.service"
echo "1 passed, 0 failed"
