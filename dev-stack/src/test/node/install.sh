#!/usr/bin/env bash
# Installs the Node packages that NodeClientInteropTest and KafkaJsInteropTest need into node_modules beside
# this script.
# Requires Node.js 20 or later and npm, with access to the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
