#!/usr/bin/env bash
# L09: namespace intro (injected) with two httpbin versions behind one Service, and a curl client.
# The single-version httpbin of L01 is removed so that "v1" means exactly the httpbin-v1 pod.
set -euo pipefail
kubectl create namespace intro --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace intro istio-injection=enabled --overwrite
kubectl -n intro delete deployment httpbin --ignore-not-found
kubectl -n intro delete gateway httpbin-gateway --ignore-not-found
kubectl -n intro delete virtualservice httpbin --ignore-not-found
kubectl -n intro delete destinationrule httpbin --ignore-not-found
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
kubectl -n intro rollout status deploy/httpbin-v1 deploy/httpbin-v2 deploy/curl --timeout=180s
