#!/usr/bin/env bash
# Bookinfo without routing rules of its own (reviews spreads over v1, v2 and v3), then one
# DestinationRule naming the three reviews versions: step 2 routes to a fourth that it lacks.
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
kubectl apply -n default -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
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
YAML
