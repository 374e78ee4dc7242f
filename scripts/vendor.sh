#!/bin/sh
# Copy the front-end packages installed by npm into the static folder (no CDN at run time).
set -eu
dest="$1"
rm -rf "$dest"
mkdir -p "$dest/bootstrap" "$dest/htmx"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
mkdir -p "$dest/tus"
cp node_modules/tus-js-client/dist/tus.min.js "$dest/tus/"
