#!/usr/bin/env bash
# Step enable-tracing: every proxy of the mesh reports spans of every request to the jaeger provider.
set -euo pipefail
kubectl apply -n istio-system -f - <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
spec:
  tracing:
    - providers:
        - name: jaeger
      randomSamplingPercentage: 100
YAML
