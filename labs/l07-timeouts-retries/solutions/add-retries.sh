#!/usr/bin/env bash
# Step add-retries: the caller's sidecar retries 5xx answers up to 3 times; then 100 calls again.
set -euo pipefail
kubectl apply -n intro -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
    - httpbin
  http:
    - route:
        - destination:
            host: httpbin
            port:
              number: 8000
      retries:
        attempts: 3
        perTryTimeout: 2s
        retryOn: 5xx
YAML
sleep 5
kubectl -n intro exec deploy/curl -c curl -- sh -c 'for i in $(seq 1 100); do curl -s -o /dev/null -w "%{http_code}\n" http://httpbin.intro:8000/unstable; done' | sort | uniq -c
