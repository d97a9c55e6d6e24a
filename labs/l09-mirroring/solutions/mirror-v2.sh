#!/usr/bin/env bash
# Step mirror-v2: keep answering from v1, and send a copy of every request to v2.
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
            subset: v1
          weight: 100
      mirror:
        host: httpbin
        subset: v2
      mirrorPercentage:
        value: 100
YAML
