#!/usr/bin/env bash
# Installs everything `assess` needs on a fresh Debian/Ubuntu machine, then runs the main job
# on the built-in example: the assessment of examples/criminal-guangdong.yaml and its legal
# opinion as a PDF in out/.
#   bash scripts/setup.sh            # install + run the example
#   bash scripts/setup.sh --no-demo  # install only (used by .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

# System packages: a CJK font with a real bold (fonts-noto-cjk), HarfBuzz subsetting (without
# it PDF rendering is 20-50x slower), WeasyPrint's Pango, poppler-utils (pdftoppm) and tmux for
# the tests, gcc for durable-rules (it ships only C sources).
PKGS="fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils tmux gcc"
# LibreOffice Writer without GUI: tests/test_docx.py converts the .docx documents with it.
PKGS="$PKGS libreoffice-writer-nogui"
# chromium: the web app's browser tests drive Debian's chromium with Playwright (pip), whose own
# browser download is not used
PKGS="$PKGS chromium"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'

if [ "${1:-}" != "--no-demo" ]; then
  mkdir -p out
  assess evaluate examples/criminal-guangdong.yaml --as-of 2026-01-15
  if assess opinion --help >/dev/null 2>&1; then
    assess opinion examples/criminal-guangdong.yaml --as-of 2026-01-15 -o out/opinion.pdf --force
    echo "opinion written to out/opinion.pdf"
  fi
fi
