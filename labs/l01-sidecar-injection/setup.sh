#!/usr/bin/env bash
# L01 starts from the baseline cluster; make sure an earlier attempt left nothing behind.
set -euo pipefail
kubectl delete namespace intro manual --ignore-not-found --wait=true
