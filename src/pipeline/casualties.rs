//! Casualty figures: which quantities count people killed, wounded,
//! captured, missing, kidnapped, arrested or displaced, who they were, and
//! how the text qualifies the number.
//!
//! A quantity becomes a figure when a noun for people or a casualty word
//! follows it ("cinq soldats", "50 tués", "Douze autres"), and its kind comes
//! from, in order: its own head ("50 tués"), a term after it that applies to
//! what precedes ("ont été tués", "were killed"), a term before it that
//! applies to what follows ("a tué", "killing", "la mort de", "the death toll
//! rose to"), and last its neighbours ("a woman and three children were
//! killed", "dozens of civilians, 19 at least").

use super::entities::{Entities, GroupId};
use super::numbers::{qualifier_after, Quantity};
use crate::knowledge::{CasualtyTerm, Knowledge, Lexicon, VictimNoun};
use crate::model::{CasualtyKind, Category, Qualifier};
use crate::text::{Doc, TokenKind};

#[derive(Debug, Clone)]
pub struct Figure {
    pub kind: CasualtyKind,
    pub count: Option<u64>,
    pub qualifier: Qualifier,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub conventional: Option<u64>,
    /// The words for the people counted, as written ("civils syriens").
    pub victims: Option<String>,
    pub category: Category,
    /// Index into `Entities::groups` of the group the people belong to.
    pub group: Option<usize>,
    /// Token range of the evidence (qualifier, number, noun, verb).
    pub first: usize,
    pub last: usize,
    pub sentence: usize,
    /// Index (in the figure list) of the figure this one is a part of.
    pub part_of: Option<usize>,
    /// Index of the figure this one restates (set by the event stage).
    pub duplicate_of: Option<usize>,
    /// "autres", "others": people other than those counted just before.
    pub others: bool,
    /// A background toll (a war's, a year's): no event, never in a total.
    pub background: bool,
}

/// How the people of a quantity are named.
#[derive(Debug, Default, Clone)]
struct Head {
    end: usize,
    casualty: Option<(CasualtyTerm, usize)>,
    victim: Option<(VictimNoun, usize, usize)>,
    group: Option<usize>,
    others: bool,
    /// The head ran into a noun that is not a person ("cinq chars").
    non_person: bool,
    /// Written as a part of others ("25 of the wounded", "deux d'entre eux").
    partitive: bool,
}

struct Ctx<'a> {
    doc: &'a Doc,
    k: &'a Knowledge,
    lx: &'a Lexicon,
    ents: &'a Entities,
    quantities: &'a [Quantity],
}

/// What decided a figure's kind, before neighbours are consulted.
#[derive(Debug, Clone, Copy)]
struct KindEvidence {
    kind: CasualtyKind,
    /// Last token of the term.
    end: usize,
    /// A second kind joined by "et"/"and" ("tués et blessés").
    also: Option<CasualtyKind>,
    /// Found inside "parmi les blessés", "among the dead": a part of another figure.
    subtotal: bool,
}

impl Ctx<'_> {
    fn folded(&self, i: usize) -> &str {
        self.doc.tok_folded(i)
    }

    fn is_stopword(&self, i: usize) -> bool {
        let f = self.folded(i);
        self.k.lexicons().iter().any(|l| l.stopwords.contains(f))
    }

    fn group_at(&self, i: usize) -> Option<usize> {
        self.ents.groups.iter().position(|g| g.first == i)
    }

    fn quantity_starting_at(&self, i: usize) -> Option<usize> {
        self.quantities
            .iter()
            .position(|q| q.qualifier_first.unwrap_or(q.first) == i || q.first == i)
    }

    /// Skips an age written with digits ("a 12-year-old boy"): returns the index after it.
    fn skip_age(&self, i: usize) -> usize {
        let toks = &self.doc.tokens;
        if toks.get(i).is_some_and(|t| t.kind == TokenKind::Number) {
            let mut j = i + 1;
            if self.doc.is_punct(j, "-") {
                j += 1;
            }
            if let Some((end, _)) = self.lx.units.longest_at(self.doc, j) {
                return end;
            }
        }
        i
    }

    fn parse_head(&self, q: &Quantity) -> Head {
        let doc = self.doc;
        let toks = &doc.tokens;
        let sentence = toks[q.first].sentence;
        let mut h = Head {
            end: q.last,
            ..Default::default()
        };
        let mut j = q.last;
        let in_sentence = |j: usize| j < toks.len() && toks[j].sentence == sentence;
        // Partitive "de", "des", "of", and "of the" ("15 of the slain fighters").
        if in_sentence(j) && matches!(self.folded(j), "de" | "d" | "des" | "du" | "of") {
            let mut k = j + 1;
            if in_sentence(k) && matches!(doc.slice(&toks[k]), "'" | "’") {
                k += 1;
            }
            if in_sentence(k)
                && matches!(
                    self.folded(k),
                    "les"
                        | "the"
                        | "ces"
                        | "these"
                        | "those"
                        | "its"
                        | "their"
                        | "his"
                        | "her"
                        | "ses"
                        | "leurs"
                        | "nos"
                        | "our"
                )
            {
                k += 1;
            }
            if self.quantity_starting_at(k).is_some() {
                h.non_person = true; // "cinq des sept voitures"
                return h;
            }
            h.partitive = true;
            j = k;
        }
        let mut steps = 0;
        while in_sentence(j) && steps < 6 {
            steps += 1;
            let jj = self.skip_age(j);
            if jj != j {
                j = jj;
                continue;
            }
            if let Some((end, term)) = self.lx.casualty_terms.longest_at(doc, j) {
                if term.head && h.victim.is_none() {
                    h.casualty = Some((*term, end));
                    h.end = end;
                    return h;
                }
            }
            // "Three Iraqi soldiers": the nationality is an adjective when a
            // noun for people follows it (after other adjectives, perhaps);
            // in "14 Palestiniens armés" it is the noun.
            if let Some((dem_end, _)) = self.lx.demonyms.longest_at(doc, j) {
                let mut k = dem_end;
                while let Some((e, _)) = self.lx.modifiers.longest_at(doc, k) {
                    k = e;
                }
                if self.lx.victims.longest_at(doc, k).is_some() {
                    j = dem_end;
                    continue;
                }
            }
            if let Some((end, v)) = self.lx.victims.longest_at(doc, j) {
                h.victim = Some((*v, j, end));
                h.end = end;
                j = end;
                // Adjectives after the noun ("civils syriens", "soldats gouvernementaux").
                while in_sentence(j) {
                    let adjective = self
                        .lx
                        .demonyms
                        .longest_at(doc, j)
                        .map(|(e, _)| e)
                        .or_else(|| self.lx.modifiers.longest_at(doc, j).map(|(e, _)| e));
                    if let Some(e) = adjective {
                        j = e;
                        h.end = e;
                        continue;
                    }
                    break;
                }
                // "membres du Hezbollah", "miliciens de la coalition", "members of Hizbullah's".
                let mut k = j;
                if in_sentence(k) && matches!(self.folded(k), "de" | "d" | "du" | "des" | "of") {
                    k += 1;
                    while in_sentence(k)
                        && (matches!(self.folded(k), "la" | "le" | "les" | "l" | "the")
                            || matches!(doc.slice(&toks[k]), "'" | "’"))
                    {
                        k += 1;
                    }
                    if let Some(g) = self.group_at(k) {
                        h.group = Some(g);
                        h.end = self.ents.groups[g].last;
                    } else {
                        // "membres d'une même famille", "members of one family": the
                        // people belong to one unit, which is no second figure.
                        let mut m = k;
                        if in_sentence(m)
                            && matches!(self.folded(m), "une" | "un" | "one" | "a" | "the")
                        {
                            m += 1;
                            while in_sentence(m)
                                && matches!(self.folded(m), "meme" | "same" | "single" | "seule")
                            {
                                m += 1;
                            }
                            if let Some((end, _)) = self.lx.victims.longest_at(doc, m) {
                                h.end = end;
                            }
                        }
                    }
                }
                return h;
            }
            if let Some(g) = self.group_at(j) {
                // "28 Hizbullah fighters": a group name before the noun.
                let last = self.ents.groups[g].last;
                if self.lx.victims.longest_at(doc, last).is_some()
                    || self.lx.modifiers.longest_at(doc, last).is_some()
                {
                    h.group = Some(g);
                    j = last;
                    continue;
                }
                break;
            }
            if let Some((end, _)) = self.lx.modifiers.longest_at(doc, j) {
                if matches!(self.folded(j), "autres" | "others" | "other" | "autre") {
                    h.others = true;
                    h.end = end;
                }
                j = end;
                continue;
            }
            if let Some((end, _)) = self.lx.demonyms.longest_at(doc, j) {
                j = end;
                continue;
            }
            // The head ends here. A content word that is none of the above
            // is a noun for things ("trois explosions", "5 chars").
            let t = &toks[j];
            if t.kind == TokenKind::Word
                && !self.is_stopword(j)
                && self.lx.qualifiers.longest_at(doc, j).is_none()
                && self.lx.casualty_terms.longest_at(doc, j).is_none()
                && self.lx.subtotal_cues.longest_at(doc, j).is_none()
                && !matches!(self.folded(j), "et" | "and" | "ou" | "or" | "y")
            {
                h.non_person = true;
            }
            break;
        }
        h
    }

    /// Whether a term at `start..end` is directly followed by a figure it applies to
    /// ("killed 20 civilians", "Daech arrête 54 personnes").
    fn term_has_object(&self, end: usize) -> bool {
        let mut j = end;
        let toks = &self.doc.tokens;
        while j < toks.len()
            && (matches!(
                self.folded(j),
                "les" | "the" | "des" | "ces" | "de" | "d" | "a" | "aux" | "au"
            ) || self.doc.is_punct(j, "'"))
        {
            j += 1;
        }
        // "and wounded others", "et blessé d'autres": an active verb whose object is not counted.
        self.quantity_starting_at(j).is_some()
            || j < toks.len()
                && matches!(
                    self.folded(j),
                    "others" | "autres" | "dozens" | "many" | "several"
                )
    }

    /// The kind from terms after the people: the highest priority, the first on ties.
    fn kind_after(&self, from: usize, stop: usize) -> Option<KindEvidence> {
        let doc = self.doc;
        let mut best: Option<(i32, KindEvidence)> = None;
        let mut j = from;
        while j < stop {
            if doc.is_punct(j, ";") {
                break;
            }
            // "sans dire s'il avait été tué", "aux funérailles des victimes":
            // what follows is not said of these people.
            if self.lx.detached_cues.longest_at(doc, j).is_some()
                || self.lx.funeral_cues.longest_at(doc, j).is_some()
            {
                break;
            }
            let Some((end, term)) = self.lx.casualty_terms.longest_at(doc, j) else {
                j += 1;
                continue;
            };
            if end > stop {
                break;
            }
            if (term.post || term.head) && !self.term_has_object(end) {
                let also = self.joined_kind(end).filter(|k| *k != term.kind);
                // "were among the dead", "parmi les morts": part of a toll given elsewhere.
                let subtotal = (j..end).any(|x| self.lx.subtotal_cues.longest_at(doc, x).is_some());
                let ev = KindEvidence {
                    kind: term.kind,
                    end,
                    also,
                    subtotal,
                };
                if best.as_ref().is_none_or(|(p, _)| term.priority > *p) {
                    best = Some((term.priority, ev));
                }
            }
            j = end;
        }
        best.map(|(_, ev)| ev)
    }

    /// "tués et blessés", "killed or wounded": the kind of the second term.
    fn joined_kind(&self, end: usize) -> Option<CasualtyKind> {
        if end < self.doc.tokens.len() && matches!(self.folded(end), "et" | "and" | "ou" | "or") {
            let (_, t) = self.lx.casualty_terms.longest_at(self.doc, end + 1)?;
            return Some(t.kind);
        }
        None
    }

    /// The kind from a term before the people: an active verb ("a tué",
    /// "killing"), a noun ("la mort de"), a toll ("the death toll rose to"),
    /// or a set they belong to ("parmi les blessés", "among the dead").
    fn kind_before(&self, q: &Quantity, floor: usize) -> Option<KindEvidence> {
        let doc = self.doc;
        let start = q.qualifier_first.unwrap_or(q.first);
        let lo = start.saturating_sub(8).max(floor);
        let mut found: Option<KindEvidence> = None;
        for j in (lo..start).rev() {
            if let Some((end, term)) = self.lx.casualty_terms.longest_at(doc, j) {
                if end > start {
                    continue;
                }
                if term.pre || term.noun {
                    found = Some(KindEvidence {
                        kind: term.kind,
                        end,
                        also: self.joined_kind(end),
                        subtotal: false,
                    });
                    break;
                }
                if term.post || term.head {
                    if end == start || self.term_has_object(end) {
                        // "killed 20 civilians": a participle followed by its object.
                        found = Some(KindEvidence {
                            kind: term.kind,
                            end,
                            also: None,
                            subtotal: false,
                        });
                        break;
                    }
                    // "parmi les blessés figurent 11 enfants", "Among the dead was a paramedic".
                    let cue_before =
                        |set: &crate::knowledge::PhraseSet<()>, b: usize, exact: bool| {
                            j >= b
                                && set.longest_at(doc, j - b).is_some_and(|(e, _)| {
                                    if exact {
                                        e == j
                                    } else {
                                        e >= j
                                    }
                                })
                        };
                    let member = (1..=3).any(|b| {
                        cue_before(&self.lx.membership_cues, b, true)
                            || cue_before(&self.lx.subtotal_cues, b, false)
                    });
                    if member {
                        found = Some(KindEvidence {
                            kind: term.kind,
                            end,
                            also: None,
                            subtotal: true,
                        });
                    }
                    break;
                }
            }
        }
        if found.is_some() {
            return found;
        }
        // Tolls reach further back: "Today's death toll from the Tripoli sniper activity has risen to three".
        let lo = start.saturating_sub(12).max(floor);
        for j in (lo..start).rev() {
            if let Some((end, toll)) = self.lx.tolls.longest_at(doc, j) {
                if end <= start {
                    return Some(KindEvidence {
                        kind: toll.kind,
                        end,
                        also: None,
                        subtotal: false,
                    });
                }
            }
        }
        None
    }

    /// A sub-total cue right before the quantity ("dont 5 enfants", "including 3 children").
    fn subtotal_cue_before(&self, q: &Quantity) -> bool {
        let start = q.qualifier_first.unwrap_or(q.first);
        (1..=3).any(|b| {
            start >= b
                && self
                    .lx
                    .subtotal_cues
                    .longest_at(self.doc, start - b)
                    .is_some_and(|(e, _)| e == start || e + 1 == start)
        })
    }

    /// Whose people, from "parmi les habitants", "dans les rangs des miliciens", "among the militants".
    fn membership_after(&self, from: usize, stop: usize) -> Option<(Category, Option<usize>)> {
        let doc = self.doc;
        let mut j = from;
        while j < stop {
            if let Some((end, _)) = self.lx.membership_cues.longest_at(doc, j) {
                let mut k = end;
                while k < stop
                    && (matches!(self.folded(k), "les" | "des" | "the" | "la" | "l" | "du")
                        || doc.is_punct(k, "'"))
                {
                    k += 1;
                }
                if let Some(g) = self.group_at(k) {
                    let cat = self.group_category(g);
                    return Some((cat, Some(g)));
                }
                if let Some((_, v)) = self.lx.victims.longest_at(doc, k) {
                    if let Some(c) = v.category {
                        let group = self.group_at(k);
                        return Some((c, group));
                    }
                }
                j = end;
                continue;
            }
            j += 1;
        }
        None
    }

    fn group_category(&self, g: usize) -> Category {
        match self.ents.groups[g].group {
            GroupId::Known(i) => self.k.groups[i].category,
            GroupId::Generic(role) => role.kind_and_side().0.default_category(),
            GroupId::Local(_) => Category::Combatant,
        }
    }
}

/// Only "et", "and", "de", "of" and commas between two figures.
fn first_gap_is_coordination(doc: &Doc, from: usize, to: usize) -> bool {
    from < to
        && to - from <= 3
        && (from..to).any(|j| matches!(doc.tok_folded(j), "et" | "and"))
        && (from..to).all(|j| {
            matches!(
                doc.tok_folded(j),
                "et" | "and" | "de" | "d" | "of" | "," | "'"
            )
        })
}

/// Bounds implied by a qualifier (documented in the README).
pub fn bounds(
    count: Option<u64>,
    qualifier: Qualifier,
    vague_low: Option<u64>,
) -> (Option<u64>, Option<u64>) {
    match (qualifier, count) {
        (Qualifier::Vague, _) => (vague_low, None),
        (_, None) => (None, None),
        (Qualifier::Exact, Some(n)) => (Some(n), Some(n)),
        (Qualifier::AtLeast, Some(n)) => (Some(n), None),
        (Qualifier::MoreThan, Some(n)) => (Some(n + 1), None),
        (Qualifier::About, Some(n)) => (None, Some(n)),
        (Qualifier::UpTo, Some(n)) => (None, Some(n)),
        (Qualifier::LessThan, Some(n)) => (None, Some(n.saturating_sub(1))),
    }
}

/// Reads every casualty figure of a document.
pub fn find_figures(
    doc: &Doc,
    k: &Knowledge,
    lx: &Lexicon,
    ents: &Entities,
    quantities: &[Quantity],
) -> Vec<Figure> {
    let cx = Ctx {
        doc,
        k,
        lx,
        ents,
        quantities,
    };
    let toks = &doc.tokens;
    struct Draft {
        q: usize,
        head: Head,
        kind: Option<KindEvidence>,
        subtotal: bool,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    for (qi, q) in quantities.iter().enumerate() {
        // Inside the noun phrase of the figure before ("membres d'une famille").
        if drafts
            .last()
            .is_some_and(|d| q.first < d.head.end && quantities[d.q].first < q.first)
        {
            continue;
        }
        let head = cx.parse_head(q);
        if head.non_person {
            continue;
        }
        // "…, a doctor said", "two officials told AFP": the speaker is no figure.
        let speaker = head.casualty.is_none()
            && head.victim.is_some()
            && lx.attribution.longest_at(doc, head.end).is_some();
        if speaker {
            continue;
        }
        if q.indefinite && head.victim.is_none() && head.casualty.is_none() {
            continue; // "un barrage", "a massacre"
        }
        if q.zero && head.victim.is_none() && head.casualty.is_none() {
            continue;
        }
        let sentence = &doc.sentences[toks[q.first].sentence];
        // The clause ends at the next quantity, unless that one is a part of
        // this one set off by commas ("Ten people, including three children,
        // were kidnapped"): then at the one after.
        let starts: Vec<usize> = quantities[qi + 1..]
            .iter()
            .map(|n| n.qualifier_first.unwrap_or(n.first))
            .take_while(|s| *s < sentence.last)
            .collect();
        let mut next_start = starts.first().copied().unwrap_or(sentence.last);
        if let Some(&s) = starts.first() {
            let parenthetical = (1..=3).any(|b| {
                s >= b
                    && lx
                        .subtotal_cues
                        .longest_at(doc, s - b)
                        .is_some_and(|(e, _)| e == s)
            }) && (s..sentence.last).take(8).any(|j| doc.is_punct(j, ","));
            if parenthetical {
                next_start = starts.get(1).copied().unwrap_or(sentence.last);
            }
        }
        let prev_end = if qi > 0 && quantities[qi - 1].last > sentence.first {
            quantities[qi - 1].last
        } else {
            sentence.first
        };
        let mut kind = head.casualty.map(|(t, end)| KindEvidence {
            kind: t.kind,
            end,
            also: cx.joined_kind(end),
            subtotal: false,
        });
        if kind.is_none() {
            // Without a noun for people, the verb must come right after ("des dizaines ont été blessés").
            let stop = if head.victim.is_none() && !head.others {
                (head.end + 5).min(next_start)
            } else {
                (head.end + 14).min(next_start)
            };
            kind = cx.kind_after(head.end, stop);
            // A term after the people that a higher-priority one overrides
            // ("atteint ... est décédé") is handled by priority in kind_after.
        }
        if kind.is_none() {
            kind = cx.kind_before(q, prev_end);
        }
        let subtotal = cx.subtotal_cue_before(q)
            || kind.is_some_and(|k| k.subtotal)
            || (head.partitive && head.casualty.is_some())
            // "three women among them", "dont deux femmes parmi eux"
            || (head.end..(head.end + 2).min(sentence.last)).any(|j| lx.subtotal_cues.longest_at(doc, j).is_some());
        let has_people = head.victim.is_some() || head.casualty.is_some() || head.others;
        if kind.is_none() && !has_people {
            // A bare number with nothing after it: only an apposition can make it a figure.
            // ("dozens of civilians, 19 at least"; "14 Palestinians, three in Jenin and two in Nablus").
            let start = q.qualifier_first.unwrap_or(q.first);
            let apposition = qi > 0
                && drafts.last().is_some_and(|d| d.q == qi - 1)
                && start >= 1
                && (doc.is_punct(start - 1, ",")
                    || matches!(doc.tok_folded(start - 1), "et" | "and"))
                && quantities[qi - 1].last + 6 >= start;
            if !apposition {
                continue;
            }
            // Followed by a place, it is that place's share: a part of the figure before.
            let by_place = lx
                .locatives
                .longest_at(doc, q.last)
                .is_some_and(|(e, _)| ents.places.iter().any(|m| m.first == e));
            drafts.push(Draft {
                q: qi,
                head,
                kind,
                subtotal: subtotal || by_place,
            });
            continue;
        }
        drafts.push(Draft {
            q: qi,
            head,
            kind,
            subtotal,
        });
    }

    // Neighbours: coordination ("a woman and three children were killed",
    // "la mort d'un officier et de deux soldats") and apposition ("dozens of
    // civilians, 19 at least were documented").
    for _ in 0..2 {
        for d in 0..drafts.len() {
            if drafts[d].kind.is_some() {
                continue;
            }
            let q = &quantities[drafts[d].q];
            let s = toks[q.first].sentence;
            let start = q.qualifier_first.unwrap_or(q.first);
            let head_end = drafts[d].head.end;
            let next = drafts
                .get(d + 1)
                .filter(|n| toks[quantities[n.q].first].sentence == s);
            let joined_to_next = next.is_some_and(|n| {
                let ns = quantities[n.q]
                    .qualifier_first
                    .unwrap_or(quantities[n.q].first);
                let gap = head_end..ns;
                ns <= head_end + 3
                    && gap
                        .clone()
                        .any(|j| matches!(doc.tok_folded(j), "et" | "and" | "ou" | "or" | ","))
                    && gap.into_iter().all(|j| {
                        matches!(
                            doc.tok_folded(j),
                            "et" | "and" | "ou" | "or" | "," | "de" | "d" | "of" | "'"
                        )
                    })
            });
            if let Some(nk) = next.filter(|_| joined_to_next).and_then(|n| n.kind) {
                drafts[d].kind = Some(KindEvidence {
                    kind: nk.kind,
                    end: head_end,
                    also: None,
                    subtotal: false,
                });
                continue;
            }
            // A sub-total ("dont 5 enfants", "including 3 children") is of the kind of what it is part of.
            if drafts[d].subtotal {
                if let Some(pk) = drafts[..d]
                    .iter()
                    .rev()
                    .take_while(|p| toks[quantities[p.q].first].sentence + 3 >= s)
                    .find_map(|p| p.kind)
                {
                    drafts[d].kind = Some(KindEvidence {
                        kind: pk.kind,
                        end: head_end,
                        also: None,
                        subtotal: true,
                    });
                    continue;
                }
            }
            let prev = if d > 0 {
                drafts
                    .get(d - 1)
                    .filter(|p| toks[quantities[p.q].first].sentence == s)
            } else {
                None
            };
            if let Some(p) = prev {
                let p_end = p.head.end.max(quantities[p.q].last);
                if let (Some(pk), true) = (p.kind, p_end + 3 >= start) {
                    let subtotal = p.subtotal;
                    drafts[d].kind = Some(KindEvidence {
                        kind: pk.kind,
                        end: head_end,
                        also: None,
                        subtotal: false,
                    });
                    drafts[d].subtotal |= subtotal;
                }
            }
        }
    }

    // Build the figures.
    let mut figures: Vec<Figure> = Vec::new();
    for d in &drafts {
        let Some(kind) = d.kind else { continue };
        let q = &quantities[d.q];
        let sentence_idx = toks[q.first].sentence;
        let sentence = &doc.sentences[sentence_idx];
        let mut qualifier = q.qualifier;
        let mut end = d.head.end.max(q.last).max(kind.end);
        if qualifier == Qualifier::Exact {
            for at in [q.last, d.head.end] {
                if let Some((e, ql)) = qualifier_after(doc, lx, at) {
                    qualifier = ql;
                    end = end.max(e);
                    break;
                }
            }
        }
        let (mut low, mut high) = bounds(q.count, qualifier, q.vague_low);
        if let Some(top) = q.range_high {
            // "entre dix et quinze morts": at least the low end, at most the high end.
            if qualifier == Qualifier::Exact {
                qualifier = Qualifier::AtLeast;
            }
            low = low.or(q.count);
            high = Some(top);
        }
        let victims = d
            .head
            .victim
            .map(|(_, a, b)| doc.tokens_text(a, b).to_string());
        // Category and group.
        let mut group = d.head.group;
        let mut category = match d.head.victim {
            Some((v, _, _)) => match v.category {
                Some(c) => c,
                None => group
                    .map(|g| cx.group_category(g))
                    .unwrap_or(Category::Unknown),
            },
            None => Category::Unknown,
        };
        if category != Category::Unknown && group.is_none() && d.head.victim.is_some() {
            // keep the noun's category
        } else if let Some(g) = group {
            if d.head.victim.is_some_and(|(v, _, _)| {
                v.category.is_none() || v.category == Some(Category::Unknown)
            }) {
                category = cx.group_category(g);
            }
        }
        if category == Category::Unknown {
            let stop = sentence.last;
            if let Some((c, g)) = cx.membership_after(d.head.end, stop) {
                category = c;
                group = group.or(g);
            }
        }
        let figure_index = figures.len();
        // "un officier et deux soldats", "a woman and three children": people
        // named one after the other are added up, like "others".
        let coordinated = d.head.victim.is_some()
            && figures.last().is_some_and(|p: &Figure| {
                p.sentence == sentence_idx
                    && p.kind == kind.kind
                    && p.victims.is_some()
                    && p.part_of.is_none()
                    && first_gap_is_coordination(doc, p.last, q.qualifier_first.unwrap_or(q.first))
            });
        let others = d.head.others || (coordinated && !d.subtotal);
        if category == Category::Unknown && (d.head.victim.is_none() || others) {
            // "Douze autres ont été blessés", "plus de 47 blessés": the people of the figure just before.
            if let Some(prev) = figures
                .iter()
                .rev()
                .find(|f| f.sentence + 2 >= sentence_idx && (f.part_of.is_none() || !others))
            {
                if prev.sentence == sentence_idx || others {
                    category = prev.category;
                    group = group.or(prev.group);
                }
            }
        }
        let part_of = if d.subtotal {
            figures
                .iter()
                .enumerate()
                .rev()
                .take_while(|(_, f)| f.sentence + 3 >= sentence_idx)
                .find(|(_, f)| {
                    f.part_of.is_none()
                        && f.kind == kind.kind
                        && (f.count.is_none() || q.count.is_none() || f.count >= q.count)
                })
                .map(|(i, _)| i)
        } else {
            None
        };
        let first = q.qualifier_first.unwrap_or(q.first).min(q.first);
        let last = end.min(sentence.last).max(q.last);
        figures.push(Figure {
            kind: kind.kind,
            count: q.count,
            qualifier,
            low,
            high,
            conventional: q.conventional,
            victims: victims.clone(),
            category,
            group,
            first,
            last,
            sentence: sentence_idx,
            part_of,
            duplicate_of: None,
            others,
            background: false,
        });
        // "plusieurs mercenaires ont été tués et blessés": a vague amount of
        // people killed and wounded is a vague figure of each kind.
        if let Some(also) = kind.also {
            if q.count.is_none() || q.zero {
                let mut second = figures[figure_index].clone();
                second.kind = also;
                figures.push(second);
            }
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::entities::{find_entities, Reader};
    use crate::pipeline::numbers::find_quantities;

    fn figures(lang: &str, s: &str) -> Vec<(CasualtyKind, Option<u64>, Qualifier, Category, bool)> {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(s.to_string(), 0, &|w| k.is_abbreviation(w));
        let lx = k.lexicon(lang);
        let ents = find_entities(&Reader::new(&doc, k, lx));
        let qs = find_quantities(&doc, lx);
        find_figures(&doc, k, lx, &ents, &qs)
            .into_iter()
            .map(|f| {
                (
                    f.kind,
                    f.count,
                    f.qualifier,
                    f.category,
                    f.part_of.is_some(),
                )
            })
            .collect()
    }

    use CasualtyKind::*;
    use Category::*;
    use Qualifier::*;

    #[test]
    fn reference_article_figures() {
        let f = figures(
            "fr",
            "Il y a eu 50 tués et plus de 200 blessés parmi les habitants loyalistes d'Alep.",
        );
        assert_eq!(
            f,
            vec![
                (Killed, Some(50), Exact, Civilian, false),
                (Wounded, Some(200), MoreThan, Civilian, false)
            ]
        );
        let f = figures("fr", "Il y a eu 150 tués au moins dans les rangs des miliciens, la plupart d'entre eux ont été évacués, sauf les 14 qui ont photographiés.");
        assert_eq!(f, vec![(Killed, Some(150), AtLeast, Combatant, false)]);
        let f = figures("fr", "Cinq soldats gouvernementaux ont aussi péri.");
        assert_eq!(f, vec![(Killed, Some(5), Exact, SecurityForces, false)]);
        let f = figures("fr", "Lors de l'explosion, il y a eu certes d'énormes destructions, mais aucun tué dans les rangs des militaires réguliers.");
        assert_eq!(f, vec![(Killed, Some(0), Exact, SecurityForces, false)]);
    }

    #[test]
    fn things_are_not_people() {
        assert!(figures("fr", "Le jeudi matin, trois explosions avaient eu lieu.").is_empty());
        assert!(figures(
            "fr",
            "Des centaines de miliciens ont été investis dans l'attaque."
        )
        .is_empty());
        assert!(figures("fr", "Il prétend avoir détruit 5 chars.").is_empty());
        assert!(figures("en", "Qusayr is home to about 20,000 residents.").is_empty());
        assert!(figures(
            "fr",
            "deux autres obus de mortier sont tombés sur les deux quartiers"
        )
        .is_empty());
    }

    #[test]
    fn active_and_passive_verbs() {
        let f = figures(
            "fr",
            "un agent de la sécurité qui a abattu les deux terroristes",
        );
        assert_eq!(f, vec![(Killed, Some(2), Exact, Combatant, false)]);
        let f = figures(
            "en",
            "Warplanes commit a massacre in Aleppo city and kill 20 civilians",
        );
        assert_eq!(f, vec![(Killed, Some(20), Exact, Civilian, false)]);
        let f = figures("fr", "Daech arrête 54 personnes pour espionnage");
        assert_eq!(f[0].0, Arrested);
    }

    #[test]
    fn coordination_contrast_and_apposition() {
        let f = figures(
            "en",
            "leading to the death of 1 man and a child and wounded others.",
        );
        assert_eq!(
            f.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(),
            vec![(Killed, Some(1)), (Killed, Some(1))]
        );
        let f = figures("en", "around 20 Hizbullah fighters and 62 others wounded in battles in Qusayr were submitted to hospitals");
        // Coordinated figures share their verb.
        assert_eq!(
            f.iter().map(|x| (x.0, x.1, x.2)).collect::<Vec<_>>(),
            vec![(Wounded, Some(20), About), (Wounded, Some(62), Exact)]
        );
        let f = figures("en", "led to the death of dozens of civilians, 19 at least were documented by SOHR including 3 children");
        assert_eq!(
            f,
            vec![
                (Killed, None, Vague, Civilian, false),
                (Killed, Some(19), AtLeast, Civilian, false),
                (Killed, Some(3), Exact, Civilian, true)
            ]
        );
    }

    #[test]
    fn sub_totals_and_others() {
        let f = figures(
            "fr",
            "avaient fait 7 blessés, dont 5 enfants âgés entre 2 et 9 ans.",
        );
        assert_eq!(
            f,
            vec![
                (Wounded, Some(7), Exact, Unknown, false),
                (Wounded, Some(5), Exact, Civilian, true)
            ]
        );
        let f = figures(
            "fr",
            "quinze terroristes se sont fait exploser. Douze autres ont été grièvement blessés.",
        );
        assert_eq!(
            f,
            vec![
                (Killed, Some(15), Exact, Combatant, false),
                (Wounded, Some(12), Exact, Combatant, false)
            ]
        );
        let f = figures(
            "fr",
            "Plus de 50 miliciens ont été tués et des dizaines d'autres blessés.",
        );
        assert_eq!(
            f,
            vec![
                (Killed, Some(50), MoreThan, Combatant, false),
                (Wounded, None, Vague, Combatant, false)
            ]
        );
    }

    #[test]
    fn priority_of_death_over_injury() {
        let f = figures("fr", "Un policiers qui a été grièvement atteint à la tête ce matin est décédé ce mardi soir à l'hôpital.");
        assert_eq!(f, vec![(Killed, Some(1), Exact, SecurityForces, false)]);
    }

    #[test]
    fn tolls_and_vague_killed_and_wounded() {
        let f = figures(
            "en",
            "Security sources said the death toll rose to eight from the fighting.",
        );
        assert_eq!(f[0].0, Killed);
        assert_eq!(f[0].1, Some(8));
        let f = figures(
            "fr",
            "plusieurs mercenaires de la coalition ont été tués et blessés",
        );
        assert_eq!(
            f.iter().map(|x| x.0).collect::<Vec<_>>(),
            vec![Killed, Wounded]
        );
    }

    #[test]
    fn bounds_follow_the_qualifier() {
        assert_eq!(bounds(Some(200), MoreThan, None), (Some(201), None));
        assert_eq!(bounds(Some(150), AtLeast, None), (Some(150), None));
        assert_eq!(bounds(Some(30), About, None), (None, Some(30)));
        assert_eq!(bounds(None, Vague, Some(24)), (Some(24), None));
        assert_eq!(bounds(Some(5), Exact, None), (Some(5), Some(5)));
    }

    #[test]
    fn the_speaker_of_a_figure_is_no_figure() {
        let f = figures("en", "Six civilians were killed, a doctor said.");
        assert_eq!(f, vec![(Killed, Some(6), Exact, Civilian, false)]);
        // But a figure after "said" is one.
        let f = figures("en", "Abdel Rahman said 23 fighters were killed.");
        assert_eq!(f, vec![(Killed, Some(23), Exact, Combatant, false)]);
    }

    #[test]
    fn a_part_set_off_by_commas_does_not_cut_the_sentence() {
        let f = figures(
            "en",
            "Ten people, including three children, were kidnapped by gunmen.",
        );
        assert_eq!(
            f,
            vec![
                (Kidnapped, Some(10), Exact, Unknown, false),
                (Kidnapped, Some(3), Exact, Civilian, true)
            ]
        );
    }

    #[test]
    fn a_nationality_is_the_noun_when_no_noun_follows() {
        let f = figures("fr", "Quatorze Palestiniens armés ont été tués.");
        assert_eq!(f[0].1, Some(14));
        let f = figures("en", "Three Iraqi soldiers were killed.");
        assert_eq!(f, vec![(Killed, Some(3), Exact, SecurityForces, false)]);
    }
}
