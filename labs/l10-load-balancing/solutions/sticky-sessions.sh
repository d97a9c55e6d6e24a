#!/usr/bin/env bash
# Step sticky-sessions: hash on User-Agent, so one client always reaches the same reviews pod.
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
      consistentHash:
        httpHeaderName: user-agent
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
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
sleep 5
for i in $(seq 1 20); do curl -s -A 'workshop-client-1' "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done
for i in $(seq 1 10); do curl -s -A "workshop-client-$i" "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done
