//! Places, armed groups and sources named in the text, resolved against the
//! reference data.
//!
//! Places: dictionary names, resolved by context when a name is shared
//! (the article's country, a parent place also named, the cue before the
//! name); names the gazetteer lacks are kept when the text marks them as
//! places ("le village de Sarari", "the al-Bab neighbourhood").
//! Groups: dictionary names, and generic words ("les rebelles", "the army")
//! resolved to the article's country's forces.
//! Sources: outlets and monitors whenever named; officials, people and
//! parties when the sentence attributes something to them.

use crate::knowledge::{is_article, Entity, GenericRole, Knowledge, Lexicon, NameMatch};
use crate::model::{LocationKind, SourceKind};
use crate::text::{Doc, TokenKind};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceId {
    Known(usize),
    Unlisted(usize),
}

#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub first: usize,
    pub last: usize,
    pub place: PlaceId,
    /// A dateline ("BEIRUT (AP) —", "TRIPOLI, Lebanon:"): where the report
    /// was filed, which is not always where things happened.
    pub dateline: bool,
}

/// A place the gazetteer lacks, kept because the text marks it as one.
#[derive(Debug, Clone)]
pub struct UnlistedPlace {
    pub name: String,
    pub kind: LocationKind,
    pub country: Option<String>,
    /// The nearest known place it lies in, whose coordinates it borrows.
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupId {
    Known(usize),
    /// A generic side with no entry for its country.
    Generic(GenericRole),
    /// A local armed group named by its place ("Bab al-Tabbaneh fighters"):
    /// an index into `Entities::local_groups`.
    Local(usize),
}

#[derive(Debug, Clone)]
pub struct GroupMention {
    pub first: usize,
    pub last: usize,
    pub group: GroupId,
    /// Country of a generic mention ("armée libanaise").
    pub country: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceId {
    Known(usize),
    Unlisted(usize),
}

#[derive(Debug, Clone)]
pub struct SourceMention {
    pub first: usize,
    pub last: usize,
    pub source: SourceId,
}

#[derive(Debug, Clone)]
pub struct UnlistedSource {
    pub name: String,
    pub canonical: String,
    pub kind: SourceKind,
}

#[derive(Debug, Default)]
pub struct Entities {
    pub places: Vec<PlaceMention>,
    pub unlisted_places: Vec<UnlistedPlace>,
    pub groups: Vec<GroupMention>,
    pub sources: Vec<SourceMention>,
    pub unlisted_sources: Vec<UnlistedSource>,
    /// Names of local armed groups ("Bab al-Tabbaneh fighters").
    pub local_groups: Vec<String>,
    /// The country the article is about, by the places it names.
    pub country: Option<String>,
}

/// Everything the entity stage needs to read a document.
pub struct Reader<'a> {
    pub doc: &'a Doc,
    pub k: &'a Knowledge,
    pub lx: &'a Lexicon,
    /// Per sentence: whether it attributes something to someone (computed once).
    attributing: std::cell::OnceCell<Vec<bool>>,
}

impl<'a> Reader<'a> {
    pub fn new(doc: &'a Doc, k: &'a Knowledge, lx: &'a Lexicon) -> Reader<'a> {
        Reader {
            doc,
            k,
            lx,
            attributing: std::cell::OnceCell::new(),
        }
    }
}

impl Reader<'_> {
    fn attributes(&self, sentence: usize) -> bool {
        self.attributing.get_or_init(|| {
            self.doc
                .sentences
                .iter()
                .map(|s| {
                    !self
                        .lx
                        .attribution
                        .find_all(self.doc, s.first, s.last)
                        .is_empty()
                })
                .collect()
        })[sentence]
    }

    fn folded(&self, i: usize) -> &str {
        self.doc.tok_folded(i)
    }

    fn is_cap_word(&self, i: usize) -> bool {
        self.doc
            .tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word && t.cap)
    }

    /// Whether a word is never a name on its own, in any language.
    fn not_name(&self, folded: &str) -> bool {
        self.k
            .lexicons()
            .iter()
            .any(|l| l.not_names.contains(folded) || l.stopwords.contains(folded))
            || self.lx.dates.get_key(folded).is_some()
    }

    fn is_title_ending_at(&self, end: usize) -> bool {
        (1..=3).any(|back| {
            end >= back
                && self
                    .lx
                    .titles
                    .longest_at(self.doc, end - back)
                    .is_some_and(|(e, _)| e == end)
        })
    }

    /// The capitalised words right before `first` include a given name or a
    /// title: the name is part of a person's ("Ibrahim Hanano", "Abou Bakr el-Baghdadi").
    fn person_before(&self, first: usize) -> bool {
        let mut i = first;
        let mut steps = 0;
        while i > 0 && steps < 4 {
            let j = i - 1;
            let t = &self.doc.tokens[j];
            if t.sentence != self.doc.tokens[first].sentence {
                break;
            }
            if t.kind == TokenKind::Punct {
                if matches!(self.doc.slice(t), "-" | "'" | "’") {
                    i = j;
                    continue;
                }
                break;
            }
            let f = self.folded(j);
            if is_article(f) {
                i = j;
                continue;
            }
            if self.k.given_names.contains(f) && t.cap {
                return true;
            }
            if self.is_title_ending_at(j + 1) {
                return true;
            }
            if !t.cap {
                break;
            }
            i = j;
            steps += 1;
        }
        false
    }

    /// A run of capitalised words starting at `i` (with articles, hyphens and
    /// short particles inside): `(first, last)` or `None`.
    fn capitalised_run(&self, i: usize, max_words: usize) -> Option<(usize, usize)> {
        let toks = &self.doc.tokens;
        let sentence = toks.get(i)?.sentence;
        let mut j = i;
        // Leading article ("al-Guil", "el-O'roba").
        while j < toks.len()
            && toks[j].kind == TokenKind::Word
            && is_article(self.folded(j))
            && !toks[j].cap
        {
            j += 1;
            if j < toks.len() && matches!(self.doc.slice(&toks[j]), "-" | "'" | "’") {
                j += 1;
            }
        }
        let mut words = 0;
        let mut last = None;
        while j < toks.len() && toks[j].sentence == sentence && words < max_words {
            let t = &toks[j];
            match t.kind {
                TokenKind::Word if t.cap => {
                    if self.not_name(self.folded(j)) && words == 0 {
                        return None;
                    }
                    words += 1;
                    j += 1;
                    last = Some(j);
                }
                TokenKind::Word if is_article(self.folded(j)) && last.is_some() => j += 1,
                TokenKind::Punct
                    if matches!(self.doc.slice(t), "-" | "'" | "’")
                        && !t.space_before
                        && last.is_some() =>
                {
                    j += 1
                }
                TokenKind::Number if last.is_some() && !t.space_before => {
                    j += 1;
                    last = Some(j);
                }
                _ => break,
            }
        }
        let last = last?;
        Some((i, last))
    }
}

fn covered(taken: &[bool], first: usize, last: usize) -> bool {
    taken[first..last.min(taken.len())].iter().any(|x| *x)
}

fn take(taken: &mut [bool], first: usize, last: usize) {
    let end = last.min(taken.len());
    taken[first..end].iter_mut().for_each(|x| *x = true);
}

/// Finds and resolves places, groups and sources.
pub fn find_entities(r: &Reader) -> Entities {
    let doc = r.doc;
    let k = r.k;
    let mut ents = Entities::default();
    let mut taken = vec![false; doc.tokens.len()];
    let matches = k.names.find(doc);

    // 1. Classify dictionary matches.
    let mut place_matches: Vec<(&NameMatch, Vec<usize>)> = Vec::new();
    for m in &matches {
        let places = m.places();
        let groups = m.groups();
        let sources = m.sources();
        if (!groups.is_empty() || !sources.is_empty())
            && (places.is_empty() || !named_as_place(r, m, !sources.is_empty(), !groups.is_empty()))
        {
            continue; // an actor or an outlet: handled below, once the country is known
        }
        let single = m.last - m.first == 1;
        // Demonyms are adjectives and nouns for people, not places ("a Palestinian assailant").
        let demonym =
            r.k.lexicons()
                .iter()
                .any(|l| l.demonyms.get_key(r.folded(m.first)).is_some());
        if single
            && (r.not_name(r.folded(m.first))
                || r.k.given_names.contains(r.folded(m.first))
                || demonym)
        {
            continue;
        }
        // A spelling matched only by its skeleton must sit where places sit:
        // after a place cue or a locative preposition, or in a list of places.
        if m.fuzzy && !place_context(r, m, &matches) {
            continue;
        }
        if r.person_before(m.first) {
            continue;
        }
        // A fuzzy match of a word that is a known common word is no place.
        if m.fuzzy
            && r.k
                .lexicons()
                .iter()
                .any(|l| l.victims.get_key(r.folded(m.first)).is_some())
        {
            continue;
        }
        place_matches.push((m, places));
    }

    // 2. The article's country: from unambiguous places and demonyms.
    let mut votes: HashMap<String, f64> = HashMap::new();
    for (m, places) in &place_matches {
        let countries: Vec<&String> = places
            .iter()
            .filter_map(|p| k.places[*p].country.as_ref())
            .collect();
        if let Some(c) = countries.first() {
            if countries.iter().all(|x| x == c) {
                let kind = k.places[places[0]].kind;
                let w = if kind == LocationKind::Country {
                    0.7
                } else {
                    1.0
                };
                let w = if doc.in_title(m.first) { w * 1.5 } else { w };
                *votes.entry((*c).clone()).or_default() += w;
            }
        }
    }
    for (first, last, c) in r.lx.demonyms.find_all(doc, 0, doc.tokens.len()) {
        let _ = (first, last);
        *votes.entry(c.clone()).or_default() += 0.5;
    }
    let mut ranked: Vec<(String, f64)> = votes.into_iter().collect();
    ranked.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
    ents.country = ranked.first().map(|(c, _)| c.clone());

    // 3. Resolve places: unambiguous first, then by context.
    let mentioned: Vec<usize> = place_matches
        .iter()
        .filter(|(_, p)| p.len() == 1)
        .map(|(_, p)| p[0])
        .collect();
    for (m, places) in &place_matches {
        let cue = place_cue_before(r, m.first).map(|(_, c)| c.kind);
        let best = places
            .iter()
            .copied()
            .max_by(|a, b| {
                place_score(k, *a, ents.country.as_deref(), &mentioned, cue)
                    .partial_cmp(&place_score(
                        k,
                        *b,
                        ents.country.as_deref(),
                        &mentioned,
                        cue,
                    ))
                    .unwrap()
                    .then(b.cmp(a))
            })
            .expect("a place match has a place");
        ents.places.push(PlaceMention {
            first: m.first,
            last: m.last,
            place: PlaceId::Known(best),
            dateline: is_dateline(doc, m.first, m.last),
        });
        take(&mut taken, m.first, m.last);
    }

    // 4. Groups and sources from the dictionary.
    for m in &matches {
        let groups = m.groups();
        let sources = m.sources();
        if groups.is_empty() && sources.is_empty() {
            continue;
        }
        if covered(&taken, m.first, m.last) {
            continue;
        }
        let attributed = sentence_attributes(r, m.first);
        if let Some(&s) = sources.first() {
            let kind = k.sources[s].kind;
            let cue = source_cue_around(r, m.first, m.last).is_some();
            if kind.is_media() || attributed || cue {
                ents.sources.push(SourceMention {
                    first: m.first,
                    last: m.last,
                    source: SourceId::Known(s),
                });
                take(&mut taken, m.first, m.last);
                continue;
            }
            // An official or an NGO named without attribution is neither a
            // source nor an armed group.
        }
        if !groups.is_empty() {
            let named_nationality = (m.first..m.last).any(|j| {
                r.k.lexicons()
                    .iter()
                    .any(|l| l.demonyms.longest_at(doc, j).is_some())
            });
            let g = resolve_group(k, &groups, ents.country.as_deref(), named_nationality);
            ents.groups.push(GroupMention {
                first: m.first,
                last: m.last,
                group: GroupId::Known(g),
                country: None,
            });
            take(&mut taken, m.first, m.last);
        }
    }

    // 5. Generic group words.
    let mut i = 0;
    while i < doc.tokens.len() {
        let Some((end, w)) = r.lx.group_words.longest_at(doc, i) else {
            i += 1;
            continue;
        };
        if covered(&taken, i, end) {
            i = end;
            continue;
        }
        let (country, last) = demonym_near(r, i, end)
            .map(|(c, e)| (Some(c), e))
            .unwrap_or((None, end));
        let country = country.or_else(|| ents.country.clone());
        let group = match country.as_deref().and_then(|c| k.generic_group(c, w.role)) {
            Some(g) => GroupId::Known(g),
            None => GroupId::Generic(w.role),
        };
        ents.groups.push(GroupMention {
            first: i,
            last,
            group,
            country,
        });
        take(&mut taken, i, last);
        i = last;
    }

    // 6. Places the gazetteer lacks, introduced by a cue.
    find_unlisted_places(r, &mut ents, &mut taken);

    // 7. Local armed groups named by their place.
    find_local_groups(r, &mut ents, &mut taken);

    // 7. Sources the dictionary lacks: "le site X", "selon X", titled people,
    //    parties' statements.
    find_unlisted_sources(r, &mut ents, &mut taken);

    ents.places.sort_by_key(|m| m.first);
    ents.groups.sort_by_key(|m| m.first);
    ents.sources.sort_by_key(|m| m.first);
    ents
}

/// A name that is both a place and an actor or outlet ("Israël", "al-Mayadeen"):
/// a place after a locative word; an outlet when the sentence attributes;
/// an actor otherwise.
fn named_as_place(r: &Reader, m: &NameMatch, is_source: bool, is_group: bool) -> bool {
    let locative = (1..=3).any(|b| {
        m.first >= b
            && r.lx
                .locatives
                .longest_at(r.doc, m.first - b)
                .is_some_and(|(e, _)| e == m.first)
    }) || place_cue_before(r, m.first).is_some();
    if locative {
        return true;
    }
    if is_source
        && (sentence_attributes(r, m.first) || source_cue_around(r, m.first, m.last).is_some())
    {
        return false;
    }
    !is_group && !is_source
}

fn place_context(r: &Reader, m: &NameMatch, all: &[NameMatch]) -> bool {
    if place_cue_before(r, m.first).is_some() {
        return true;
    }
    let is_place =
        |x: &NameMatch| x.targets.iter().any(|t| matches!(t, Entity::Place(_))) && !x.fuzzy;
    let sep = |i: usize| {
        i < r.doc.tokens.len() && (r.doc.is_punct(i, ",") || matches!(r.folded(i), "et" | "and"))
    };
    let before = m.first >= 2
        && sep(m.first - 1)
        && all.iter().any(|x| x.last == m.first - 1 && is_place(x));
    let after = sep(m.last) && all.iter().any(|x| x.first == m.last + 1 && is_place(x));
    before || after
}

/// A place opening a paragraph in capitals or followed by a news agency in
/// brackets or a dash: a dateline.
fn is_dateline(doc: &Doc, first: usize, last: usize) -> bool {
    let toks = &doc.tokens;
    let opens_paragraph = first == 0 || toks[first].newline_before;
    if !opens_paragraph {
        return false;
    }
    if toks[first..last]
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .all(|t| t.all_caps && t.end - t.start > 1)
    {
        return true;
    }
    let mut j = last;
    while j < toks.len() && j < last + 6 && toks[j].sentence == toks[first].sentence {
        let t = &toks[j];
        if t.kind == TokenKind::Punct && matches!(doc.slice(t), "(" | "–" | "—" | ":" | "-" | "/")
        {
            return true;
        }
        if t.kind == TokenKind::Word && !t.cap {
            return false;
        }
        j += 1;
    }
    false
}

fn place_score(
    k: &Knowledge,
    p: usize,
    country: Option<&str>,
    mentioned: &[usize],
    cue: Option<LocationKind>,
) -> f64 {
    let place = &k.places[p];
    let mut s = 0.0;
    if country.is_some() && place.country.as_deref() == country {
        s += 10.0;
    }
    let ancestors = k.ancestors(p);
    if ancestors.iter().any(|a| mentioned.contains(a)) {
        s += 6.0;
    }
    if let Some(c) = cue {
        if c == place.kind {
            s += 4.0;
        }
    }
    s += (place.population.unwrap_or(0) as f64 + 1.0).log10() * 0.5;
    s
}

/// Among groups sharing a name, the one of the article's country; a
/// generic entry of another country is swapped for the article country's.
fn resolve_group(
    k: &Knowledge,
    groups: &[usize],
    country: Option<&str>,
    named_nationality: bool,
) -> usize {
    let mut best = groups[0];
    // "Israeli forces" stays Israeli in a Gaza article; "les rebelles" follows the article.
    if let (Some(c), false) = (country, named_nationality) {
        if let Some(&g) = groups
            .iter()
            .find(|g| k.groups[**g].country.as_deref() == Some(c))
        {
            best = g;
        } else if let Some(role) = k.groups[best].generic {
            if let Some(g) = k.generic_group(c, role) {
                best = g;
            }
        }
    }
    best
}

/// A nationality next to a generic word ("armée libanaise", "Saudi soldiers"):
/// the country and the end of the phrase.
fn demonym_near(r: &Reader, first: usize, last: usize) -> Option<(String, usize)> {
    let doc = r.doc;
    if let Some((end, c)) = r.lx.demonyms.longest_at(doc, last) {
        return Some((c.clone(), end));
    }
    // Modifier then demonym ("soldats gouvernementaux syriens" is rare; one step).
    if first > 0 {
        for back in 1..=2 {
            if first >= back {
                if let Some((end, c)) = r.lx.demonyms.longest_at(doc, first - back) {
                    if end == first {
                        return Some((c.clone(), last));
                    }
                }
            }
        }
    }
    None
}

/// A place cue ending right before `first`: (cue start, cue).
fn place_cue_before(r: &Reader, first: usize) -> Option<(usize, crate::knowledge::PlaceCue)> {
    for back in (1..=4).rev() {
        if first < back {
            continue;
        }
        let start = first - back;
        if let Some((end, cue)) = r.lx.place_cues.longest_at(r.doc, start) {
            if end == first && !cue.after {
                return Some((start, *cue));
            }
        }
    }
    None
}

fn sentence_attributes(r: &Reader, i: usize) -> bool {
    r.attributes(r.doc.tokens[i].sentence)
}

/// A source cue next to a name ("le site X", "X newspaper").
fn source_cue_around(r: &Reader, first: usize, last: usize) -> Option<SourceKind> {
    for back in 1..=3 {
        if first >= back {
            if let Some((end, cue)) = r.lx.source_cues.longest_at(r.doc, first - back) {
                if end == first && !cue.after {
                    return Some(cue.kind);
                }
            }
        }
    }
    if let Some((_, cue)) = r.lx.source_cues.longest_at(r.doc, last) {
        if cue.after {
            return Some(cue.kind);
        }
    }
    None
}

fn find_unlisted_places(r: &Reader, ents: &mut Entities, taken: &mut [bool]) {
    let doc = r.doc;
    let toks = &doc.tokens;
    let mut i = 0;
    while i < toks.len() {
        let Some((end, cue)) = r.lx.place_cues.longest_at(doc, i) else {
            i += 1;
            continue;
        };
        let cue = *cue;
        if cue.after {
            // "X neighbourhood": the capitalised run right before the cue.
            if i > 0 && !covered(taken, i - 1, i) && r.is_cap_word(i - 1) {
                let mut first = i - 1;
                let mut words = 1;
                while first > 0 && words < 4 {
                    let p = first - 1;
                    let t = &toks[p];
                    if t.sentence != toks[i].sentence || covered(taken, p, p + 1) {
                        break;
                    }
                    let glued = !toks[first].space_before;
                    let joins = t.kind == TokenKind::Punct
                        && matches!(doc.slice(t), "-" | "'" | "’")
                        && glued;
                    let article = t.kind == TokenKind::Word && is_article(r.folded(p)) && glued;
                    let word = t.kind == TokenKind::Word && t.cap;
                    if !(joins || article || word) {
                        break;
                    }
                    if word {
                        words += 1;
                    }
                    first = p;
                }
                // Skip a sentence-initial article or "The".
                while first < i
                    && (r.not_name(r.folded(first)) || doc.tokens[first].kind == TokenKind::Punct)
                {
                    first += 1;
                }
                if first < i && !r.person_before(first) && !is_weak_blocked(r, first, i) {
                    add_unlisted_place(r, ents, taken, first, i, cue.kind);
                }
            }
            i = end;
            continue;
        }
        // Lists: "les deux localités de Krak et Samline", "les quartiers de A, B et C".
        let mut j = end;
        let mut added = 0;
        loop {
            if j >= toks.len() || toks[j].sentence != toks[i].sentence {
                break;
            }
            if covered(taken, j, j + 1) {
                // A known place after the cue: nothing to add, but the list may go on.
                let mut k = j;
                while k < toks.len() && covered(taken, k, k + 1) {
                    k += 1;
                }
                j = k;
            } else {
                let Some((first, last)) = r.capitalised_run(j, 4) else {
                    break;
                };
                if covered(taken, first, last) || r.person_before(first) {
                    break;
                }
                // A weak cue only introduces a name that nothing else claims
                // and that is not a source or group spelled differently.
                if cue.weak && (sentence_start(doc, i) || is_weak_blocked(r, first, last)) {
                    break;
                }
                add_unlisted_place(r, ents, taken, first, last, cue.kind);
                added += 1;
                j = last;
            }
            // "X et Y", "X, Y et Z", "X and Y"
            if j < toks.len()
                && matches!(doc.slice(&toks[j]), ",")
                && r.is_cap_word(j + 1)
                && !cue.weak
            {
                j += 1;
                continue;
            }
            if j < toks.len()
                && matches!(r.folded(j), "et" | "and")
                && j + 1 < toks.len()
                && (r.is_cap_word(j + 1) || covered(taken, j + 1, j + 2))
                && !cue.weak
            {
                j += 1;
                continue;
            }
            break;
        }
        let _ = added;
        i = end.max(i + 1);
    }
}

/// "Bab al-Tabbaneh fighters", "Zintan militias", "les miliciens de Misrata":
/// a place with a noun for local fighters is a group of its own; the place
/// stays a place.
fn find_local_groups(r: &Reader, ents: &mut Entities, taken: &mut [bool]) {
    let doc = r.doc;
    // A generic word ("les miliciens") gives way to the local group it names.
    let free = |ents: &Entities, first: usize, last: usize| {
        (first..last).all(|t| {
            !taken[t]
                || ents.groups.iter().any(|g| {
                    g.first <= t
                        && t < g.last
                        && match g.group {
                            GroupId::Generic(_) => true,
                            GroupId::Known(i) => r.k.groups[i].generic.is_some(),
                            GroupId::Local(_) => false,
                        }
                })
        })
    };
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for m in &ents.places {
        let place_text = doc.tokens_text(m.first, m.last);
        // Place then noun.
        if let Some((end, _)) = r.lx.local_forces.longest_at(doc, m.last) {
            if free(ents, m.last, end) {
                found.push((m.first, end, doc.tokens_text(m.first, end).to_string()));
                continue;
            }
        }
        // Noun, "de"/"of"/"from", place.
        let mut j = m.first;
        if j >= 1 && matches!(doc.tok_folded(j - 1), "de" | "d" | "of" | "from" | "du") {
            j -= 1;
            for back in 1..=3 {
                if j < back {
                    break;
                }
                if let Some((end, _)) = r.lx.local_forces.longest_at(doc, j - back) {
                    if end == j && free(ents, j - back, j) {
                        let noun = doc.tokens_text(j - back, j);
                        found.push((j - back, m.last, format!("{place_text} {noun}")));
                        break;
                    }
                }
            }
        }
    }
    for (first, last, name) in found {
        let key = crate::knowledge::name_key(&name);
        let idx = match ents
            .local_groups
            .iter()
            .position(|n| crate::knowledge::name_key(n) == key)
        {
            Some(i) => i,
            None => {
                ents.local_groups.push(name);
                ents.local_groups.len() - 1
            }
        };
        // The group's span covers the noun; the place keeps its own mention.
        ents.groups.retain(|g| g.last <= first || g.first >= last);
        ents.groups.push(GroupMention {
            first,
            last,
            group: GroupId::Local(idx),
            country: ents.country.clone(),
        });
        take(taken, first, last);
    }
}

fn sentence_start(doc: &Doc, i: usize) -> bool {
    doc.sentence_of(i).first == i
}

fn is_weak_blocked(r: &Reader, first: usize, last: usize) -> bool {
    let f = r.folded(first);
    // "à l'Organisme", "in the Observatory": names with a French or English article are not places.
    matches!(f, "l" | "le" | "la" | "les" | "the" | "d")
        || r.k.given_names.contains(f)
        || r.lx.titles.longest_at(r.doc, first).is_some()
        || r.lx.demonyms.longest_at(r.doc, first).is_some()
        || r.lx.group_words.longest_at(r.doc, first).is_some()
        || r.lx.source_cues.longest_at(r.doc, first).is_some()
        || r.k.lexicons().iter().any(|l| l.victims.longest_at(r.doc, first).is_some())
        // A run followed by a person-like word or a possessive is a name of
        // something else ("à Bachar al-Assad", "in Hizbullah's").
        || last - first > 3
}

fn add_unlisted_place(
    r: &Reader,
    ents: &mut Entities,
    taken: &mut [bool],
    first: usize,
    last: usize,
    kind: LocationKind,
) {
    let doc = r.doc;
    let name = doc
        .tokens_text(first, last)
        .trim_matches(|c: char| c == '-' || c == '\'')
        .to_string();
    if name.chars().filter(|c| c.is_alphabetic()).count() < 3 {
        return;
    }
    // The nearest known place after it in the same sentence is its parent
    // ("à Wadi Chawak, dans le district d'al-Guil, à Jawf"); else the one before.
    let sentence = doc.tokens[first].sentence;
    let known_after = ents
        .places
        .iter()
        .filter(|m| doc.tokens[m.first].sentence == sentence && m.first >= last)
        .filter_map(|m| {
            if let PlaceId::Known(p) = m.place {
                Some(p)
            } else {
                None
            }
        })
        .next();
    let known_before = ents
        .places
        .iter()
        .rev()
        .filter(|m| doc.tokens[m.first].sentence == sentence && m.last <= first)
        .find_map(|m| {
            if let PlaceId::Known(p) = m.place {
                Some(p)
            } else {
                None
            }
        });
    let parent = known_after.or(known_before);
    let country = parent
        .and_then(|p| r.k.places[p].country.clone())
        .or_else(|| ents.country.clone());
    let key = crate::knowledge::name_key(&name);
    let idx = match ents
        .unlisted_places
        .iter()
        .position(|u| crate::knowledge::name_key(&u.name) == key)
    {
        Some(i) => i,
        None => {
            ents.unlisted_places.push(UnlistedPlace {
                name,
                kind,
                country,
                parent,
            });
            ents.unlisted_places.len() - 1
        }
    };
    ents.places.push(PlaceMention {
        first,
        last,
        place: PlaceId::Unlisted(idx),
        dateline: false,
    });
    take(taken, first, last);
}

fn find_unlisted_sources(r: &Reader, ents: &mut Entities, taken: &mut [bool]) {
    let doc = r.doc;
    let toks = &doc.tokens;
    let add = |ents: &mut Entities,
               taken: &mut [bool],
               first: usize,
               last: usize,
               name: String,
               canonical: String,
               kind: SourceKind| {
        let key = crate::knowledge::name_key(&canonical);
        let idx = match ents
            .unlisted_sources
            .iter()
            .position(|u| crate::knowledge::name_key(&u.canonical) == key)
        {
            Some(i) => i,
            None => {
                ents.unlisted_sources.push(UnlistedSource {
                    name,
                    canonical,
                    kind,
                });
                ents.unlisted_sources.len() - 1
            }
        };
        ents.sources.push(SourceMention {
            first,
            last,
            source: SourceId::Unlisted(idx),
        });
        take(taken, first, last);
    };
    // "le site X", "l'agence X", "X newspaper".
    let mut i = 0;
    while i < toks.len() {
        let Some((end, cue)) = r.lx.source_cues.longest_at(doc, i) else {
            i += 1;
            continue;
        };
        let cue = *cue;
        if !cue.after {
            // Skip adjectives between the cue and the name ("le journal libanais as-Safir").
            let mut j = end;
            while j < toks.len()
                && toks[j].kind == TokenKind::Word
                && !toks[j].cap
                && (r.lx.demonyms.get_key(r.folded(j)).is_some()
                    || matches!(
                        r.folded(j),
                        "officiel" | "officielle" | "americain" | "local" | "locale"
                    ))
            {
                j += 1;
            }
            if let Some((first, last)) = r.capitalised_run(j, 4) {
                if !covered(taken, first, last) && !r.person_before(first) {
                    let name = doc.tokens_text(first, last).to_string();
                    add(ents, taken, first, last, name.clone(), name, cue.kind);
                }
            }
        } else if i > 0 && r.is_cap_word(i - 1) && !covered(taken, i - 1, i) {
            let mut first = i - 1;
            while first > 0
                && r.is_cap_word(first - 1)
                && !covered(taken, first - 1, first)
                && toks[first - 1].sentence == toks[i].sentence
            {
                first -= 1;
            }
            while first < i && r.not_name(r.folded(first)) {
                first += 1;
            }
            if first < i {
                let name = doc.tokens_text(first, i).to_string();
                add(ents, taken, first, i, name.clone(), name, cue.kind);
            }
        }
        i = end.max(i + 1);
    }
    // "selon X", "according to X": a capitalised name nothing else claims.
    for s in &doc.sentences {
        for (_, end, _) in r.lx.attribution.find_all(doc, s.first, s.last) {
            let f = r.folded(end.saturating_sub(1));
            if !matches!(f, "selon" | "apres" | "to") {
                continue;
            }
            if let Some((first, last)) = r.capitalised_run(end, 4) {
                if !covered(taken, first, last)
                    && !r.person_before(first)
                    && !is_weak_blocked(r, first, last)
                {
                    let name = doc.tokens_text(first, last).to_string();
                    add(
                        ents,
                        taken,
                        first,
                        last,
                        name.clone(),
                        name,
                        SourceKind::Unknown,
                    );
                }
            }
        }
    }
    // Titled people in a sentence that attributes: "le colonel Ahmad Jabbouri",
    // "Le gouverneur d'Alep, Mohamed Marwan Oulabi".
    for s in &doc.sentences {
        if r.lx.attribution.find_all(doc, s.first, s.last).is_empty() {
            continue;
        }
        let mut i = s.first;
        while i < s.last {
            let Some((end, _)) = r.lx.titles.longest_at(doc, i) else {
                i += 1;
                continue;
            };
            // Optional "de/d'/of" + a place or organisation, then an optional comma.
            let mut j = end;
            if j < s.last && matches!(r.folded(j), "de" | "d" | "du" | "of") {
                j += 1;
                if j < s.last && (doc.is_punct(j, "'") || doc.is_punct(j, "’")) {
                    j += 1;
                }
                while j < s.last && (covered(taken, j, j + 1) || r.is_cap_word(j)) {
                    j += 1;
                }
            }
            if j < s.last && doc.is_punct(j, ",") {
                j += 1;
            }
            if let Some((first, last)) = r.capitalised_run(j, 4) {
                if last - first >= 2 && !covered(taken, first, last) {
                    let name = doc.tokens_text(i, last).to_string();
                    let canonical = doc.tokens_text(first, last).to_string();
                    add(ents, taken, i, last, name, canonical, SourceKind::Person);
                    i = last;
                    continue;
                }
            }
            i = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lang: &str, s: &str) -> (Doc, Entities) {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(s.to_string(), 0, &|w| k.is_abbreviation(w));
        let ents = find_entities(&Reader::new(&doc, k, k.lexicon(lang)));
        (doc, ents)
    }

    fn place_names(doc: &Doc, e: &Entities) -> Vec<String> {
        e.places
            .iter()
            .map(|m| doc.tokens_text(m.first, m.last).to_string())
            .collect()
    }

    #[test]
    fn a_person_named_like_a_place_is_no_place() {
        let (doc, e) = read("fr", "Sur le sol de cette caserne du nom d'un officier syrien Ibrahim Hanano gisaient les corps. La caserne Hanano à Alep.");
        let names = place_names(&doc, &e);
        assert!(!names.contains(&"Hanano".to_string()), "{names:?}");
        assert!(names.iter().any(|n| n.contains("Alep")), "{names:?}");
    }

    #[test]
    fn cues_introduce_places_the_gazetteer_lacks() {
        let (doc, e) = read("fr", "Les forces ont bombardé la région de Zzyzxville et les deux localités de Qarfoun et Batlouk à Homs.");
        let names = place_names(&doc, &e);
        for n in ["Zzyzxville", "Qarfoun", "Batlouk", "Homs"] {
            assert!(names.contains(&n.to_string()), "{n} missing from {names:?}");
        }
        let u = e
            .unlisted_places
            .iter()
            .find(|u| u.name == "Qarfoun")
            .unwrap();
        assert_eq!(u.kind, LocationKind::Town);
        assert_eq!(u.country.as_deref(), Some("SY"));
    }

    #[test]
    fn generic_words_resolve_to_the_country_forces() {
        let k = Knowledge::embedded().unwrap();
        let (_, e) = read(
            "fr",
            "À Ersal, au Liban, l'armée libanaise a affronté les terroristes. L'armée a riposté.",
        );
        let named: Vec<String> = e
            .groups
            .iter()
            .map(|g| match g.group {
                GroupId::Known(i) => k.groups[i].key.clone(),
                GroupId::Generic(r) => r.as_str().to_string(),
                GroupId::Local(i) => e.local_groups[i].clone(),
            })
            .collect();
        assert!(named.contains(&"lb-army".to_string()), "{named:?}");
        assert_eq!(e.country.as_deref(), Some("LB"));
    }

    #[test]
    fn local_armed_groups_are_named_by_their_place() {
        let (_, e) = read(
            "en",
            "Clashes between Bab al-Tabbaneh fighters and Jabal Mohsen gunmen erupted in Tripoli.",
        );
        assert_eq!(
            e.local_groups,
            vec!["Bab al-Tabbaneh fighters", "Jabal Mohsen gunmen"]
        );
        // The places stay places.
        assert_eq!(e.places.len(), 3);
        let (_, e) = read("fr", "Les miliciens de Misrata ont attaqué Syrte.");
        assert_eq!(e.local_groups, vec!["Misrata miliciens"]);
    }
}
