#!/usr/bin/env bash
# Step errors-only: the sidecars of namespace intro log through the built-in envoy provider, and only
# responses with a status of 400 or more.
set -euo pipefail
kubectl apply -n intro -f - <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: access-log-errors
spec:
  accessLogging:
    - providers:
        - name: envoy
      filter:
        expression: response.code >= 400
YAML
