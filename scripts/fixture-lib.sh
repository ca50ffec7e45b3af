# fixture-lib.sh - shell pieces shared by make-fixtures.sh and make-mixed-fixture.sh (sourced,
# never run). The sourcing script sets FIXTURE_SCRIPT (its name without .sh) first.

say() { printf '[%s] %s\n' "$FIXTURE_SCRIPT" "$*" >&2; }
die() { printf '%s.sh: %s\n' "$FIXTURE_SCRIPT" "$*" >&2; exit 1; }

# require_root_and_tools TOOL... : tcpdump on lo and servers on port 443 need root.
require_root_and_tools() {
  [[ $(id -u) == 0 ]] || die "run as root (tcpdump on lo and servers on port 443)"
  local t
  for t in "$@"; do command -v "$t" >/dev/null || die "missing tool: $t"; done
}

# make_workdir PREFIX : a temp dir to work in (cd'd into); background pids pushed on PIDS are
# stopped, and the dir removed (kept with KEEP_WORK=1), when the script exits.
make_workdir() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap cleanup EXIT
  cd "$WORK"
}
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ -n ${KEEP_WORK:-} ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}

# wait_listen ADDR:PORT... (as `ss -ltn` prints them) : every server is up, else stop with its log.
wait_listen() {
  local a i
  for a in "$@"; do
    for i in $(seq 1 100); do
      ss -Hltn | awk '{print $4}' | grep -qxF "$a" && break
      [[ $i == 100 ]] && { tail -n 5 ./*.log >&2 || true; die "no server listens on $a"; }
      sleep 0.1
    done
  done
}

# wait_tcpdump LOG... : each tcpdump has said it is listening.
wait_tcpdump() {
  local l i
  for l in "$@"; do
    for i in $(seq 1 100); do grep -q 'listening on' "$l" && break; [[ $i == 100 ]] && die "tcpdump did not start: $(cat "$l")"; sleep 0.1; done
  done
}
