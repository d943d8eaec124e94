#!/usr/bin/env bash
# Builds and runs one libFuzzer target of Fahras.
#
#   Fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
#   Fuzz/run.sh build TARGET          # build only
#   Fuzz/run.sh repro TARGET FILE...  # run the target on saved inputs (crashers) once
#
# TARGET: query | analyzer | reader | segment. Needs swiftc with -sanitize=fuzzer (the Linux
# toolchain ships libFuzzer). The modules a target needs are compiled straight from Sources/ with
# swiftc (one object per module, whole-module, -O, AddressSanitizer + fuzzer coverage) into
# $FUZZ_BUILD (default /tmp/fahras-fuzz); the package's .build is never touched.
# New corpus entries go to $FUZZ_WORK/TARGET (default /tmp/fahras-fuzz/corpus-TARGET), seeded from
# Fuzz/corpus/TARGET; crashes are written to Fuzz/crashers/TARGET-*.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
BUILD="${FUZZ_BUILD:-/tmp/fahras-fuzz}"
[ "${FUZZ_EXCLUSIVITY:-unchecked}" = checked ] && BUILD="$BUILD-checked"
FLAGS=(-O -g -parse-as-library -sanitize=fuzzer,address)

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage

mode=run
case "$1" in
  build) mode=build; shift ;;
  repro) mode=repro; shift ;;
esac
[ $# -ge 1 ] || usage
target="$1"; shift

case "$target" in
  query)    modules=(FahrasQuery);                                           source=QueryParserFuzz.swift ;;
  analyzer) modules=(FahrasText);                                            source=AnalyzerFuzz.swift ;;
  reader)   modules=(FahrasStorage FahrasText FahrasIndex FahrasIngest);     source=DocumentReaderFuzz.swift ;;
  segment)  modules=(FahrasStorage FahrasText FahrasQuery FahrasIndex FahrasSearch FahrasIngest)
            source=SegmentFuzz.swift ;;
  *) echo "unknown target '$target' (query, analyzer, reader, segment)" >&2; exit 2 ;;
esac

mkdir -p "$BUILD"
objects=()
# C targets (Sources/C*/ with include/): compiled with clang, imported through a module map.
for c in "$REPO"/Sources/C*; do
  [ -d "$c/include" ] || continue
  m="$(basename "$c")"
  mkdir -p "$BUILD/$m"
  printf 'module %s {\n' "$m" > "$BUILD/$m/module.modulemap"
  for h in "$c"/include/*.h; do printf '  header "%s"\n' "$h" >> "$BUILD/$m/module.modulemap"; done
  printf '  export *\n}\n' >> "$BUILD/$m/module.modulemap"
  for src in "$c"/*.c; do
    obj="$BUILD/$m-$(basename "$src" .c).o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then
      echo "fuzz: compiling $m/$(basename "$src")" >&2
      clang -O2 -g -fsanitize=fuzzer-no-link,address -I "$c/include" -c "$src" -o "$obj"
    fi
    objects+=("$obj")
  done
  FLAGS+=(-I "$BUILD/$m")
done
# One object per Swift module (listed in dependency order), rebuilt when a source file of the module,
# or the object of a module listed before it, is newer than it.
for m in "${modules[@]}"; do
  obj="$BUILD/$m.o"
  stale=""
  for o in "${objects[@]}"; do [ "$o" -nt "$obj" ] && stale=1; done
  if [ ! -f "$obj" ] || [ -n "$stale" ] || [ -n "$(find "$REPO/Sources/$m" -name '*.swift' -newer "$obj" | head -1)" ]; then
    echo "fuzz: compiling $m" >&2
    extra=()
    # As in Package.swift: the hot-path modules drop the runtime exclusivity checks
    # (FUZZ_EXCLUSIVITY=checked keeps them, which finds overlapping inout accesses).
    case "$m" in
      FahrasStorage|FahrasText|FahrasIndex|FahrasSearch)
        [ "${FUZZ_EXCLUSIVITY:-unchecked}" = unchecked ] && extra=(-enforce-exclusivity=unchecked) ;;
    esac
    swiftc "${FLAGS[@]}" "${extra[@]}" -wmo -module-name "$m" -I "$BUILD" \
      -emit-module -emit-module-path "$BUILD/$m.swiftmodule" -emit-object -o "$obj" \
      "$REPO"/Sources/"$m"/*.swift 2> >(grep -v 'warning:' >&2)
  fi
  objects+=("$obj")
done
binary="$BUILD/fuzz-$target"
if [ ! -x "$binary" ] || [ "$HERE/$source" -nt "$binary" ] || [ -n "$(find "${objects[@]}" -newer "$binary" | head -1)" ]; then
  echo "fuzz: linking $binary" >&2
  swiftc "${FLAGS[@]}" -module-name "Fuzz_$target" -I "$BUILD" "$HERE/$source" "${objects[@]}" -o "$binary" \
    2> >(grep -v -e 'Cannot export local symbol' -e 'warning:' >&2 || true)
fi
[ "$mode" = build ] && { echo "$binary"; exit 0; }

# Remove the scratch folders of segment fuzzers that are no longer running.
for d in /tmp/fahras-fuzz-segment-*; do
  [ -d "$d" ] || continue
  pid="${d##*-}"
  kill -0 "$pid" 2>/dev/null || rm -rf "$d"
done

if [ "$mode" = repro ]; then
  exec "$binary" -runs=1 "$@"
fi

seconds="${1:-120}"; [ $# -ge 1 ] && shift
work="${FUZZ_WORK:-$BUILD}/corpus-$target"
mkdir -p "$work" "$HERE/crashers"
seeds="$HERE/corpus/$target"
dict=()
[ -f "$HERE/$target.dict" ] && dict=(-dict="$HERE/$target.dict")
max_len=4096
[ "$target" = segment ] && max_len=65536
[ "$target" = reader ] && max_len=16384
echo "fuzz: $target for ${seconds}s (corpus $work, seeds $seeds)" >&2
"$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=3072 \
  -print_final_stats=1 -artifact_prefix="$HERE/crashers/$target-" "${dict[@]}" "$@" "$work" "$seeds"
