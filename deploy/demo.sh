#!/usr/bin/env bash
# Installs what is missing, builds, and runs Luot on the demo centre
# (SQLite, deploy/config/demo.toml) at http://127.0.0.1:8080.
# Usage: deploy/demo.sh [--port N] [--keep-data]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

port=8080
keep_data=no
while (($#)); do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --keep-data) keep_data=yes; shift ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

deploy/install-deps.sh
cmake --preset release >/dev/null
# The demo needs the programs only, not the test suites; the hall display
# and the kiosk only where there is a screen to show them on.
targets=(luot-server)
graphical=no
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  graphical=yes
  targets+=(luot-display luot-dispenser)
fi
cmake --build --preset release -j "$(nproc)" --target "${targets[@]}"

data=build/demo-data
mkdir -p "$data"
[[ $keep_data == yes ]] || rm -f "$data"/luot-demo.db*

base="http://127.0.0.1:$port"
cat <<TXT

Luot demo centre: Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội
  Server:    $base   (Ctrl-C stops it; data in $data/luot-demo.db)
  State:     curl -s $base/api/v1/view
  Health:    curl -s $base/readyz ; curl -s $base/metrics

Try a citizen's turn (categories: LDVL NCC BTXH GDNN TE TKQ):
  curl -s -X POST $base/api/v1/tickets -d '{"category":"LDVL"}'
  curl -s -X POST $base/api/v1/tickets -d '{"category":"NCC","priorityClass":"cao-tuoi"}'
An officer signs in to counter 1 (password lan-2026) and calls it:
  TOKEN=\$(curl -s -X POST $base/api/v1/sessions \\
      -d '{"username":"lan","password":"lan-2026","counter":"1"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
  curl -s -X POST -H "Authorization: Bearer \$TOKEN" $base/api/v1/counters/1/call-next
  curl -s -X POST -H "Authorization: Bearer \$TOKEN" $base/api/v1/counters/1/finish -d '{"outcome":"tiep-nhan"}'
Web pages (Vietnamese, with an English toggle):
  Officer console:  $base/counter      (lan / lan-2026 at counter 1)
  Hall board:       $base/board
  Manager:          $base/manage       (quanly / quanly-2026)
  A ticket's page:  $base/t/<statusToken from the take-ticket reply>
Opening hours are ignored in the demo (--always-open) so it works at any hour.

TXT
tickets="$data/kiosk-tickets.escpos"
if [[ $graphical == yes ]]; then
  # Both keep retrying until the server below is listening.
  build/release/display/luot-display --server "$base" --token demo-display-hall-1-token \
    --size 1280x720 --state-dir "$data/display" \
    --ticker "Đường dây nóng: 0236 3822 123 • Giờ làm việc: sáng 7:30–11:30, chiều 13:30–17:00" \
    >"$data/display.log" 2>&1 &
  build/release/dispenser/luot-dispenser --server "$base" --token demo-kiosk-1-token-2026 \
    --printer "file:$tickets" --state-dir "$data/kiosk-state" --hotline "0236 3822 123" \
    --size 720x1280 >"$data/kiosk.log" 2>&1 &
  echo "  Display:   a window shows the hall board (log: $data/display.log)"
  echo "  Kiosk:     a touch-screen window; printed tickets are appended to $tickets"
  trap 'kill $(jobs -p) 2>/dev/null' EXIT
else
  echo "  No graphical session here, so no display or kiosk window. On a desktop:"
  echo "    cmake --build --preset release --target luot-display luot-dispenser"
  echo "    build/release/display/luot-display --server $base --token demo-display-hall-1-token"
  echo "    build/release/dispenser/luot-dispenser --server $base --token demo-kiosk-1-token-2026 --printer file:$tickets"
  echo "  or draw one frame: ... --screenshot board.png"
fi
build/release/server/app/luot-server --config deploy/config/demo.toml \
  --database "$data/luot-demo.db" --port "$port" --always-open
