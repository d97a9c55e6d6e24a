#!/usr/bin/env bash
# Lab 1's end state: httpbin and curl in namespace intro, both with a sidecar, replayed from lab 1's
# own solutions. Routing objects other labs put on httpbin are removed, so each lab starts clean.
set -euo pipefail
bash "$(dirname "$0")/intro-namespace.sh"
bash "$(dirname "$0")/../l01-sidecar-injection/solutions/deploy-workloads.sh"
bash "$(dirname "$0")/sidecars.sh" intro
kubectl -n intro delete gateway httpbin-gateway --ignore-not-found
kubectl -n intro delete virtualservice httpbin --ignore-not-found
kubectl -n intro delete destinationrule httpbin --ignore-not-found
# The access-log lab's Telemetry would hide successful requests from the sidecars' logs.
kubectl -n intro delete telemetry access-log-errors --ignore-not-found
bash "$(dirname "$0")/authz-reset.sh"
