#!/usr/bin/env bash
# Step deploy-workloads: namespace intro with httpbin and curl, not yet in the mesh.
set -euo pipefail
kubectl create namespace intro --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n intro -f - <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata:
  name: httpbin
---
apiVersion: v1
kind: Service
metadata:
  name: httpbin
  labels:
    app: httpbin
spec:
  selector:
    app: httpbin
  ports:
    - name: http
      port: 8000
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin
spec:
  replicas: 1
  selector:
    matchLabels:
      app: httpbin
      version: v1
  template:
    metadata:
      labels:
        app: httpbin
        version: v1
    spec:
      serviceAccountName: httpbin
      containers:
        - name: httpbin
          image: docker.io/mccutchen/go-httpbin:v2.15.0
          ports:
            - containerPort: 8080
---
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
      # sleep runs as PID 1, which ignores SIGTERM: without this, deleting the pod waits 30 s.
      terminationGracePeriodSeconds: 0
      containers:
        - name: curl
          image: docker.io/curlimages/curl:8.16.0
          command: ["sleep", "infinity"]
YAML
kubectl -n intro rollout status deploy/httpbin deploy/curl --timeout=180s
