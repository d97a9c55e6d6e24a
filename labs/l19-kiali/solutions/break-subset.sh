#!/usr/bin/env bash
# Step break-subset: every reviews request goes to subset v4, which the DestinationRule does not define.
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
            subset: v4
YAML
