#!/usr/bin/env bash
# L09: namespace intro (injected) with two httpbin versions behind one Service, and a curl client.
# The single-version httpbin of L01 is removed so that "v1" means exactly the httpbin-v1 pod.
set -euo pipefail
# curl, the httpbin ServiceAccount and Service come from L01's solution; its single httpbin goes.
bash "$(dirname "$0")/../shared/intro-workloads.sh"
kubectl -n intro delete deployment httpbin --ignore-not-found
kubectl apply -n intro -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin-v1
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
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin-v2
spec:
  replicas: 1
  selector:
    matchLabels:
      app: httpbin
      version: v2
  template:
    metadata:
      labels:
        app: httpbin
        version: v2
    spec:
      serviceAccountName: httpbin
      containers:
        - name: httpbin
          image: docker.io/mccutchen/go-httpbin:v2.15.0
          ports:
            - containerPort: 8080
YAML
kubectl -n intro rollout status deploy/httpbin-v1 deploy/httpbin-v2 --timeout=180s
