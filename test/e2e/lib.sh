# Shared by the end-to-end scripts (run.sh, faults.sh, gateway/run.sh): the project copy, timed steps with a summary table.
# The caller defines log(), sets W (its work directory, with a logs/ folder) and SUMMARY_FORMAT (printf format of
# one summary row: stack, step, seconds, result).
SUMMARY=()
STEP_FAILED=0

# prune_runs DIR KEEP: delete all but the newest KEEP run-* folders of DIR. Names carry %Y%m%dT%H%M%S, so they sort by
# time across a new year; no folder (a fresh machine) is fine.
prune_runs() {
  find "$1" -mindepth 1 -maxdepth 1 -type d -name 'run-*' | sort | head -n "-$2" | xargs -r rm -rf
}

# copy_project: the working tree (or, with SI_E2E_SOURCE=head, the committed HEAD) into $W/project, which shares the
# repo's node_modules. Needs ROOT and W.
copy_project() {
  mkdir -p "$W/project"
  if [[ "${SI_E2E_SOURCE:-}" == head ]]; then
    git -C "$ROOT" archive HEAD | tar -x -C "$W/project"
  else
    (cd "$ROOT" && git ls-files -co --exclude-standard -z | grep -zv '^node_modules/' |
      xargs -0 -I{} sh -c 'test -f "{}" && mkdir -p "$0/$(dirname "{}")" && cp -p "{}" "$0/{}"' "$W/project")
  fi
  ln -s "$ROOT/node_modules" "$W/project/node_modules"
}

now_ds() { echo $(($(date +%s%N) / 100000000)); }
fmt_ds() { echo "$(($1 / 10)).$(($1 % 10))"; }
record() { SUMMARY+=("$(printf "$SUMMARY_FORMAT" "$1" "$2" "$3" "$4")"); }

# step STACK NAME CMD...: run, time, log to $W/logs/STACK-NAME.log; a failure sets STEP_FAILED and shows the log's tail.
step() {
  local stack=$1 name=$2 t0 rc=0 secs
  shift 2
  t0=$(now_ds)
  log "$stack: $name ..."
  "$@" >"$W/logs/$stack-$name.log" 2>&1 || rc=$?
  secs=$(fmt_ds $(($(now_ds) - t0)))
  if ((rc == 0)); then
    log "$stack: $name ok (${secs}s)"
    record "$stack" "$name" "$secs" ok
  else
    log "$stack: $name FAILED (${secs}s, exit $rc); last lines of $W/logs/$stack-$name.log:"
    tail -n 30 "$W/logs/$stack-$name.log" | sed 's/^/    /'
    record "$stack" "$name" "$secs" "FAILED (exit $rc)"
    STEP_FAILED=1
  fi
  return $rc
}
