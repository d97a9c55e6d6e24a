#!/usr/bin/env bash
# Step service-entry: register api.example.com as an HTTP service outside the mesh, then call it.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: api-example
spec:
  hosts:
    - api.example.com
  ports:
    - number: 80
      name: http
      protocol: HTTP
  resolution: DNS
  location: MESH_EXTERNAL
YAML
sleep 5
for i in $(seq 1 5); do kubectl -n default exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://api.example.com/get; done
