# shellcheck shell=bash
# Sourced (not run) by tools/build.sh, test/e2e/cluster.sh,
# test/e2e/run.sh and commands/up.sh: where the locally built tools live.
#
#   SECURE_INGRESS_CACHE  cache root (default ~/.cache/secure-ingress), outside the repo
#   SI_TOOLS_DIR          <root>/<version-key>, the key is derived from versions.env
#                         (pieces built from this repo's Go sources also carry a
#                         stamp of those sources and rebuild when they change)
#   SI_BIN                <root>/<version-key>/bin: pulumi, pulumi-language-nodejs,
#                         pulumi-resource-*, etcd, kube-apiserver
#   SI_CLUSTER_DIR        <root>/cluster: local control plane state, certs, kubeconfig (set it, with
#                         SI_APISERVER_PORT and SI_ETCD_PORT, for a further control plane beside the default one)

SI_TOOLS_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$SI_TOOLS_SRC/versions.env"
SI_CACHE_ROOT="${SECURE_INGRESS_CACHE:-$HOME/.cache/secure-ingress}"
# The key hashes the assignments in versions.env (comments and blank lines do not count).
SI_TOOLS_KEY="pulumi-${SI_PULUMI_VERSION#v}-$(grep -Ev '^[[:space:]]*(#|$)' "$SI_TOOLS_SRC/versions.env" | sha256sum | cut -c1-10)"
SI_TOOLS_DIR="$SI_CACHE_ROOT/$SI_TOOLS_KEY"
SI_BIN="$SI_TOOLS_DIR/bin"
SI_CLUSTER_DIR="${SI_CLUSTER_DIR:-$SI_CACHE_ROOT/cluster}"
SI_KUBECONFIG="$SI_CLUSTER_DIR/kubeconfig"
export SI_CACHE_ROOT SI_TOOLS_KEY SI_TOOLS_DIR SI_BIN SI_CLUSTER_DIR SI_KUBECONFIG
