#!/usr/bin/env bash
# httpbin and curl in namespace intro with sidecars (lab 1's end state), without this lab's Telemetry
# (intro-workloads.sh removes it, like every lab that starts from intro).
set -euo pipefail
bash "$(dirname "$0")/../shared/intro-workloads.sh"
kubectl -n intro rollout status deploy/httpbin deploy/curl --timeout=180s
