#!/usr/bin/env bash
# The lab's namespace, with its RequestAuthentication and AuthorizationPolicies.
set -euo pipefail
kubectl delete namespace foo --ignore-not-found --wait=false
