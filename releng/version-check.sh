#!/usr/bin/env bash
# Checks that every version Tycho or OSGi needs written out agrees with its one source:
# - Tensorscope's version is the root pom's; each bundle's Bundle-Version, its exported packages, the ranges
#   our bundles import each other's packages with, each feature and the product follow it;
# - TensorFlow Java's and JavaCPP's versions are the root pom's tensorflow-java.version and javacpp.version
#   (the jars copied into org.tensorflow.core); that bundle's and its native fragments' versions, the packages
#   it exports, the fragments' Fragment-Host range, the feature's p2.inf ranges and the backend's imports follow;
# - third-party versions live in the target platform: the fuzz module (a plain Maven module) uses the same;
# - every bundle imports every package with a version range (the JRE's own packages aside) and no bundle
#   exports with x-friends: a bundle that needs another's classes uses its versioned API package.
# To move a version, change its source and what this check names (Tycho's tycho-versions-plugin set-version
# rewrites the poms, manifests, features and product of a new Tensorscope version).
# Usage: version-check.sh ROOT (run by the root pom at validate)
set -u
root=${1:?usage: version-check.sh ROOT}
cd "$root" || exit 2
problems=0
fail() { echo "version-check: $*" >&2; problems=$((problems + 1)); }

# a manifest with its continuation lines joined, one header per line
manifest() { awk '/^ /{ sub(/^ /, ""); line = line $0; next } { if (line != "") print line; line = $0 } END { print line }' "$1"; }
header() { manifest "$1" | sed -n "s/^$2: *//p"; }
property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
# the version of a pom's own project (the one after its artifactId, not its parent's)
pom_version() { awk '/<parent>/,/<\/parent>/ { next } /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' "$1"; }
next_minor() { local major=${1%%.*} rest=${1#*.}; echo "$major.$(( ${rest%%.*} + 1 ))"; }

project=$(pom_version pom.xml)
version=${project%-SNAPSHOT}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "root pom version '$project' is not x.y.z-SNAPSHOT"
own_range="[${version%.*},$(next_minor "$version"))"
tf=$(property tensorflow-java.version)
javacpp=$(property javacpp.version)
tf_range="[$tf,$(next_minor "$tf").0)"
tf_import_range="[${tf%.*},$(next_minor "$tf"))"

for mf in bundles/*/META-INF/MANIFEST.MF examples/*/META-INF/MANIFEST.MF benchmarks/*/META-INF/MANIFEST.MF; do
    [ -f "$mf" ] || continue
    name=$(header "$mf" Bundle-SymbolicName); name=${name%%;*}
    bundle_version=$(header "$mf" Bundle-Version)
    imports=$(header "$mf" Import-Package)
    header "$mf" Export-Package | grep -q 'x-friends' && fail "$mf: exports with x-friends; export a versioned API package instead"
    # quoted values (version ranges) hold commas: take them out before splitting at the commas between packages
    for import in $(sed 's/"[^"]*"/R/g' <<<"$imports" | tr ',' ' '); do
        case $import in java.*|javax.*|sun.*|org.w3c.*|org.xml.*|*version=*) ;;
        *) fail "$mf: imports ${import%%;*} without a version range" ;;
        esac
    done
    case $name in
    org.tensorscope.*)
        [ "$bundle_version" = "$version.qualifier" ] || fail "$mf: Bundle-Version $bundle_version, not $version.qualifier"
        for export in $(header "$mf" Export-Package | grep -o 'org\.tensorscope[A-Za-z0-9_.]*;version="[^"]*"'); do
            [ "${export#*;version=}" = "\"$version\"" ] || fail "$mf: exports $export, not version \"$version\""
        done
        for import in $(grep -o 'org\.tensorscope[A-Za-z0-9_.]*;version="[^"]*"' <<<"$imports"); do
            case $import in *.internal*) continue ;; esac # not API: exported without a version
            [ "${import#*;version=}" = "\"$own_range\"" ] || fail "$mf: imports $import, not version=\"$own_range\""
        done
        if [ "$name" = org.tensorscope.tensorflow ]; then
            for import in $(grep -o 'org\.tensorflow\.[A-Za-z0-9_.]*;version="[^"]*"\|org\.tensorflow;version="[^"]*"' <<<"$imports"); do
                case $import in org.tensorflow.ndarray*) continue ;; esac
                [ "${import#*;version=}" = "\"$tf_import_range\"" ] || fail "$mf: imports $import, not version=\"$tf_import_range\" (TensorFlow Java $tf)"
            done
            grep -q "org\.bytedeco\.javacpp;version=\"\[$javacpp," <<<"$imports" || fail "$mf: does not import org.bytedeco.javacpp from $javacpp"
        fi
        ;;
    org.tensorflow.core*)
        dir=${mf%/META-INF/MANIFEST.MF}
        [ "$bundle_version" = "$tf.qualifier" ] || fail "$mf: Bundle-Version $bundle_version, not $tf.qualifier (tensorflow-java.version)"
        [ "$(pom_version "$dir/pom.xml")" = "$tf-SNAPSHOT" ] || fail "$dir/pom.xml: version $(pom_version "$dir/pom.xml"), not $tf-SNAPSHOT"
        host=$(header "$mf" Fragment-Host)
        if [ -n "$host" ]; then
            [ "$host" = "org.tensorflow.core;bundle-version=\"$tf_range\"" ] || fail "$mf: Fragment-Host $host, not bundle-version=\"$tf_range\""
        fi
        for export in $(header "$mf" Export-Package | grep -o '[A-Za-z0-9_.]*;version="[^"]*"'); do
            case $export in
            org.tensorflow*) [ "${export#*;version=}" = "\"$tf\"" ] || fail "$mf: exports $export, not version \"$tf\"" ;;
            org.bytedeco*) [ "${export#*;version=}" = "\"$javacpp\"" ] || fail "$mf: exports $export, not version \"$javacpp\"" ;;
            esac
        done
        ;;
    esac
done

for feature in features/*/feature.xml examples/*/feature.xml; do
    [ -f "$feature" ] || continue
    grep -q "<feature [^>]*version=\"$version\.qualifier\"" "$feature" || fail "$feature: feature version is not $version.qualifier"
done
grep -q "<product [^>]*version=\"$version\.qualifier\"" product/tensorscope.product || fail "product/tensorscope.product: version is not $version.qualifier"

for range in $(sed -n 's/^requires\.[0-9]*\.range *= *//p' features/org.tensorscope.tensorflow.feature/p2.inf); do
    [ "$range" = "$tf_range" ] || fail "features/org.tensorscope.tensorflow.feature/p2.inf: range $range, not $tf_range"
done

target=releng/org.tensorscope.target/org.tensorscope.target.target
protobuf=$(grep -o '<artifactId>protobuf-java</artifactId><version>[^<]*' "$target" | sed 's:.*<version>::')
pinned=$(sed -n 's:.*<plugin id="com.google.protobuf" version="\([^"]*\)".*:\1:p' features/org.tensorscope.tensorflow.feature/feature.xml)
[ "$pinned" = "$protobuf" ] || fail "features/org.tensorscope.tensorflow.feature/feature.xml: protobuf $pinned, the target platform has $protobuf"
fuzz=fuzz/org.tensorscope.fuzz/pom.xml
while read -r group artifact used; do
    pinned=$(grep -o "<groupId>$group</groupId><artifactId>$artifact</artifactId><version>[^<]*</version>" "$target" | sed 's:.*<version>\(.*\)</version>:\1:' | sort -u)
    [ -z "$pinned" ] || grep -qx "$used" <<<"$pinned" || fail "$fuzz: $group:$artifact $used, the target platform has $pinned"
done < <(grep -o '<groupId>[^<]*</groupId><artifactId>[^<]*</artifactId><version>[^<$]*</version>' "$fuzz" \
    | sed 's:<groupId>\(.*\)</groupId><artifactId>\(.*\)</artifactId><version>\(.*\)</version>:\1 \2 \3:')

if [ "$problems" -gt 0 ]; then
    echo "version-check: $problems version(s) disagree with their source (root pom.xml, the target platform)" >&2
    exit 1
fi
echo "version-check: Tensorscope $version, TensorFlow Java $tf, JavaCPP $javacpp agree everywhere"
