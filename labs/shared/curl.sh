#!/usr/bin/env bash
# A curl client in the namespace given as $1, with its own service account (identity
# spiffe://cluster.local/ns/$1/sa/curl when it has a sidecar).
set -euo pipefail
kubectl apply -n "$1" -f - <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata:
  name: curl
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: curl
spec:
  replicas: 1
  selector:
    matchLabels:
      app: curl
  template:
    metadata:
      labels:
        app: curl
    spec:
      serviceAccountName: curl
      # sleep as PID 1 ignores SIGTERM; without this a deleted pod lingers 30 s.
      terminationGracePeriodSeconds: 0
      containers:
        - name: curl
          image: docker.io/curlimages/curl:8.16.0
          command: ["sleep", "infinity"]
YAML
