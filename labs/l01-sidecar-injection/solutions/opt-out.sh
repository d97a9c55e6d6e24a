#!/usr/bin/env bash
# Step opt-out: a client that stays outside the mesh although its namespace injects.
set -euo pipefail
kubectl apply -n intro -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy-client
spec:
  replicas: 1
  selector:
    matchLabels:
      app: legacy-client
  template:
    metadata:
      labels:
        app: legacy-client
        sidecar.istio.io/inject: "false"
    spec:
      # sleep runs as PID 1, which ignores SIGTERM: without this, deleting the pod waits 30 s.
      terminationGracePeriodSeconds: 0
      containers:
        - name: curl
          image: docker.io/curlimages/curl:8.16.0
          command: ["sleep", "infinity"]
YAML
kubectl -n intro rollout status deploy/legacy-client --timeout=180s
