#!/usr/bin/env bash
# Step port-exception: httpbin in bar requires mTLS, except on the port it listens on (8080).
set -euo pipefail
kubectl apply -n bar -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: httpbin
spec:
  selector:
    matchLabels:
      app: httpbin
  mtls:
    mode: STRICT
  portLevelMtls:
    "8080":
      mode: DISABLE
YAML
