#!/usr/bin/env bash
# Step require-jwt: httpbin admits only requests whose token testing@secure.istio.io issued for itself.
set -euo pipefail
kubectl apply -n foo -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require-jwt
spec:
  selector:
    matchLabels:
      app: httpbin
  action: ALLOW
  rules:
    - from:
        - source:
            requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]
YAML
