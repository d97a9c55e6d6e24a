#!/usr/bin/env bash
# Step label-namespace: the injector webhook now mutates new pods in intro.
set -euo pipefail
kubectl label namespace intro istio-injection=enabled --overwrite
