#!/usr/bin/env bash
# L02 starts where L01 ends: namespace intro, injected, with httpbin and curl running with sidecars.
set -euo pipefail
bash "$(dirname "$0")/../shared/intro-workloads.sh"
