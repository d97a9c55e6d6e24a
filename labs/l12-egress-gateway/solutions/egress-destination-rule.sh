#!/usr/bin/env bash
# Step egress-destination-rule: a named subset of the egress gateway Service for the mesh route to use.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: egressgateway-for-api
spec:
  host: istio-egressgateway.istio-system.svc.cluster.local
  subsets:
    - name: api
YAML
