#!/usr/bin/env bash
# Step manual-injection: a plain namespace, and a Deployment whose template already holds the proxy.
set -euo pipefail
kubectl create namespace manual --dry-run=client -o yaml | kubectl apply -f -
istioctl kube-inject -f - <<'YAML' | kubectl apply -n manual -f -
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
      containers:
        - name: httpbin
          image: docker.io/mccutchen/go-httpbin:v2.15.0
          ports:
            - containerPort: 8080
YAML
kubectl -n manual rollout status deploy/httpbin --timeout=180s
