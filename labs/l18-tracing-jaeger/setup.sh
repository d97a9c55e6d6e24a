#!/usr/bin/env bash
# Bookinfo without routing rules (reviews spreads over v1, v2 and v3), and without the mesh-wide tracing
# Telemetry of an earlier attempt, so step 1 starts from "no spans". httpbin and curl in intro (lab 1's
# end state) are where the trace-headers step reads what a sidecar adds to a request.
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
bash "$(dirname "$0")/../shared/intro-workloads.sh"
kubectl -n istio-system delete telemetry mesh-default --ignore-not-found
