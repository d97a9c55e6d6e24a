#!/usr/bin/env bash
# Lab 3's end state, replayed from its solutions on a clean Bookinfo: subsets for every service and
# all traffic on v1. Faults, timeouts and load-balancing policies of other labs are gone with it.
set -euo pipefail
bash "$(dirname "$0")/bookinfo-reset.sh"
bash "$(dirname "$0")/../l03-subsets/solutions/destination-rules.sh"
bash "$(dirname "$0")/../l03-subsets/solutions/route-to-v1.sh"
