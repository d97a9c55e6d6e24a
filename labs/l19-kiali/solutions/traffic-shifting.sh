#!/usr/bin/env bash
# Step traffic-shifting: what Kiali's Traffic Shifting wizard writes for reviews at v1 80, v2 0, v3 20
# after "Delete Traffic Routing": both objects labelled kiali_wizard=traffic_shifting, hosts as FQDN.
set -euo pipefail
kubectl -n default delete virtualservice reviews --ignore-not-found
kubectl -n default delete destinationrule reviews --ignore-not-found
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  labels:
    kiali_wizard: traffic_shifting
spec:
  host: reviews.default.svc.cluster.local
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
    - name: v3
      labels:
        version: v3
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  labels:
    kiali_wizard: traffic_shifting
spec:
  hosts:
    - reviews.default.svc.cluster.local
  http:
    - route:
        - destination:
            host: reviews.default.svc.cluster.local
            subset: v1
          weight: 80
        - destination:
            host: reviews.default.svc.cluster.local
            subset: v2
          weight: 0
        - destination:
            host: reviews.default.svc.cluster.local
            subset: v3
          weight: 20
YAML
