#!/usr/bin/env bash
# The offline stand-in for an external API at http://api.example.com, and a curl client with a
# sidecar in namespace default (labs 11 and 12).
set -euo pipefail
# go-httpbin in namespace external, without a sidecar. Its Service has a fixed ClusterIP and is hidden
# from the mesh (exportTo "~"), so to every sidecar that IP is just an address outside the mesh.
# CoreDNS answers api.example.com with that IP (hosts block below). A namespace an earlier cleanup
# deleted may still be Terminating; the API server refuses new objects in it until it is gone.
if [ "$(kubectl get namespace external -o jsonpath='{.status.phase}' --ignore-not-found)" = Terminating ]; then kubectl wait --for=delete namespace/external --timeout=180s; fi
kubectl create namespace external --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace external istio-injection=disabled --overwrite
kubectl apply -n external -f - <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: fake-api
  labels:
    app: fake-api
  annotations:
    networking.istio.io/exportTo: "~"
spec:
  clusterIP: 10.96.200.200
  selector:
    app: fake-api
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fake-api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: fake-api
  template:
    metadata:
      labels:
        app: fake-api
        sidecar.istio.io/inject: "false"
    spec:
      containers:
        - name: httpbin
          image: docker.io/mccutchen/go-httpbin:v2.15.0
          ports:
            - containerPort: 8080
YAML
kubectl -n external rollout status deploy/fake-api --timeout=180s
# Add the hosts block to the CoreDNS configuration once (needs jq, as in the toolbox), then restart CoreDNS.
kubectl -n kube-system get configmap coredns -o json | jq '.data.Corefile |= (if test("api.example.com") then . else sub("ready\n"; "ready\n    hosts {\n       10.96.200.200 api.example.com\n       fallthrough\n    }\n") end)' | kubectl replace -f -
kubectl -n kube-system rollout restart deploy/coredns
kubectl -n kube-system rollout status deploy/coredns --timeout=120s
# The client, in Bookinfo's namespace (injection on).
kubectl apply -n default -f - <<'YAML'
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
kubectl -n default rollout status deploy/curl --timeout=180s
