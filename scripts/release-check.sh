#!/usr/bin/env bash
# Deploys every published module to a local file repository (mvn -Prelease deploy) and checks what Maven Central
# would check before accepting it, signatures aside: for each artifact a pom with name, description, url, licenses,
# developers and scm (its own or its parent's), and beside each jar a sources jar and a Javadoc jar; checksums for
# every file; the BOM's version equal to the parent's and naming only modules that were published.
#
#   scripts/release-check.sh [REPO_DIR]     (default: target/release-repo; emptied first)
#
# Needs Maven Central for the source and Javadoc plugins on first use. Exits non-zero, naming each problem, if any
# check fails. It does not publish anything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
REPO="${1:-$ROOT/target/release-repo}"
case "$REPO" in /*) ;; *) REPO="$PWD/$REPO" ;; esac
rm -rf "$REPO"
mkdir -p "$REPO"
echo "release-check: deploying to $REPO"
(cd "$ROOT" && mvn -B -ntp -q -Prelease -DskipTests deploy -DaltDeploymentRepository="local::file://$REPO") \
  || { echo "release-check: mvn deploy failed" >&2; exit 1; }

problems=0
problem() { echo "release-check: $*" >&2; problems=$((problems + 1)); }

version=$(sed -n '/<artifactId>ergon-parent<\/artifactId>/{n;s|.*<version>\(.*\)</version>.*|\1|p;q}' "$ROOT/pom.xml")
[ -n "$version" ] || { echo "release-check: cannot read the project's version" >&2; exit 1; }
bom_version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/ergon-bom/pom.xml" | head -1)
[ "$bom_version" = "$version" ] || problem "ergon-bom's version $bom_version differs from the parent's $version"

# has TAG POM...: true if one of the poms has the element
has() { local tag="$1"; shift; grep -q "<$tag>" "$@" 2>/dev/null; }

published=()
for dir in "$REPO"/io/ergon/*/"$version"; do
  [ -d "$dir" ] || continue
  artifact=$(basename "$(dirname "$dir")")
  published+=("$artifact")
  pom=$(ls "$dir"/"$artifact"-*.pom | head -1)
  parent_pom=$(ls "$REPO"/io/ergon/ergon-parent/"$version"/ergon-parent-*.pom 2>/dev/null | head -1)
  poms=("$pom")
  grep -q "<artifactId>ergon-parent</artifactId>" "$pom" && [ -n "$parent_pom" ] && poms+=("$parent_pom")
  for tag in name description url licenses developers scm; do
    has "$tag" "${poms[@]}" || problem "$artifact: the pom (and its parent) has no <$tag>"
  done
  if ls "$dir"/*.jar >/dev/null 2>&1; then
    base=$(basename "$pom" .pom)
    for kind in sources javadoc; do
      [ -f "$dir/$base-$kind.jar" ] || problem "$artifact: no $kind jar ($base-$kind.jar)"
    done
  fi
  for f in "$dir"/*.pom "$dir"/*.jar; do
    [ -f "$f" ] || continue
    for sum in md5 sha1; do
      [ -f "$f.$sum" ] || problem "$artifact: no .$sum for $(basename "$f")"
    done
  done
done
[ ${#published[@]} -gt 0 ] || problem "nothing was deployed under io/ergon/*/$version"
for managed in $(sed -n 's|.*<artifactId>\(ergon-[a-z-]*\)</artifactId>.*|\1|p' "$ROOT/ergon-bom/pom.xml" | grep -v '^ergon-bom$'); do
  printf '%s\n' "${published[@]}" | grep -qx "$managed" || problem "ergon-bom names $managed, which was not deployed"
done

if [ "$problems" -gt 0 ]; then
  echo "release-check: $problems problem(s)" >&2
  exit 1
fi
echo "release-check: ok: ${published[*]} ($version) have what Central requires (signatures aside)"
