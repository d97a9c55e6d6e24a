#!/usr/bin/env bash
# Step egress-gateway: the egress gateway pods accept plain HTTP for api.example.com on port 80.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: api-egress-gateway
spec:
  selector:
    istio: egressgateway
  servers:
    - port:
        number: 80
        name: http
        protocol: HTTP
      hosts:
        - api.example.com
YAML
