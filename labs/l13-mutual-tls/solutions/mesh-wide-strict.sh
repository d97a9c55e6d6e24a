#!/usr/bin/env bash
# Step mesh-wide-strict: one policy in the root namespace makes the whole mesh STRICT.
set -euo pipefail
kubectl apply -n istio-system -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: STRICT
YAML
