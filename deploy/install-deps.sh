#!/usr/bin/env bash
# Installs exactly the Debian 12 packages Luot needs to build, test and run.
# Idempotent: only missing packages are installed; runs as root or through sudo.
set -euo pipefail

packages=(
  # Toolchain and build.
  build-essential cmake ninja-build ccache pkg-config git clang-format
  # Networking: Boost 1.81 for the newer Beast/Asio (header-only parts).
  libboost1.81-dev
  # The wire contract.
  libprotobuf-dev protobuf-compiler
  # Sanitizers and fuzzing: the `asan` and `tsan` presets build with clang;
  # libclang-rt-14-dev holds the ASan/UBSan/TSan runtimes and libFuzzer.
  clang libclang-rt-14-dev
  # Unicode: text from outside is validated and put into NFC.
  libicu-dev
  # TLS (HTTPS/WSS) for the server and the devices; the system's CA store,
  # which devices trust when no --ca-file is given.
  libssl-dev ca-certificates
  # Storage, configuration, command line, logging.
  libsqlite3-dev sqlite3 libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  # The PostgreSQL event store (libpq) and the PostgreSQL 15 server its
  # tests start themselves in a temporary directory.
  libpq-dev postgresql-15
  # Password hashing (argon2id) and secure random tokens.
  libsodium-dev
  # The server's memory allocator (see server/app/CMakeLists.txt).
  libjemalloc-dev
  # Time zones (the centre's service day).
  libhowardhinnant-date-dev tzdata
  # Tests: GoogleTest; promtool (from prometheus) checks /metrics independently.
  libgtest-dev libgmock-dev curl prometheus
  # Hall display and kiosk: SDL2 windows, text (HarfBuzz) and sound; PNG
  # screenshots; fonts that cover Vietnamese; QR codes on tickets; the
  # Vietnamese voice.
  libsdl2-dev libsdl2-ttf-dev libpng-dev fonts-dejavu-core fonts-noto-core
  libqrencode-dev espeak-ng libespeak-ng-dev
  # Seeing what a person sees, in tests: OCR with Vietnamese data, QR
  # decoding, audio measurement, a virtual X server.
  tesseract-ocr tesseract-ocr-vie zbar-tools sox xvfb xauth imagemagick
  # The web pages are tested in a real browser (driven by playwright-core).
  chromium
)

# Node runs the independent checkers under tests/tools (the ESC/POS parser,
# the browser driver). Machines that already have a Node.js with npm (e.g.
# from NodeSource, which conflicts with Debian's npm) keep it.
if ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty or stale on a fresh machine.
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
