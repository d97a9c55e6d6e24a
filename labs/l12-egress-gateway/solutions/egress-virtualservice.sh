#!/usr/bin/env bash
# Step egress-virtualservice: sidecars send api.example.com to the egress gateway; the gateway sends it out.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api-example
spec:
  hosts:
    - api.example.com
  gateways:
    - mesh
    - istio-egressgateway
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
            - istio-egressgateway
          port: 80
      route:
        - destination:
            host: api.example.com
            port:
              number: 80
          weight: 100
YAML
