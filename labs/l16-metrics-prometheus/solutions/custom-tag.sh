#!/usr/bin/env bash
# Step custom-tag: the server-side request count of every workload in default gets request_host.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: namespace-metrics
spec:
  metrics:
    - providers:
        - name: prometheus
      overrides:
        - match:
            metric: REQUEST_COUNT
            mode: SERVER
          tagOverrides:
            request_host:
              value: request.host
YAML
