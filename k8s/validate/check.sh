#!/usr/bin/env bash
# Renders k8s/overlays/dev and k8s/overlays/prod with kubectl's kustomize and validates every object against the
# Kubernetes, CloudNativePG and Prometheus Operator schemas plus this deployment's rules (validate.mjs), including
# the alerting rules with promtool where it is installed (Debian: prometheus). Run by ./mvnw verify.
# Needs kubectl (Debian: kubernetes-client) and Node.js with npm. Without them the check is skipped with a
# warning, unless OVERSIGHT_REQUIRE_K8S_CHECK=true (CI sets it), when it fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
k8s="$(dirname "$here")"
missing=()
for tool in kubectl node npm; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${OVERSIGHT_REQUIRE_K8S_CHECK:-false}" = "true" ]; then
    echo "k8s check: ${missing[*]} not found (apt-get install kubernetes-client nodejs npm)" >&2
    exit 1
  fi
  echo "WARNING: k8s manifests NOT validated: ${missing[*]} not found (apt-get install kubernetes-client nodejs npm)" >&2
  exit 0
fi
if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$here/node_modules"
fi
for overlay in dev prod; do
  kubectl kustomize "$k8s/overlays/$overlay" | node "$here/validate.mjs" "$overlay"
done
