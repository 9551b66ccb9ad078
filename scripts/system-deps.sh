#!/usr/bin/env bash
# Install what the tests need beyond Python: Debian's PostgreSQL server programs and Java 17.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "need root to run: $*" >&2; return 1; fi; }
missing=()
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
# Java 17 for the Spark linkage engine (pyspark starts a local JVM).
if ! command -v java >/dev/null; then
  missing+=(openjdk-17-jre-headless)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
