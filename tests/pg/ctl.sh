#!/usr/bin/env bash
# Stops or starts the test server that start.sh made in DIR, as the user that owns it:
#   tests/pg/ctl.sh DIR stop|start
set -euo pipefail
dir=${1:?usage: ctl.sh DIR stop|start}
what=${2:?usage: ctl.sh DIR stop|start}
[ -d "$dir/data" ] || exit 0
bin=$(cat "$dir/bin")
owner=$(cat "$dir/owner")
run() { if [ "$(id -un)" = "$owner" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi; }
case $what in
  stop) run "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null ;;
  start) run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null ;;
  *) echo "ctl.sh: stop or start, not $what" >&2; exit 2 ;;
esac
