#!/usr/bin/env bash
# Removes the Telemetry this lab adds; new series stop carrying request_host.
set -euo pipefail
kubectl -n default delete telemetry namespace-metrics --ignore-not-found
