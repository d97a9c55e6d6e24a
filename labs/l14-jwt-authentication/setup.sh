#!/usr/bin/env bash
# Namespace foo with sidecars, httpbin and curl, and nothing else: the mutual TLS lab's namespaces and
# mesh-wide policy are removed first (mtls-reset.sh), which also takes away this lab's earlier attempts.
set -euo pipefail
bash "$(dirname "$0")/../shared/mtls-reset.sh"
kubectl create namespace foo --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace foo istio-injection=enabled --overwrite
bash "$(dirname "$0")/../shared/httpbin.sh" foo
bash "$(dirname "$0")/../shared/curl.sh" foo
# httpbin in foo is also published at the ingress gateway as jwt.example.com (step 5).
kubectl apply -n foo -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: jwt-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
    - port:
        number: 80
        name: http
        protocol: HTTP
      hosts: ["jwt.example.com"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin-jwt
spec:
  hosts: ["jwt.example.com"]
  gateways: [jwt-gateway]
  http:
    - route:
        - destination:
            host: httpbin
            port:
              number: 8000
YAML
kubectl -n foo rollout status deploy/httpbin deploy/curl --timeout=180s
