#!/usr/bin/env bash
# Installs playwright-core into node_modules beside this script for DashboardBrowserTest.
# Requires Node.js 20 or later and npm, with access to the npm registry. playwright-core downloads no
# browser: the test drives Debian's /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
