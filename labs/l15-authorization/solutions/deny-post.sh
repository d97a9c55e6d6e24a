#!/usr/bin/env bash
# Step deny-post: POSTs to the products API are denied, whatever any ALLOW policy says.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: deny-post-products
spec:
  selector:
    matchLabels:
      app: productpage
  action: DENY
  rules:
    - to:
        - operation:
            methods: ["POST"]
            paths: ["/api/v1/products*"]
YAML
