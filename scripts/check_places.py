#!/usr/bin/env python3
"""Validate the gazetteer files under data/places/ (format: data/README.md).

    python3 scripts/check_places.py            # errors make the exit status 1
    python3 scripts/check_places.py -v         # also list alias collisions
    python3 scripts/check_places.py --require "Alep" "Deir Ezzor" ...

Checks: header and 13 columns on every row; key syntax and uniqueness across
all files (a curated row may repeat a gn: key of geonames.tsv: that is an
override, counted, not an error); kinds; ISO country codes; numeric lat/lon,
inside a rough bounding box for the countries listed in BBOX; geonames_id
consistent with a gn: key; population numeric; parent keys that exist;
aliases not empty, not repeated, not equal to the name. Also looks up a list
of names (case- and accent-insensitive) that must resolve to some place.
Standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "data" / "places"
HEADER = ["key", "name", "kind", "country", "admin1", "admin2", "lat", "lon",
          "geonames_id", "parent", "population", "aliases", "source"]
KINDS = {"country", "admin1", "admin2", "city", "town", "village",
         "neighbourhood", "site", "region"}
KEY_RE = re.compile(r"^(gn:\d+|[a-z]{2}(/[a-z0-9]+(-[a-z0-9]+)*)+)$")

# rough (lat_min, lat_max, lon_min, lon_max), a little generous
BBOX = {
    "SY": (32.2, 37.5, 35.5, 42.5), "IQ": (29.0, 37.5, 38.7, 48.9),
    "LB": (33.0, 34.8, 35.0, 36.7), "YE": (12.0, 19.1, 41.8, 54.7),
    "PS": (31.2, 32.6, 34.2, 35.6), "IL": (29.4, 33.4, 34.2, 35.95),
    "LY": (19.4, 33.3, 9.3, 25.2), "JO": (29.1, 33.4, 34.9, 39.4),
    "TR": (35.8, 42.2, 25.6, 44.9), "EG": (21.9, 31.7, 24.6, 36.9),
    "SA": (16.3, 32.2, 34.5, 55.7), "IR": (25.0, 39.8, 44.0, 63.4),
}

DEFAULT_REQUIRED = [
    "Alep", "Aleppo", "Hanano", "caserne Hanano", "Zahra", "Mayçaloune",
    "Sayed Ali", "al-Maïdane", "Aziziyyé", "Jamiliyyé", "Alep al-Jadidé",
    "seïf el-dawlé", "Sulaymaniyah", "Sayyed Ali", "Homs", "Soukhna",
    "Deir Ezzor", "Daraa", "Damas", "Yarmouk", "Harasta", "Wafidine",
    "Bab Touma", "Ech Warwar", "Khazan", "Deir Mama", "Tartous", "Jabléh",
    "al-Qusayr", "al-Sakhour", "al-Mansoura", "Dara Azza", "al-Atarib",
    "al-Raii",
]


def fold(s: str) -> str:
    """Lowercase, no accents, apostrophes and hyphens as spaces."""
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = re.sub(r"[\u2018\u2019\u02bb\u02bc\u02bf\u02be`\u00b4'\-.]", " ", s.lower())
    return " ".join(s.split())


def files() -> list[Path]:
    out = []
    for name in ("geonames.tsv", "countries.tsv"):
        if (PLACES / name).exists():
            out.append(PLACES / name)
    out += sorted((PLACES / "curated").glob("*.tsv"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--require", nargs="*", default=None,
                    help="names that must be a name or alias somewhere")
    args = ap.parse_args()

    errors: list[str] = []
    warnings: list[str] = []
    rows_by_key: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    counts = {}

    generated_keys = set()
    gen = PLACES / "geonames.tsv"
    if gen.exists():
        for line in gen.read_text(encoding="utf-8").split("\n"):
            if line and not line.startswith("#") and not line.startswith("key\t"):
                generated_keys.add(line.split("\t", 1)[0])

    for path in files():
        rel = path.relative_to(ROOT)
        curated = path.parent.name == "curated"
        header_seen = False
        n = 0
        keys_here = set()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if line == "" or line.startswith("#"):
                continue
            cells = line.split("\t")
            if not header_seen:
                if cells != HEADER:
                    errors.append(f"{rel}:{lineno}: bad header {cells}")
                header_seen = True
                continue
            where = f"{rel}:{lineno}"
            if len(cells) != 13:
                errors.append(f"{where}: {len(cells)} columns instead of 13")
                continue
            r = dict(zip(HEADER, cells))
            n += 1
            k = r["key"]
            # a curated row repeating a generated gn: key only needs the cells
            # it overrides (data/README.md); empty cells are inherited
            partial = curated and k in generated_keys
            if not KEY_RE.match(k):
                errors.append(f"{where}: bad key {k!r}")
            if k in keys_here:
                errors.append(f"{where}: key {k} repeated in the same file")
            keys_here.add(k)
            if not r["name"].strip() and not partial:
                errors.append(f"{where}: empty name")
            if r["kind"] not in KINDS and not (partial and r["kind"] == ""):
                errors.append(f"{where}: bad kind {r['kind']!r}")
            if not re.fullmatch(r"[A-Z]{2}", r["country"]) and not (partial and r["country"] == ""):
                errors.append(f"{where}: bad country {r['country']!r}")
            if partial and r["lat"] == "" and r["lon"] == "":
                pass
            elif r["lat"] == "" and r["lon"] == "":
                warnings.append(f"{where}: {k} has no coordinates (unknown)")
            else:
              try:
                lat, lon = float(r["lat"]), float(r["lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    errors.append(f"{where}: lat/lon out of range")
                box = BBOX.get(r["country"])
                if box and not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
                    errors.append(f"{where}: {k} {r['name']} ({lat}, {lon}) outside {r['country']}")
              except ValueError:
                errors.append(f"{where}: lat/lon not numeric ({r['lat']!r}, {r['lon']!r})")
            if r["geonames_id"] and not r["geonames_id"].isdigit():
                errors.append(f"{where}: geonames_id not numeric")
            if k.startswith("gn:") and r["geonames_id"] and r["geonames_id"] != k[3:]:
                errors.append(f"{where}: geonames_id {r['geonames_id']} != key {k}")
            if r["population"] and not r["population"].isdigit():
                errors.append(f"{where}: population not numeric")
            aliases = r["aliases"].split("|") if r["aliases"] else []
            seen = set()
            for a in aliases:
                if not a.strip() or a != a.strip():
                    errors.append(f"{where}: empty or padded alias in {k}")
                elif a.casefold() in seen:
                    warnings.append(f"{where}: alias {a!r} repeated in {k}")
                elif a.casefold() == r["name"].casefold():
                    warnings.append(f"{where}: alias {a!r} equals the name of {k}")
                seen.add(a.casefold())
            if not r["source"].strip():
                warnings.append(f"{where}: empty source in {k}")
            rows_by_key[k].append((str(rel), r))
        counts[str(rel)] = n
        if not header_seen:
            errors.append(f"{rel}: no header row")

    # keys across files
    overrides = 0
    for k, occ in rows_by_key.items():
        if len(occ) == 1:
            continue
        srcs = [f for f, _ in occ]
        generated = [f for f in srcs if f.endswith("places/geonames.tsv")]
        if k.startswith("gn:") and len(generated) == 1 and len(occ) == 2:
            overrides += 1
        else:
            errors.append(f"key {k} defined in several files: {', '.join(srcs)}")

    # parents
    for k, occ in rows_by_key.items():
        for f, r in occ:
            p = r["parent"]
            if p and p not in rows_by_key:
                errors.append(f"{f}: {k} has unknown parent {p}")
            if p == k:
                errors.append(f"{f}: {k} is its own parent")

    # names and aliases
    names = defaultdict(set)
    for k, occ in rows_by_key.items():
        for f, r in occ:
            for s in [r["name"]] + (r["aliases"].split("|") if r["aliases"] else []):
                names[fold(s)].add(k)

    required = DEFAULT_REQUIRED if args.require is None else args.require
    missing = [n for n in required if fold(n) not in names]

    print("rows per file:")
    for f, n in counts.items():
        print(f"  {n:6d}  {f}")
    print(f"  {sum(counts.values()):6d}  total ({overrides} curated rows override a geonames.tsv row)")
    print(f"distinct keys: {len(rows_by_key)}; distinct folded names+aliases: {len(names)}")
    shared = {n: ks for n, ks in names.items() if len(ks) > 1}
    print(f"names/aliases shared by several places: {len(shared)}")
    if args.verbose:
        for n, ks in sorted(shared.items(), key=lambda x: (-len(x[1]), x[0]))[:80]:
            print(f"  {n!r}: {' '.join(sorted(ks)[:8])}{' ...' if len(ks) > 8 else ''}")
    if required:
        print(f"required names: {len(required) - len(missing)}/{len(required)} found")
        for n in required:
            if args.verbose and n not in missing:
                print(f"  {n} -> {' '.join(sorted(names[fold(n)]))}")
        for n in missing:
            errors.append(f"required name not found: {n}")
    for w in warnings[:50]:
        print("warning:", w)
    if len(warnings) > 50:
        print(f"warning: ... {len(warnings) - 50} more")
    for e in errors[:200]:
        print("ERROR:", e)
    if len(errors) > 200:
        print(f"ERROR: ... {len(errors) - 200} more")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
