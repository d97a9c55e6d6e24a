#!/usr/bin/env bash
# Step strict-namespace: every workload in foo accepts only mutual TLS.
set -euo pipefail
kubectl apply -n foo -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: STRICT
YAML
