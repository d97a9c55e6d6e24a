#!/usr/bin/env bash
# Step productpage-viewer: GET requests to productpage are allowed, from anyone.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: productpage-viewer
spec:
  selector:
    matchLabels:
      app: productpage
  action: ALLOW
  rules:
    - to:
        - operation:
            methods: ["GET"]
YAML
