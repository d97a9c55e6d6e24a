#!/usr/bin/env bash
# L08 starts where L01 ends (intro: httpbin and curl with sidecars) plus a fortio load generator.
set -euo pipefail
bash "$(dirname "$0")/../shared/intro-workloads.sh"
kubectl apply -n intro -f - <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: fortio
  labels:
    app: fortio
spec:
  selector:
    app: fortio
  ports:
    - name: http
      port: 8080
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fortio-deploy
spec:
  replicas: 1
  selector:
    matchLabels:
      app: fortio
  template:
    metadata:
      labels:
        app: fortio
    spec:
      containers:
        - name: fortio
          image: docker.io/fortio/fortio:1.69.1
          ports:
            - containerPort: 8080
YAML
kubectl -n intro rollout status deploy/fortio-deploy --timeout=180s
# The breaker lives in fortio's sidecar: make sure it has one (a pod made before injection has not).
bash "$(dirname "$0")/../shared/sidecars.sh" intro
