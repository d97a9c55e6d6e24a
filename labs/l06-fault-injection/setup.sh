#!/usr/bin/env bash
# L06 starts where L04 ends: L03's subsets and v1 routes, then jason to reviews v2 (which calls ratings).
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-v1.sh"
bash "$(dirname "$0")/../l04-header-routing/solutions/route-jason.sh"
