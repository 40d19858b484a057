#!/usr/bin/env bash
# Screenshot an HTML page or SVG image with headless Chromium, to look at
# what conflictdb renders (charts from `report --chart`, maps from
# `export --format html-map`).
#
#   scripts/screenshot.sh INPUT.(html|svg) OUTPUT.png [WIDTH,HEIGHT]
#
# The window defaults to 1200,900 for a page and to the image's own
# width/height for an SVG. Installs nothing: on Debian, `apt-get install
# chromium` first. The browser runs with networking features off; the pages
# conflictdb writes need no network anyway.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 INPUT.(html|svg) OUTPUT.png [WIDTH,HEIGHT]" >&2
    exit 2
fi
input=$1
output=$2
size=${3:-}

if [[ ! -f $input ]]; then
    echo "error: no such file: $input" >&2
    exit 1
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
        browser=$candidate
        break
    fi
done
if [[ -z $browser ]]; then
    echo "error: chromium is not installed (on Debian: apt-get install -y chromium)" >&2
    exit 1
fi

if [[ -z $size ]]; then
    size=1200,900
    if [[ $input == *.svg ]]; then
        # The root element's width and height, e.g. <svg width="960" height="540" ...>
        w=$(grep -o -m1 '<svg[^>]*' "$input" | grep -o ' width="[0-9]*"' | grep -o '[0-9]\+' || true)
        h=$(grep -o -m1 '<svg[^>]*' "$input" | grep -o ' height="[0-9]*"' | grep -o '[0-9]\+' || true)
        if [[ -n $w && -n $h ]]; then
            size=$w,$h
        fi
    fi
fi

abs_input=$(cd "$(dirname "$input")" && pwd)/$(basename "$input")
case $output in
    /*) abs_output=$output ;;
    *) abs_output=$(pwd)/$output ;;
esac
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$abs_output" --window-size="$size" "file://$abs_input" \
    >"$profile/log" 2>&1 || {
    cat "$profile/log" >&2
    echo "error: $browser failed" >&2
    exit 1
}
if [[ ! -s $abs_output ]]; then
    cat "$profile/log" >&2
    echo "error: no screenshot written to $abs_output" >&2
    exit 1
fi
echo "wrote $abs_output ($size)"
