#!/usr/bin/env bash
# Removes what the mutual TLS lab leaves: its namespaces and the mesh-wide PeerAuthentication in the
# root namespace (a STRICT one there would break plaintext callers in every other lab).
set -euo pipefail
kubectl delete namespace foo bar legacy --ignore-not-found --wait=true
kubectl -n istio-system delete peerauthentication default --ignore-not-found
bash "$(dirname "$0")/authz-reset.sh"
