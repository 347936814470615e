# Shared by the end-to-end scripts (run.sh, faults.sh, gateway/run.sh, fleet/run.sh, library/run.sh,
# bench/engine/run.sh): the environment of
# the commands with a throw-away state, the project copy, run-folder pruning, timed steps with a summary table.
# The caller defines log(), sets W (its work directory, with a logs/ folder) and SUMMARY_FORMAT (printf format of
# one summary row: stack, step, seconds, result); the object checks take kc() (kubectl for its cluster) and run in
# PROJECT (default $W/project); the key-material helpers take P() (pulumi in the project).
SUMMARY=()
STEP_FAILED=0

# prune_runs DIR KEEP: delete all but the newest KEEP run-* folders of DIR. Names carry %Y%m%dT%H%M%S, so they sort by
# time across a new year; no folder (a fresh machine) is fine.
prune_runs() {
  [[ -d "$1" ]] || return 0
  find "$1" -mindepth 1 -maxdepth 1 -type d -name 'run-*' | sort | head -n "-$2" | xargs -r rm -rf
}

# e2e_env: the commands' environment (commands/pulumi-env.sh: the cached CLI, its providers linked as installed
# plugins, no plugin downloads) over a state backend and PULUMI_HOME of this run ($W/state, $W/home), with the
# passphrase the shipped stack files' salts were made with, whatever the caller's shell has.
e2e_env() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  mkdir -p "$W/state" "$W/home"
  export PULUMI_HOME="$W/home" PULUMI_BACKEND_URL="file://$W/state" PULUMI_CONFIG_PASSPHRASE="secure-ingress-dev"
  export SI_USE_CACHED_TOOLS=1 PULUMI_NODEJS_TRANSPILE_ONLY=true
  # shellcheck source=../../commands/pulumi-env.sh
  source "$root/commands/pulumi-env.sh"
  require_pulumi
}

# copy_project DEST: the project as git sees it (tracked and untracked files, not ignored ones), or the committed HEAD
# with SI_E2E_SOURCE=head, with node_modules linked; the tracked files are never touched.
copy_project() {
  local root dest=$1
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  mkdir -p "$dest"
  if [[ "${SI_E2E_SOURCE:-}" == head ]]; then
    git -C "$root" archive HEAD | tar -x -C "$dest"
  else
    (cd "$root" && git ls-files -co --exclude-standard -z | grep -zv '^node_modules/' |
      while IFS= read -r -d '' f; do if [[ -f "$f" ]]; then printf '%s\0' "$f"; fi; done | tar --null -T - -cf -) | tar -xf - -C "$dest"
  fi
  ln -sfn "$root/node_modules" "$dest/node_modules"
}

# no_path_plugin_warnings LOG...: the CLI took no provider from PATH (it says "using pulumi-resource-X from $PATH").
no_path_plugin_warnings() {
  local hits
  hits="$(grep -h 'from \$PATH' "$@" 2>/dev/null | sort -u || true)"
  if [[ -n "$hits" ]]; then
    echo "$hits"
    return 1
  fi
  echo "no \"from \$PATH\" plugin warning in $# log(s)"
}

# print_summary LABEL: the summary table and its "N passed, N failed" line.
print_summary() {
  local passed failed
  echo
  echo "==================== $1 summary (work dir: $W) ===================="
  printf '%s\n' "${SUMMARY[@]+"${SUMMARY[@]}"}"
  passed=$(printf '%s\n' "${SUMMARY[@]+"${SUMMARY[@]}"}" | grep -c ' ok$' || true)
  failed=$(printf '%s\n' "${SUMMARY[@]+"${SUMMARY[@]}"}" | grep -c 'FAILED' || true)
  echo "$1: $passed passed, $failed failed"
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

# Kubernetes objects recorded in the stack's state: "kind.version.group namespace name" lines.
state_objects() { # stack
  (cd "${PROJECT:-$W/project}" && pulumi stack export --stack "$1") | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const d = JSON.parse(s).deployment || {};
      for (const r of d.resources || []) {
        if (!r.type.startsWith("kubernetes:") || r.type.startsWith("pulumi:providers")) continue;
        const o = r.outputs || {}, m = o.metadata || {};
        if (!o.kind || !m.name) continue;
        const [g, v] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
        const res = g ? `${o.kind}.${v}.${g}` : o.kind;
        console.log([res, m.namespace || "-", m.name].join(" "));
      }
    });'
}

check_objects_exist() { # stack
  local n=0 missing=0 res ns name
  state_objects "$1" >"$W/$1.objects"
  while read -r res ns name; do
    n=$((n + 1))
    if [[ $ns == - ]]; then args=(get "$res" "$name"); else args=(-n "$ns" get "$res" "$name"); fi
    if kc "${args[@]}" -o name >/dev/null 2>&1; then
      echo "present  $res $ns/$name"
    else
      echo "MISSING  $res $ns/$name"; missing=$((missing + 1))
    fi
  done <"$W/$1.objects"
  echo "$n objects in the stack state, $missing missing from the API server"
  ((n > 0)) || { echo "no Kubernetes objects in the state"; return 1; }
  kc get gateways.networking.istio.io,virtualservices.networking.istio.io,requestauthentications.security.istio.io,authorizationpolicies.security.istio.io,secrets,deployments,services -A 2>&1 | grep -v 'default-token' || true
  ((missing == 0))
}

check_objects_gone() { # stack
  local left=0 res ns name
  while read -r res ns name; do
    if [[ $ns == - ]]; then args=(get "$res" "$name"); else args=(-n "$ns" get "$res" "$name"); fi
    if kc "${args[@]}" -o name >/dev/null 2>&1; then echo "LEFT BEHIND  $res $ns/$name"; left=$((left + 1)); fi
  done <"$W/$1.objects"
  echo "$(wc -l <"$W/$1.objects") objects were created, $left left behind"
  ((left == 0))
}

# Key material in the stack's state (test/e2e/faults/state.ts): "URN key <public-key hash>" per tls key and
# "URN cert <serial>" per certificate, sorted by URN.
state_tool() { # command [arg]: an exported state on stdin
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  (cd "${PROJECT:-$W/project}" && node -r ts-node/register/transpile-only "$root/test/e2e/faults/state.ts" "$@")
}
state_material() { P stack export --show-secrets --stack "$1" | state_tool material | sort; } # stack

# shift_leaf_expiry STACK MINUTES: the tls provider's clock moved forward, the supported way for a test: it compares
# its clock with the validityEndTime in the state, so every leaf certificate's is set to now + MINUTES (export,
# import). The export holds the keys in plaintext: a 0600 file, removed at once.
shift_leaf_expiry() {
  local f="$W/shifted-$1.json" rc=0
  (umask 077 && P stack export --show-secrets --stack "$1" | state_tool shift-renewal "$2" >"$f") || rc=$?
  ((rc == 0)) && { P stack import --stack "$1" --file "$f" || rc=$?; }
  rm -f "$f"
  return $rc
}

# renewal_changes BEFORE AFTER (state_material files): "ca_changed leaf_total leaf_same", where ca_changed counts
# the root and intermediate certificates and the keys whose material differs, and leaf_same the server and client
# certificates that kept their serial.
renewal_changes() {
  local ca_changed leaf_total leaf_same
  ca_changed=$(join -j1 "$1" "$2" | grep -E -- '-(ca|root|intermediate)|privateKey' | awk '$3 != $5' | wc -l)
  leaf_total=$(grep -cE 'locallySignedCert.*(server|client)' "$1" || true)
  leaf_same=$(join -j1 "$1" "$2" | grep -E 'locallySignedCert.*(server|client)' | awk '$3 == $5' | wc -l)
  echo "$ca_changed $leaf_total $leaf_same"
}
