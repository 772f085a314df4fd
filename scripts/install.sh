#!/usr/bin/env bash
# Set up budgetmodel on a fresh machine: the system packages it needs (HTML-to-PDF through
# WeasyPrint needs Pango; the committee page is tested in Debian's headless Chromium and the
# workbooks are recalculated by headless LibreOffice), then a
# virtual environment in .venv with the package installed. `--test` adds the test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

need=()
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
if [ -n "$extras" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)  # recalculates the xlsx in tests
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "install.sh: missing system packages (run as root or install them): ${need[*]}" >&2
    exit 1
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
.venv/bin/python -m budgetmodel.jit >/dev/null  # compile the refund kernels ahead (numba's cache)
# bytecode written now, so a start never compiles the sources (also where PYTHONDONTWRITEBYTECODE is set);
# --help once writes the command index (cli/__pycache__/commands.json)
.venv/bin/python -m compileall -q src/budgetmodel >/dev/null
.venv/bin/budgetmodel --help >/dev/null
# the rate tables, the refund grid and the assumption files checked once and kept (budgetmodel/__pycache__/compiled)
.venv/bin/python -c "from budgetmodel.rates import load_rates; from budgetmodel.unitcost.passivity import load_passivity_assumptions; from budgetmodel.financing.shares import share_tables; share_tables(load_rates()); load_passivity_assumptions()"
# and the memo's templates compiled (budgetmodel/__pycache__/jinja-*)
.venv/bin/python -c "from budgetmodel.reports.render import compile_templates; compile_templates()"
echo "budgetmodel installed in .venv ($(.venv/bin/budgetmodel --version))"
