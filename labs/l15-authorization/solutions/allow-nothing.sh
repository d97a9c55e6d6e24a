#!/usr/bin/env bash
# Step allow-nothing: an ALLOW policy with no rules matches nothing, so every workload in default denies all.
set -euo pipefail
kubectl apply -n default -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
spec: {}
YAML
