#!/usr/bin/env bash
# L07 uses L03's end state for Bookinfo and L01's for the retry steps (httpbin and curl in intro).
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-v1.sh"
bash "$(dirname "$0")/../shared/intro-workloads.sh"
