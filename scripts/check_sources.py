#!/usr/bin/env python3
"""Sanity checks for data/sources.tsv (outlets and cited sources).

Usage: python3 scripts/check_sources.py [path/to/sources.tsv] [-v]
Exit status 1 on any error; warnings are printed but do not fail.
With -v, also lists every source name that is also a place or group name,
and the consonant-skeleton collisions (see src/knowledge/names.rs).

Names are compared as the matcher compares them (src/knowledge/names.rs,
phrases.rs, text.rs): case, accents, hyphens and apostrophes ignored,
letters and digits split, and the article words (al, el, as, the, l', le…)
left out, so "as-Safir", "As Safir" and "Safir" are one key.
"""
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = [a for a in sys.argv[1:] if not a.startswith("-")]
VERBOSE = "-v" in sys.argv[1:]
PATH = Path(ARGS[0]) if ARGS else ROOT / "data" / "sources.tsv"

COLUMNS = ["key", "name", "kind", "country", "domains", "aliases", "source"]
KINDS = {"newspaper", "tv", "website", "news_agency", "monitor", "official", "witness", "ngo",
         "social_media", "person", "unknown"}
MIN_ROWS = 150

# Same list as src/knowledge/names.rs ARTICLES.
ARTICLES = {"al", "el", "l", "le", "la", "les", "the", "ad", "ed", "as", "es", "ar", "er", "at", "an", "ash",
            "az", "ez", "ech", "esh", "ach", "ul"}

# Aliases deliberately carried by two rows (none so far). Map the folded key to a justification.
INTENDED_SHARED = {}

# Keys that are ordinary words or places: never an alias written bare. Written with their
# article ("As-Safir", "Al-Hayat") they are the outlet's own name and unavoidable, so these
# are only refused when the alias has no article word in it.
BARE_BANNED = {
    "nahar", "manar", "akhbar", "hayat", "watan", "alam", "safir", "jadeed", "jadid", "masdar", "quds",
    "thawra", "baath", "hadath", "jazira", "mada", "khaleej", "arabiya", "araby", "sharq", "ahed", "ahram",
    "haqiqa", "mayadeen", "masirah", "kan", "petra", "fars", "mehr", "ma", "maan", "lana", "sabah", "safa",
    "shehab", "national", "independent", "observer", "future", "orient", "monde", "point", "croix", "soir",
    "temps", "express", "parisien", "liberation", "time", "times", "post", "star", "mustaqbal", "monitor", "haq",
}
# Keys refused whatever the spelling: generic words that would make any sentence a source.
ALWAYS_BANNED = {
    "war monitor", "agency", "news agency", "ministry", "source", "sources", "army", "police",
    "government", "official", "officials", "witness", "witnesses", "temoin", "temoins", "residents",
    "activists", "militants", "correspondent", "correspondant", "spokesman", "porte parole", "statement",
    "communique", "media", "medias", "press", "presse", "journal", "site", "agence", "chaine", "television",
    "radio", "tv", "news", "daily", "ong", "ngo", "x", "un a", "mena", "aa", "ap news agency",
}
# One-word lower-case aliases match any case; only these are meant to.
LOWERCASE_ONE_WORD_OK = {"tweet", "tweets", "franceinfo"}

REQUIRED = [
    "al-Akhbar", "as-Safir", "Assafir", "Tahtel-mijhar", "Sana", "World Tribune", "Syria Truth", "ARab-Press",
    "al-Alam", "Khabar", "PressTV", "ministère iranien des Affaires étrangères", "agence officielle saoudienne",
    "agence Anatolie", "AlMasirah", "Observatoire syrien des droits de l'homme", "OSDH",
    "Syrian Observatory for Human Rights", "SOHR", "Agence France Presse", "AFP", "Al-Arabiya",
    "Radio Voice of Lebanon", "National News Agency", "NNA", "Al-Mayadeen", "The Daily Star", "Naharnet",
    "Magen David Adom", "ministère de la Santé à Gaza",
    # also asked for by the brief
    "Observatory", "l'Observatoire", "Agence France-Presse", "Associated Press", "Syrian Arab News Agency",
    "agence de presse syrienne Sana", "Agence arabe syrienne d'information", "سانا", "Agence nationale d'information",
    "ANI", "agence Khabar", "Anadolu Agency", "Al-Arabiya satellite news channel",
    "chaîne de télévision iranienne al-Alam", "chaine yéménite AlMasirah", "Voix du Liban", "journal libanais as-Safir",
    "Taht al-Mijhar", "Croissant-Rouge arabe syrien", "Maguen David Adom", "MDA", "Casques blancs",
    "Groupe de travail pour les Palestiniens de Syrie", "groupe de travail pour les Palestiniens en Syrie",
    "Médecins sans frontières", "Gaza Health Ministry", "health ministry", "ministère de la Santé",
    "commandement de la police", "gouverneur d'Alep", "Facebook", "Twitter", "Telegram", "YouTube",
]
# Groups, not sources (see data/groups.tsv).
FORBIDDEN_ENTRIES = ["Hamas", "Hezbollah", "Islamic State", "Etat islamique"]

DOMAIN_RE = re.compile(r"^(?!www\.)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$")
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

APOSTROPHES = "\u2019\u02bc\u02bb`\u00b4\u2018\u02bf\u02be\u2032"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
ARABIC = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": ""}


def fold(s: str) -> str:
    """As crate::text::fold."""
    out = []
    for c in s:
        if c in APOSTROPHES:
            out.append("'")
        elif c in DASHES:
            out.append("-")
        elif c in "œŒ":
            out.append("oe")
        elif c in "æÆ":
            out.append("ae")
        elif c == "ß":
            out.append("ss")
        elif c == "ı":
            out.append("i")
        elif c in "øØ":
            out.append("o")
        elif c in "łŁ":
            out.append("l")
        elif c in "đĐ":
            out.append("d")
        elif c in ARABIC:
            out.append(ARABIC[c])
        elif c.isascii():
            out.append(c.lower())
        else:
            for d in unicodedata.normalize("NFD", c):
                if not unicodedata.combining(d):
                    out.append(d.lower())
    return "".join(out)


def phrase_words(s: str) -> list:
    """As phrases::phrase_key, as a list of words."""
    words, word = [], ""
    for c in fold(s):
        if c.isalnum():
            if word and (word[-1].isdigit() and word[-1].isascii()) != (c.isdigit() and c.isascii()):
                words.append(word)
                word = ""
            word += c
        elif c == "%":
            if word:
                words.append(word)
            words.append("%")
            word = ""
        else:
            if word:
                words.append(word)
            word = ""
    if word:
        words.append(word)
    return words


def name_key(s: str) -> str:
    return " ".join(w for w in phrase_words(s) if w not in ARTICLES)


def case_rule(alias: str) -> str:
    letters = [c for c in alias if c.isalpha()]
    if not any(c.isupper() or c.islower() for c in letters):
        return "capitalised"  # Arabic script
    if not any(c.isupper() for c in letters):
        return "any"
    if not any(c.islower() for c in letters) and len(letters) <= 5:
        return "exact"
    return "capitalised"


def skeleton(word: str) -> str:
    """As names::skeleton."""
    lower = "".join("s" if c in "çÇ" else c for c in word)
    w = "".join(c for c in fold(lower) if c.isalnum())
    if not w or not w.isascii():
        return ""
    for a, b in [("ou", "u"), ("oo", "u"), ("ee", "i"), ("ch", "sh"), ("dj", "j"), ("ph", "f"), ("ck", "k"),
                 ("q", "k")]:
        w = w.replace(a, b)
    vowel = set("aeiouyw")
    mapped = []
    for i, c in enumerate(w):
        if c == "c":
            nxt = w[i + 1] if i + 1 < len(w) else ""
            mapped.append("s" if nxt in ("e", "i", "y") and nxt else "k")
        else:
            mapped.append(c)
    if len(mapped) > 2 and mapped[-1] == "h" and mapped[-2] in vowel:
        mapped.pop()
    if len(mapped) > 5 and mapped[-1] == "s" and mapped[-2] not in vowel:
        mapped.pop()
    out = ""
    for i, c in enumerate(mapped):
        if c in vowel:
            if i == 0:
                out += "a"
            continue
        if out.endswith(c):
            continue
        out += c
    return out


def skeleton_key(alias: str) -> str:
    return " ".join(s for s in (skeleton(w) for w in name_key(alias).split(" ")) if s)


def read_tsv(path: Path, errors=None):
    rows, header = [], None
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            if errors is not None:
                errors.append(f"line {lineno}: blank line")
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append((lineno, cells))
    return header, rows


def other_names():
    """Folded keys of every place and group name: {key: set of 'groups:key' / 'places:key'}."""
    owners = defaultdict(set)
    files = [ROOT / "data" / "groups.tsv"] + sorted((ROOT / "data" / "places").rglob("*.tsv"))
    for f in files:
        if not f.exists():
            continue
        header, rows = read_tsv(f)
        if not header or "aliases" not in header:
            continue
        ki, ni, ai = header.index("key"), header.index("name"), header.index("aliases")
        tag = "groups" if f.name == "groups.tsv" else "places"
        for _, cells in rows:
            if len(cells) <= ai:
                continue
            for n in [cells[ni]] + [a for a in cells[ai].split("|") if a]:
                k = name_key(n)
                if k:
                    owners[k].add(f"{tag}:{cells[ki]}")
    return owners


def main() -> int:
    errors, warnings = [], []
    header, raw = read_tsv(PATH, errors)
    if header != COLUMNS:
        errors.append(f"header is {header}, expected {COLUMNS}")
    rows = []
    for ln, cells in raw:
        if len(cells) != len(COLUMNS):
            errors.append(f"line {ln}: {len(cells)} columns, expected {len(COLUMNS)}")
            continue
        r = dict(zip(COLUMNS, cells))
        r["_line"] = ln
        rows.append(r)

    keys, domain_owner = {}, {}
    for r in rows:
        k, ln = r["key"], r["_line"]
        if not KEY_RE.fullmatch(k):
            errors.append(f"line {ln}: bad key {k!r}")
        if k in keys:
            errors.append(f"line {ln}: duplicate key {k!r} (first at line {keys[k]})")
        keys[k] = ln
        if not r["name"].strip():
            errors.append(f"line {ln}: {k}: empty name")
        if r["kind"] not in KINDS:
            errors.append(f"line {ln}: {k}: bad kind {r['kind']!r}")
        if r["country"] and not re.fullmatch(r"[A-Z]{2}", r["country"]):
            errors.append(f"line {ln}: {k}: bad country {r['country']!r}")
        if not r["source"].strip():
            errors.append(f"line {ln}: {k}: empty source")
        for cell in COLUMNS:
            if r[cell] != r[cell].strip():
                errors.append(f"line {ln}: {k}: stray whitespace in {cell}")
        for d in [d for d in r["domains"].split("|")] if r["domains"] else []:
            if not DOMAIN_RE.fullmatch(d):
                errors.append(f"line {ln}: {k}: bad domain {d!r} (lower-case host, no scheme, path or www.)")
            if d in domain_owner and domain_owner[d] != k:
                errors.append(f"line {ln}: {k}: domain {d!r} also on {domain_owner[d]}")
            elif d in domain_owner:
                warnings.append(f"{k}: domain {d!r} listed twice")
            domain_owner[d] = k

    # names and aliases
    owners = defaultdict(set)
    variants = 0
    for r in rows:
        k, ln = r["key"], r["_line"]
        names = [r["name"]] + (r["aliases"].split("|") if r["aliases"] else [])
        seen, seen_exact = {}, {}
        for i, a in enumerate(names):
            if not a or a != a.strip() or "  " in a:
                errors.append(f"line {ln}: {k}: empty alias or stray whitespace: {a!r}")
                continue
            words = phrase_words(a)
            nk = name_key(a)
            if not nk:
                errors.append(f"line {ln}: {k}: alias {a!r} is only article words")
                continue
            letters = [c for c in a if c.isalpha()]
            if sum(1 for c in a if c.isalnum()) < 2:
                errors.append(f"line {ln}: {k}: alias too short: {a!r}")
            rule = case_rule(a)
            if len(nk.replace(" ", "")) <= 3 and rule != "exact" and any(c.isascii() for c in letters):
                errors.append(f"line {ln}: {k}: short alias {a!r} must be written in capitals (it would match words)")
            if nk == "ap" and a != "AP":
                errors.append(f"line {ln}: {k}: {a!r}: only the capitals AP may stand for the Associated Press")
            if nk in ALWAYS_BANNED:
                errors.append(f"line {ln}: {k}: generic word as alias: {a!r}")
            if nk in BARE_BANNED and rule != "exact" and not any(w in ARTICLES for w in words):
                errors.append(f"line {ln}: {k}: common word or place written bare: {a!r} (write it with its article or qualify it)")
            if rule == "any" and " " not in nk and nk not in LOWERCASE_ONE_WORD_OK:
                warnings.append(f"{k}: one-word lower-case alias {a!r} matches in any case")
            # The matcher keeps the most permissive case rule of a name's spellings, so a spelling
            # that only changes letter case is useful when it loosens the rule ("Tass" beside "TASS").
            strength = {"any": 0, "capitalised": 1, "exact": 2}[rule]
            if a.lower() in seen_exact and strength >= seen_exact[a.lower()]:
                warnings.append(f"{k}: duplicate alias {a!r}")
            elif nk in seen:
                variants += 1  # a spelling the matcher folds together with an earlier one: harmless
            seen_exact[a.lower()] = min(strength, seen_exact.get(a.lower(), 3))
            seen.setdefault(nk, a)
            owners[nk].add(k)
    for nk, ks in sorted(owners.items()):
        if len(ks) > 1:
            if nk in INTENDED_SHARED:
                warnings.append(f"intended shared alias {nk!r}: {sorted(ks)} ({INTENDED_SHARED[nk]})")
            else:
                errors.append(f"alias {nk!r} shared by {sorted(ks)}")

    for want in REQUIRED:
        if name_key(want) not in owners:
            errors.append(f"required name missing: {want!r}")
    for bad in FORBIDDEN_ENTRIES:
        if name_key(bad) in owners:
            errors.append(f"{bad!r} is a group (data/groups.tsv), not a source: {sorted(owners[name_key(bad)])}")

    if len(rows) < MIN_ROWS:
        errors.append(f"only {len(rows)} rows, need at least {MIN_ROWS}")

    # Names shared with places and groups: not errors (the extractor weighs them), but worth knowing.
    others = other_names()
    shared = {nk: (sorted(ks), sorted(others[nk])) for nk, ks in owners.items() if nk in others}
    skel = defaultdict(set)
    for r in rows:
        for a in [r["name"]] + (r["aliases"].split("|") if r["aliases"] else []):
            if a and case_rule(a) != "exact":
                sk = skeleton_key(a)
                if len(sk.replace(" ", "")) >= 4:
                    skel[sk].add(r["key"])
    skel_clash = {sk: sorted(ks) for sk, ks in skel.items() if len(ks) > 1}

    n_alias = sum(len(r["aliases"].split("|")) for r in rows if r["aliases"])
    n_dom = sum(len(r["domains"].split("|")) for r in rows if r["domains"])
    print(f"{PATH}: {len(rows)} rows, {n_alias} aliases ({variants} only differ in case, accents or"
          f" punctuation from another of the same row), {n_dom} domains")
    kinds = Counter(r["kind"] for r in rows)
    print("  by kind: " + ", ".join(f"{k}={n}" for k, n in sorted(kinds.items(), key=lambda x: (-x[1], x[0]))))
    countries = Counter(r["country"] or "--" for r in rows)
    print("  by country: " + ", ".join(f"{k}={n}" for k, n in sorted(countries.items(), key=lambda x: (-x[1], x[0]))))
    print(f"  {len(shared)} names also a place or group name (-v lists them), "
          f"{len(skel_clash)} skeleton keys shared by two sources")
    if VERBOSE:
        for nk, (ks, os_) in sorted(shared.items()):
            more = f" +{len(os_) - 3}" if len(os_) > 3 else ""
            print(f"  shared name {nk!r}: {', '.join(ks)} / {', '.join(os_[:3])}{more}")
        for sk, ks in sorted(skel_clash.items()):
            print(f"  skeleton {sk!r}: {', '.join(ks)}")
    # The pipeline reads a name that is both a source and a place as the source (src/pipeline/entities.rs),
    # so these are worth a warning each: the place is lost unless the extractor weighs the context.
    for nk, (ks, os_) in sorted(shared.items()):
        places = [o for o in os_ if o.startswith("places:")]
        if places:
            warnings.append(f"source name {nk!r} ({', '.join(ks)}) is also a place name ({', '.join(places[:3])})")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
