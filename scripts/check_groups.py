#!/usr/bin/env python3
"""Sanity checks for data/groups.tsv (armed groups, forces, political bodies).

Usage: python3 scripts/check_groups.py [path/to/groups.tsv]
Exit status 1 on any error; warnings are printed but do not fail.
"""
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

PATH = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "groups.tsv"

COLUMNS = ["key", "name", "kind", "side", "country", "parent", "category", "generic", "aliases", "source"]
KINDS = {"state_forces", "state_agency", "pro_government_militia", "rebel", "jihadist", "political",
         "foreign_state", "international", "civilians", "unknown"}
SIDES = {"government", "opposition", "foreign", "neutral", "unknown"}
CATEGORIES = {"", "security_forces", "combatant", "civilian", "unknown"}
GENERICS = {"", "army", "air_force", "navy", "police", "security_forces", "intelligence", "government",
            "rebels", "jihadists", "militias", "opposition"}
MIN_ROWS = 200

# Aliases deliberately carried by two rows of different countries: the article's country picks one.
INTENDED_SHARED = {
    "comites populaires", "popular committees", "اللجان الشعبيه",      # sy-popular-committees / ye-popular-committees
    "isf",                                                             # lb-isf / iq-security-forces
    "forces kurdes", "kurdish forces", "combattants kurdes",          # ypg (SY) / iq-peshmerga (IQ)
    "kurdish fighters", "القوات الكرديه",
    "pro iranian militias", "milices pro iraniennes", "iran backed militias",   # sy-foreign-shia-militias / iq-pmf
    "iranian backed militias", "milices soutenues par l'iran", "الميليشيات المواليه لايران",
}

# Bare generic words that must never be the alias of a specific group (see data/README.md);
# "rebelles" is tolerated on the Syrian generic rebels row only.
BANNED_ALIASES = {"front", "army", "armee", "forces", "force", "rebels", "rebel", "rebelle", "militia", "militias",
                  "milices", "milice", "jihadists", "jihadistes", "djihadistes", "insurges", "insurgents",
                  "brigade", "brigades", "soldiers", "soldats", "police", "government", "gouvernement",
                  "regime", "the regime", "le regime", "opposition", "coalition", "terroristes", "terrorists",
                  "resistance", "militants", "us", "un", "eau", "ans", "gun", "who", "tip", "pit", "plc", "jam"}
ALLOWED_GENERIC_ALIAS = {("rebelles", "sy-rebels")}

# Short all-caps acronyms that are also ordinary words: allowed but flagged, the matcher must be case-sensitive.
CASE_SENSITIVE_ACRONYMS = {"IS", "EI", "AMAL"}

REQUIRED = ["rebelles", "front Islamique", "front al-Nosra", "Jaïch al-Moujahidiens", "comités de défense",
            "comités populaires", "Ahl el-Cham", "Al-Qaïda", "Coalition de l'opposition", "renseignements aériens",
            "Daech", "Daesh", "EI", "Etat islamique", "Front Nosra", "Armée syrienne libre", "ASL",
            "Bataillon des descendants des Omeyyades", "Hezbollah", "Hizbullah", "armée libanaise",
            "armée syrienne", "armée yéménite", "forces populaires d'Ansarullah", "Ansarullah", "coalition arabe",
            "Jihad islamique palestinien", "JIP", "Hamas", "IS", "Islamic State", "Syrian Social Nationalist Party",
            "Lebanese Army"]

ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().translate(ARABIC_FOLD)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00b4", "'")
    s = s.replace("-", " ").replace("\u2013", " ")
    return " ".join(s.split())


def main() -> int:
    errors, warnings = [], []
    rows = []
    header_seen = False
    for lineno, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            warnings.append(f"line {lineno}: blank line")
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            if cells != COLUMNS:
                errors.append(f"line {lineno}: header is {cells}, expected {COLUMNS}")
            continue
        if len(cells) != len(COLUMNS):
            errors.append(f"line {lineno}: {len(cells)} columns, expected {len(COLUMNS)}")
            continue
        r = dict(zip(COLUMNS, cells))
        r["_line"] = lineno
        rows.append(r)

    keys = {}
    for r in rows:
        k, ln = r["key"], r["_line"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k):
            errors.append(f"line {ln}: bad key {k!r}")
        if k in keys:
            errors.append(f"line {ln}: duplicate key {k!r} (first at line {keys[k]})")
        keys[k] = ln
        if not r["name"].strip():
            errors.append(f"line {ln}: {k}: empty name")
        if r["kind"] not in KINDS:
            errors.append(f"line {ln}: {k}: bad kind {r['kind']!r}")
        if r["side"] not in SIDES:
            errors.append(f"line {ln}: {k}: bad side {r['side']!r}")
        if r["category"] not in CATEGORIES:
            errors.append(f"line {ln}: {k}: bad category {r['category']!r}")
        if r["generic"] not in GENERICS:
            errors.append(f"line {ln}: {k}: bad generic {r['generic']!r}")
        if r["country"] and not re.fullmatch(r"[A-Z]{2}", r["country"]):
            errors.append(f"line {ln}: {k}: bad country {r['country']!r}")
        if r["kind"] == "foreign_state" and r["side"] != "foreign":
            errors.append(f"line {ln}: {k}: foreign_state must have side foreign")
        if r["generic"] and not r["country"]:
            errors.append(f"line {ln}: {k}: a generic row needs a country")
        if not r["source"].strip():
            errors.append(f"line {ln}: {k}: empty source")
        for cell in COLUMNS:
            if r[cell] != r[cell].strip():
                errors.append(f"line {ln}: {k}: stray whitespace in {cell}")

    # parents exist, no cycles
    by_key = {r["key"]: r for r in rows}
    for r in rows:
        p = r["parent"]
        if p and p not in by_key:
            errors.append(f"line {r['_line']}: {r['key']}: parent {p!r} does not exist")
        seen, cur = set(), r["key"]
        while cur and cur in by_key:
            if cur in seen:
                errors.append(f"{r['key']}: parent cycle through {cur}")
                break
            seen.add(cur)
            cur = by_key[cur]["parent"]

    # one generic row per (country, role)
    generic_rows = defaultdict(list)
    for r in rows:
        if r["generic"]:
            generic_rows[(r["country"], r["generic"])].append(r["key"])
    for (cc, g), ks in generic_rows.items():
        if len(ks) > 1:
            errors.append(f"generic {g} for {cc} on several rows: {ks}")

    # aliases
    owners = defaultdict(set)
    for r in rows:
        names = [r["name"]] + ([a for a in r["aliases"].split("|")] if r["aliases"] else [])
        local, local_exact = set(), set()
        for i, a in enumerate(names):
            if a != a.strip() or not a:
                errors.append(f"line {r['_line']}: {r['key']}: empty alias or stray whitespace: {a!r}")
                continue
            n = norm(a)
            if len(n.replace(" ", "")) < 2:
                errors.append(f"line {r['_line']}: {r['key']}: alias too short: {a!r}")
            if n in BANNED_ALIASES and (n, r["key"]) not in ALLOWED_GENERIC_ALIAS:
                errors.append(f"line {r['_line']}: {r['key']}: generic word as alias: {a!r}")
            if a in CASE_SENSITIVE_ACRONYMS or a.upper() in CASE_SENSITIVE_ACRONYMS and a.isupper():
                warnings.append(f"{r['key']}: {a!r} is also an ordinary word, match it case-sensitively")
            exact = " ".join(a.lower().split())
            if i > 0 and exact in local_exact:
                warnings.append(f"{r['key']}: duplicate alias {a!r}")
            local_exact.add(exact)
            local.add(n)
        for n in local:
            owners[n].add(r["key"])
    for n, ks in sorted(owners.items()):
        if len(ks) > 1:
            countries = {by_key[k]["country"] for k in ks}
            if n in INTENDED_SHARED and len(countries) == len(ks):
                warnings.append(f"intended shared alias {n!r}: {sorted(ks)}")
            else:
                errors.append(f"alias {n!r} shared by {sorted(ks)}")
    for n in INTENDED_SHARED:
        if len(owners.get(n, ())) < 2:
            warnings.append(f"INTENDED_SHARED entry {n!r} is no longer shared")

    # required names
    for want in REQUIRED:
        if norm(want) not in owners:
            errors.append(f"required name missing: {want!r}")

    if len(rows) < MIN_ROWS:
        errors.append(f"only {len(rows)} rows, need at least {MIN_ROWS}")

    n_alias = sum(len(r["aliases"].split("|")) for r in rows if r["aliases"])
    print(f"{PATH}: {len(rows)} rows, {n_alias} aliases, {len(generic_rows)} generic rows")
    by_cc = defaultdict(list)
    for (cc, g), ks in sorted(generic_rows.items()):
        by_cc[cc].append(f"{g}={ks[0]}")
    for cc in sorted(by_cc):
        print(f"  generic {cc}: " + ", ".join(by_cc[cc]))
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
