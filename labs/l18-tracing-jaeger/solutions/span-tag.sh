#!/usr/bin/env bash
# Step span-tag: the same Telemetry, and every span carries lab=istio-workshop.
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
      customTags:
        lab:
          literal:
            value: istio-workshop
YAML
