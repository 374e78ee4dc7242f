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
mkdir -p "$dest/hls" "$dest/echarts" "$dest/swagger-ui"
cp node_modules/hls.js/dist/hls.min.js "$dest/hls/"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts/"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
  "$dest/swagger-ui/"
