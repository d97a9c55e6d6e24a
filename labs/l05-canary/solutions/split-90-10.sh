#!/usr/bin/env bash
# Step split-90-10: the canary starts with a tenth of the reviews traffic on v3, then 50 requests.
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
          weight: 90
        - destination:
            host: reviews
            subset: v3
          weight: 10
YAML
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
sleep 5
for i in $(seq 1 50); do curl -s "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done | sort | uniq -c
