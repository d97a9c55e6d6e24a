#!/usr/bin/env bash
# httpbin (Service port 8000 → container port 8080) in the namespace given as $1, with its own
# service account, so its mTLS identity is spiffe://cluster.local/ns/$1/sa/httpbin.
set -euo pipefail
kubectl apply -n "$1" -f - <<'YAML'
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
YAML
