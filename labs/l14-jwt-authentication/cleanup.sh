#!/usr/bin/env bash
# The lab's namespace, with its RequestAuthentication and AuthorizationPolicies, and step 5's
# policies on the ingress gateway.
set -euo pipefail
kubectl delete namespace foo --ignore-not-found --wait=false
bash "$(dirname "$0")/../shared/authz-reset.sh"
