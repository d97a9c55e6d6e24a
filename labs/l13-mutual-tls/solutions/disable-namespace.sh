#!/usr/bin/env bash
# Step disable-namespace: remove the mesh-wide policy, then let foo's workloads take plain text only.
set -euo pipefail
kubectl -n istio-system delete peerauthentication default --ignore-not-found
kubectl apply -n foo -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: DISABLE
YAML
