#!/usr/bin/env bash
# Namespace intro, labelled for injection. A namespace deleted by an earlier cleanup stays Terminating
# for a while and the API server refuses new objects in it, so wait until it is gone first.
set -euo pipefail
if [ "$(kubectl get namespace intro -o jsonpath='{.status.phase}' --ignore-not-found)" = Terminating ]; then kubectl wait --for=delete namespace/intro --timeout=180s; fi
kubectl create namespace intro --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace intro istio-injection=enabled --overwrite
