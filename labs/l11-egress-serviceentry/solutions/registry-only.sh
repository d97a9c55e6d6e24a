#!/usr/bin/env bash
# Step registry-only: namespace default may only call destinations in the service registry.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
spec:
  outboundTrafficPolicy:
    mode: REGISTRY_ONLY
YAML
sleep 5
kubectl -n default exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://api.example.com/get
