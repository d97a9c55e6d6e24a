#!/usr/bin/env bash
# Step lb-algorithm: reviews endpoints are picked at random; then read the generated Envoy cluster.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      simple: RANDOM
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
    - name: v3
      labels:
        version: v3
YAML
sleep 5
istioctl proxy-config cluster "$(kubectl -n default get pod -l app=productpage -o jsonpath='{.items[0].metadata.name}')" -n default --fqdn reviews.default.svc.cluster.local -o json
