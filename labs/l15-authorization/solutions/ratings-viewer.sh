#!/usr/bin/env bash
# Step ratings-viewer: ratings answers GETs from the reviews identity.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ratings-viewer
spec:
  selector:
    matchLabels:
      app: ratings
  action: ALLOW
  rules:
    - from:
        - source:
            principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]
      to:
        - operation:
            methods: ["GET"]
YAML
