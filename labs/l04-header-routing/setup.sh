#!/usr/bin/env bash
# Starts where L03 ends: subsets for every service and all traffic on v1, replayed from L03's solutions.
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-v1.sh"
