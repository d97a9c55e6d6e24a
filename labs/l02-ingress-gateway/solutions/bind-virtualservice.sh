#!/usr/bin/env bash
# Step bind-virtualservice: /headers and /status on httpbin.example.com go to httpbin:8000.
set -euo pipefail
kubectl apply -n intro -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
    - httpbin.example.com
  gateways:
    - httpbin-gateway
  http:
    - match:
        - uri:
            prefix: /headers
        - uri:
            prefix: /status
      route:
        - destination:
            host: httpbin.intro.svc.cluster.local
            port:
              number: 8000
YAML
