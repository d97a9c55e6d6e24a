#!/usr/bin/env bash
# Step create-gateway: a port-80 HTTP listener for httpbin.example.com on the ingress gateway pods.
set -euo pipefail
kubectl apply -n intro -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
    - port:
        number: 80
        name: http
        protocol: HTTP
      hosts:
        - httpbin.example.com
YAML
