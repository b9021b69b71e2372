#!/usr/bin/env bash
# What a new user does, checked: in an empty directory, a Maven project whose dependencies are the README's lines
# (the ```xml block under "<!-- adoption: maven -->", taken from README.md) and whose code is the README's first
# example (HelloErgon.java), built against the installed Ergon and run with the README's java flags. Fails unless
# it builds, runs, and the process logs what the example says it does.
#
#   scripts/adoption-check.sh [--no-install]
#
# Without --no-install it runs scripts/install.sh first. The directory is a fresh mktemp -d, removed at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
[ "${1:-}" = "--no-install" ] || "$ROOT/scripts/install.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# the README's Maven lines: the xml block right after the adoption marker
deps="$(awk '/<!-- adoption: maven -->/ {m = 1; next} m == 1 && /^```xml$/ {m = 2; next} m == 2 && /^```$/ {exit} m == 2 {print}' \
  "$ROOT/README.md")"
[ -n "$deps" ] || { echo "adoption-check: no '<!-- adoption: maven -->' xml block in README.md" >&2; exit 1; }

cat > pom.xml <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>hello-ergon</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>21</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
$deps
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.0</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
src="$ROOT/ergon-examples/src/main/java/io/ergon/examples/readme/HelloErgon.java"
mkdir -p src/main/java/com/example
sed 's/^package .*;/package com.example;/' "$src" > src/main/java/com/example/HelloErgon.java

echo "adoption-check: building a new project in $WORK from the README's dependencies"
mvn -B -ntp -q package dependency:build-classpath -Dmdep.outputFile=cp.txt \
  || { echo "adoption-check: the project did not build" >&2; exit 1; }
out="$("$JAVA_HOME/bin/java" --add-opens java.base/java.lang=ALL-UNNAMED -cp "target/classes:$(cat cp.txt)" \
  com.example.HelloErgon 2>&1)" || { echo "$out" >&2; echo "adoption-check: the example failed" >&2; exit 1; }
if ! grep -q 'received hello' <<<"$out"; then
  echo "$out" >&2
  echo "adoption-check: the example ran but did not log 'received hello'" >&2
  exit 1
fi
if grep -q 'No SLF4J providers' <<<"$out"; then
  echo "adoption-check: the README's lines leave SLF4J without a provider" >&2
  exit 1
fi
echo "adoption-check: ok: the README's dependencies build and run its first example ($(grep -m1 'received hello' <<<"$out"))"
