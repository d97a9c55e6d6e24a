#!/usr/bin/env bash
# Re-creates the pods of namespace $1 when one of them runs without istio-proxy (made before the
# namespace was labelled); pods that opt out with the inject label are left alone. Client-side
# policies (retries, circuit breakers, REGISTRY_ONLY) live in the client's sidecar and silently do
# nothing without one.
set -euo pipefail
if kubectl -n "$1" get pods -o json | jq -e '[.items[] | select(.status.phase == "Running" and .metadata.deletionTimestamp == null and (.metadata.labels["sidecar.istio.io/inject"] // "") != "false" and (.metadata.annotations["sidecar.istio.io/status"] // "") == "")] | length > 0' >/dev/null; then
  kubectl -n "$1" rollout restart deployment
  kubectl -n "$1" rollout status deployment --timeout=180s
fi
