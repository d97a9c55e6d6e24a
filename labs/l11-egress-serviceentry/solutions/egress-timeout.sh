#!/usr/bin/env bash
# Step egress-timeout: calls to api.example.com give up after 3 s; /delay/5 ends in 504.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api-example
spec:
  hosts:
    - api.example.com
  http:
    - route:
        - destination:
            host: api.example.com
            port:
              number: 80
      timeout: 3s
YAML
sleep 5
kubectl -n default exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code} after %{time_total}s\n' http://api.example.com/delay/5
