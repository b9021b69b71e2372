#!/usr/bin/env bash
# Installs every Ergon module into the local Maven repository (~/.m2), tests skipped, with a JDK >= 21 found by
# scripts/jdk.sh: what a project that depends on Ergon needs until Ergon is on Maven Central.
# Extra arguments go to Maven, e.g. scripts/install.sh -Dmaven.repo.local=/tmp/repo
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
mvn -B -ntp -q install -DskipTests "$@"
echo "install: io.ergon:* $(sed -n '/<artifactId>ergon-parent<\/artifactId>/{n;s|.*<version>\(.*\)</version>.*|\1|p;q}' pom.xml) installed"
