#!/usr/bin/env bash
# L08 needs namespace intro (L01: injected, httpbin and curl) plus a fortio load generator with a sidecar.
set -euo pipefail
kubectl create namespace intro --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace intro istio-injection=enabled --overwrite
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
      containers:
        - name: curl
          image: docker.io/curlimages/curl:8.16.0
          command: ["sleep", "infinity"]
YAML
kubectl -n intro rollout status deploy/httpbin deploy/curl --timeout=180s
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
kubectl -n intro delete gateway httpbin-gateway --ignore-not-found
kubectl -n intro delete virtualservice httpbin --ignore-not-found
kubectl -n intro delete destinationrule httpbin --ignore-not-found
