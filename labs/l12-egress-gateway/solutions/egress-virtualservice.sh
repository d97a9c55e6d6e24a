#!/usr/bin/env bash
# Step egress-virtualservice: sidecars send api.example.com to the egress gateway; the gateway sends it out.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: direct-api-through-egress-gateway
spec:
  hosts:
    - api.example.com
  gateways:
    - mesh
    - api-egress-gateway
  http:
    - match:
        - gateways:
            - mesh
          port: 80
      route:
        - destination:
            host: istio-egressgateway.istio-system.svc.cluster.local
            subset: api
            port:
              number: 80
          weight: 100
    - match:
        - gateways:
            - api-egress-gateway
          port: 80
      route:
        - destination:
            host: api.example.com
            port:
              number: 80
          weight: 100
YAML
