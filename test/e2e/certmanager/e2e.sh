# Sourced by test/e2e/gateway/run.sh for a stack with cert-manager hosts (Pulumi.cert-manager.yaml): the real
# certificates and issuers controllers (launcher/, built by build.sh) against the run's control plane, with the
# CRDs of the same cert-manager module (deploy/crds/). Uses run.sh's K, P, spawn, stop_named, check, GW_NS, W.

CM_BIN="$(bash "$ROOT/test/e2e/certmanager/build.sh" --print)"
CM_MODULE=github.com/cert-manager/cert-manager

cm_version() { awk -v m="$CM_MODULE" '$1 == m { print $2 } $2 == m { print $3 }' "$ROOT/test/e2e/certmanager/launcher/go.mod" | head -n1; }

# The stack's cert-manager hosts: host, namespace, Certificate, Secret (from the issuedCertificates output).
cm_issued() { # stack
  P stack output issuedCertificates --json --stack "$1" | jq -r 'to_entries[] | [.key, .value.namespace, .value.certificate, .value.secretName] | @tsv'
}

# CRDs, then the controllers; they run until the stack's end (cm_stop) or run.sh's cleanup.
cm_start() {
  [[ -x "$CM_BIN" ]] || { echo "no cert-manager launcher at $CM_BIN: run \`bash test/e2e/certmanager/build.sh\`"; return 1; }
  local v dir
  v="$(cm_version)"
  dir="$(GOFLAGS=-mod=mod go mod download -json "$CM_MODULE@$v" | jq -r .Dir)/deploy/crds"
  [[ -d "$dir" ]] || { echo "no deploy/crds in $CM_MODULE@$v"; return 1; }
  # Server-side: the Certificate CRD is too large for client-side apply's last-applied annotation.
  K apply --server-side -f "$dir"
  K wait --for condition=Established --timeout 60s crd/certificates.cert-manager.io crd/issuers.cert-manager.io \
    crd/clusterissuers.cert-manager.io crd/certificaterequests.cert-manager.io
  echo "cert-manager $v CRDs from $dir"
  local pid
  pid="$(spawn cert-manager "$CM_BIN" --kubeconfig "$KCFG" --min-backoff 5s)"
  sleep 1
  kill -0 "$pid" 2>/dev/null || { tail -n 40 "$W/logs/cert-manager.out"; echo "the launcher exited"; return 1; }
  echo "cert-manager controllers pid $pid; log $W/logs/cert-manager.out"
}

cm_stop() { stop_named cert-manager; }

# Every Certificate Ready; each Secret holds leaf + intermediate that openssl verifies against the stack's root,
# for the host's name, with tls.key matching the leaf.
cm_check_issued() { # stack
  local s=$1 host ns cert secret f0=$FAILED d="$W/cm-$1"
  mkdir -p "$d"
  P stack output certificates --json --show-secrets --stack "$s" >"$d/certificates.json"
  while IFS=$'\t' read -r host ns cert secret; do
    if K -n "$ns" wait --for condition=Ready --timeout 90s "certificate/$cert"; then
      check ok "$s certificate $ns/$cert Ready ($(K -n "$ns" get certificate "$cert" -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}'))"
    else
      K -n "$ns" describe certificate "$cert" | tail -n 20
      check fail "$s certificate $ns/$cert not Ready"
      continue
    fi
    K -n "$ns" get secret "$secret" -o json >"$d/$secret.json"
    jq -r '.data["tls.crt"]' "$d/$secret.json" | base64 -d >"$d/$secret.chain.pem"
    jq -r '.data["tls.key"]' "$d/$secret.json" | base64 -d >"$d/$secret.key.pem"
    jq -r --arg h "$host" '.[$h].rootCert' "$d/certificates.json" >"$d/$host.root.pem"
    awk -v d="$d/$secret" '/BEGIN CERT/ { n++ } { print > (d ".part" n ".pem") }' "$d/$secret.chain.pem"
    cat "$d/$secret".part[2-9].pem >"$d/$secret.untrusted.pem" 2>/dev/null || : >"$d/$secret.untrusted.pem"
    local out
    out="$(openssl verify -purpose sslserver -verify_hostname "$host" -CAfile "$d/$host.root.pem" -untrusted "$d/$secret.untrusted.pem" "$d/$secret.part1.pem" 2>&1)"
    echo "openssl verify $secret: $out"
    if [[ "$out" == *": OK" ]]; then check ok "$s $ns/$secret: leaf + intermediate verify against the stack's root for $host (openssl verify)"; else check fail "$s $ns/$secret: $out"; fi
    if [[ "$(openssl x509 -in "$d/$secret.part1.pem" -noout -pubkey)" == "$(openssl pkey -in "$d/$secret.key.pem" -pubout)" ]]; then
      check ok "$s $ns/$secret: tls.key belongs to the leaf"
    else
      check fail "$s $ns/$secret: tls.key does not match the leaf"
    fi
    rm -f "$d/$secret.key.pem"
  done < <(cm_issued "$s")
  ((FAILED == f0))
}

# Envoy got the Secrets from istiod (SDS) and serves exactly the issued leaf for each host.
cm_check_served() { # stack
  local s=$1 host ns cert secret served want f0=$FAILED d="$W/cm-$1"
  curl -fsS "http://127.0.0.1:15000/config_dump?resource=dynamic_active_secrets" | jq -r '.configs[].name' >"$d/active-secrets"
  while IFS=$'\t' read -r host ns cert secret; do
    if grep -qx "kubernetes://$secret" "$d/active-secrets"; then check ok "$s envoy has SDS secret kubernetes://$secret from istiod"; else check fail "$s envoy lacks kubernetes://$secret ($(tr '\n' ' ' <"$d/active-secrets"))"; fi
    want="$(openssl x509 -in "$d/$secret.part1.pem" -noout -serial | cut -d= -f2)"
    served="$(served_serial_openssl "$host")"
    if [[ -n "$served" && "$served" == "$want" ]]; then check ok "$s $host: the gateway serves the issued certificate (serial $served)"; else check fail "$s $host: served serial '$served', issued $want"; fi
  done < <(cm_issued "$s")
  ((FAILED == f0))
}

# What `cmctl renew` does: add the Issuing condition (reason ManuallyTriggered) to the Certificate's status.
cm_renew() { # stack host (rotate's trigger)
  local cert now before
  cert="$(cm_issued "$1" | awk -F'\t' -v h="$2" '$1 == h { print $3 }')"
  [[ -n "$cert" ]] || { echo "no Certificate for $2"; return 1; }
  before="$(K -n "$GW_NS" get certificate "$cert" -o jsonpath='{.status.revision}')"
  now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kubectl patch certificate $cert: Issuing=True (ManuallyTriggered), revision $before"
  K -n "$GW_NS" patch certificate "$cert" --subresource status --type json -p \
    "[{\"op\":\"add\",\"path\":\"/status/conditions/-\",\"value\":{\"type\":\"Issuing\",\"status\":\"True\",\"reason\":\"ManuallyTriggered\",\"message\":\"Certificate re-issuance manually triggered\",\"lastTransitionTime\":\"$now\"}}]"
  local i
  for i in $(seq 1 60); do
    [[ "$(K -n "$GW_NS" get certificate "$cert" -o jsonpath='{.status.revision}')" != "$before" ]] && break
    sleep 1
  done
  echo "revision $before -> $(K -n "$GW_NS" get certificate "$cert" -o jsonpath='{.status.revision}') after ${i}s"
}

# pulumi up waits for a Certificate to be Ready (pulumi.com/waitFor) when the stack does not skip awaits: a stack of
# one cert-manager host (own namespace, no workload, no backends, so nothing waits on pods; its up takes a few
# seconds) goes up while the controllers are stopped; it must still be running 20 s later when they start again,
# and return only once the Certificate is Ready.
cm_await_ready() {
  local s=cm-await ns=cm-await hold=20 up_pid rc=0 t0 t1 ready
  K create namespace "$ns" >/dev/null
  cat >"$W/project/Pulumi.$s.yaml" <<YAML
config:
  secure-ingress:apiLevel: current
  secure-ingress:gateway: {name: awaited, namespace: $ns, workloadNamespace: $ns, workload: none, secretDelivery: sds}
  secure-ingress:pki: {issuer: cert-manager, caMode: shared}
  secure-ingress:hosts:
    - {name: awaited, host: awaited.example.com, certificate: cert-manager,
       routes: [{match: [{prefix: /}], destination: {host: httpbin, port: 8000}}]}
  secure-ingress:kubernetes: {kubeconfig: $KCFG, skipAwait: false}
YAML
  (cd "$W/project" && pulumi stack init "$s" --secrets-provider passphrase --non-interactive) >/dev/null
  cm_stop
  t0=$(date +%s)
  P up --yes --stack "$s" >"$W/logs/cm-await-up.log" 2>&1 &
  up_pid=$!
  sleep "$hold"
  if ! kill -0 "$up_pid" 2>/dev/null; then
    wait "$up_pid" || rc=$?
    tail -n 20 "$W/logs/cm-await-up.log"
    check fail "cert-manager await: pulumi up returned (exit $rc) within ${hold}s with no controller to issue the Certificate"
    cm_start >/dev/null
    return 1
  fi
  echo "after ${hold}s without controllers: pulumi up still waiting; Certificate Ready=$(K -n "$ns" get certificate awaited-credential -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
  cm_start
  wait "$up_pid" || rc=$?
  t1=$(date +%s)
  ready="$(K -n "$ns" get certificate awaited-credential -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
  grep -E 'Certificate|created|error' "$W/logs/cm-await-up.log" | tail -n 8 | sed 's/^/    /'
  echo "pulumi up exit $rc after $((t1 - t0))s; Certificate Ready=$ready when it returned"
  if ((rc == 0)) && [[ "$ready" == True ]] && ((t1 - t0 > hold)) && grep -q 'Certificate.*creating.*want True' "$W/logs/cm-await-up.log"; then
    check ok "cert-manager await: pulumi up waited $((t1 - t0))s, until the Certificate was Ready (controllers started after ${hold}s)"
  else
    check fail "cert-manager await: exit $rc, Ready=$ready, $((t1 - t0))s"
  fi
}
