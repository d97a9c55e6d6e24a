#!/usr/bin/env bash
# Step roll-back: all reviews traffic back on v1 (v3 kept at weight 0), then 50 requests to see it.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
    - reviews
  http:
    - route:
        - destination:
            host: reviews
            subset: v1
          weight: 100
        - destination:
            host: reviews
            subset: v3
          weight: 0
YAML
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
sleep 5
for i in $(seq 1 50); do curl -s "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done | sort | uniq -c
