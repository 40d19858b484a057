//! Events: one per incident. Each sentence that names violence (by the
//! heaviest trigger it holds) is a mention; mentions of the same type at the
//! same place, or one place inside the other, or with no place of their own,
//! are one event; sentences at sibling places are separate incidents. Figures
//! join the event of their sentence, else the nearest one in their paragraph.

use super::casualties::Figure;
use super::dates::DateMention;
use super::entities::{Entities, GroupId, PlaceId};
use crate::knowledge::{Knowledge, Lexicon};
use crate::model::{
    ActorRole, CasualtyKind, Category, DatePrecision, EventType, Fatalities, GroupKind,
    LocationKind, SubType,
};
use crate::text::Doc;
use chrono::NaiveDate;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Event {
    pub sub_type: SubType,
    pub weight: i32,
    /// Sentences that name it.
    pub sentences: Vec<usize>,
    pub location: Option<PlaceId>,
    pub date: Option<(NaiveDate, DatePrecision)>,
    /// (group mention index, role)
    pub actors: Vec<(usize, ActorRole)>,
    pub figures: Vec<usize>,
    pub fatalities: Fatalities,
    pub wounded: Fatalities,
}

impl Event {
    pub fn event_type(&self) -> EventType {
        self.sub_type.event_type()
    }
}

struct Mention {
    sentence: usize,
    sub_type: SubType,
    weight: i32,
    places: Vec<PlaceId>,
    /// The day its sentence names ("Lundi, des bombardements…"), if any.
    day: Option<NaiveDate>,
    /// Its trigger follows a definite word ("the terrorist attack", "cette attaque").
    anaphoric: bool,
}

/// The day a sentence names itself (not a "since" date), if any.
fn sentence_day(inp: &EventInput, s: usize) -> Option<NaiveDate> {
    inp.dates
        .iter()
        .find(|d| {
            inp.doc.tokens[d.first].sentence == s && !d.since && d.precision == DatePrecision::Day
        })
        .map(|d| d.date)
}

pub struct EventInput<'a> {
    pub doc: &'a Doc,
    pub k: &'a Knowledge,
    pub lx: &'a Lexicon,
    pub ents: &'a Entities,
    pub dates: &'a [DateMention],
    pub reference: Option<NaiveDate>,
    /// Token positions of background cues: what follows them in their sentence names no event.
    pub background_cues: &'a [usize],
}

fn place_kind(k: &Knowledge, ents: &Entities, p: PlaceId) -> LocationKind {
    match p {
        PlaceId::Known(i) => k.places[i].kind,
        PlaceId::Unlisted(i) => ents.unlisted_places[i].kind,
    }
}

/// Known places a place lies in (itself first); an unlisted place lies in its parent.
fn lineage(k: &Knowledge, ents: &Entities, p: PlaceId) -> Vec<usize> {
    let known = match p {
        PlaceId::Known(i) => Some(i),
        PlaceId::Unlisted(i) => ents.unlisted_places[i].parent,
    };
    match known {
        None => Vec::new(),
        Some(i) => std::iter::once(i).chain(k.ancestors(i)).collect(),
    }
}

/// Same place, or one inside the other.
fn compatible(k: &Knowledge, ents: &Entities, a: PlaceId, b: PlaceId) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (lineage(k, ents, a), lineage(k, ents, b));
    match (a, b) {
        (PlaceId::Known(x), PlaceId::Known(y)) => la.contains(&y) || lb.contains(&x),
        (PlaceId::Known(x), PlaceId::Unlisted(_)) => lb.contains(&x),
        (PlaceId::Unlisted(_), PlaceId::Known(y)) => la.contains(&y),
        _ => false,
    }
}

/// A headline names a province by its capital ("Russian strikes kill 3 in
/// Syria's Idlib" over "Jisr al-Shughur, in Idlib province"): a city that
/// gives its name to its province may stand for the province. Only for the
/// headline: in the body, "Baghdad" and a town of Baghdad province are two
/// places.
fn headline_compatible(k: &Knowledge, ents: &Entities, headline: PlaceId, b: PlaceId) -> bool {
    if compatible(k, ents, headline, b) {
        return true;
    }
    let PlaceId::Known(x) = headline else {
        return false;
    };
    let city = &k.places[x];
    let names_province = city
        .admin1
        .as_deref()
        .is_some_and(|a| crate::knowledge::name_key(a) == crate::knowledge::name_key(&city.name));
    names_province
        && city
            .parent
            .is_some_and(|province| lineage(k, ents, b).contains(&province))
}

fn places_in_sentence(doc: &Doc, ents: &Entities, s: usize) -> Vec<PlaceId> {
    let mut v: Vec<PlaceId> = Vec::new();
    for m in &ents.places {
        if doc.tokens[m.first].sentence == s && !m.dateline && !v.contains(&m.place) {
            v.push(m.place);
        }
    }
    v
}

/// The most specific of several places (first on ties); countries only when nothing else.
fn most_specific(k: &Knowledge, ents: &Entities, places: &[PlaceId]) -> Option<PlaceId> {
    places
        .iter()
        .copied()
        .min_by_key(|p| place_kind(k, ents, *p).specificity())
}

/// Whether a date is a funeral's: its sentence names a funeral before any
/// violence, and the date comes before the violence too ("ont accompagné
/// mercredi les dépouilles des victimes de la frappe"; but "the funeral of
/// the victims of Tuesday's strike" dates the strike).
fn is_funeral_day(inp: &EventInput, d: &DateMention) -> bool {
    let doc = inp.doc;
    let s = &doc.sentences[doc.tokens[d.first].sentence];
    let trigger = inp
        .lx
        .triggers
        .find_all(doc, s.first, s.last)
        .into_iter()
        .map(|(first, _, _)| first)
        .min()
        .unwrap_or(s.last);
    d.first < trigger
        && (s.first..trigger).any(|j| inp.lx.funeral_cues.longest_at(doc, j).is_some())
}

/// Whether a date is the day something was said: it follows a verb of
/// speaking within four words, with no violence between ("the spokesman told
/// Anadolu Agency on Friday", "a indiqué vendredi à l'AFP").
fn is_statement_day(inp: &EventInput, d: &DateMention) -> bool {
    let doc = inp.doc;
    let s = &doc.sentences[doc.tokens[d.first].sentence];
    (d.first.saturating_sub(6).max(s.first)..d.first).any(|j| {
        inp.lx
            .attribution
            .longest_at(doc, j)
            .is_some_and(|(end, _)| {
                end <= d.first
                    && d.first - end <= 4
                    && inp.lx.triggers.find_all(doc, end, d.first).is_empty()
                    && !matches!(doc.tok_folded(j), "according" | "selon" | "d")
            })
    })
}

pub fn build_events(inp: &EventInput, figures: &mut [Figure]) -> Vec<Event> {
    let incident_days: Vec<DateMention> = inp
        .dates
        .iter()
        .filter(|d| !is_funeral_day(inp, d) && !is_statement_day(inp, d))
        .cloned()
        .collect();
    let inp = &EventInput {
        dates: &incident_days,
        ..*inp
    };
    let doc = inp.doc;
    let k = inp.k;
    let ents = inp.ents;
    // 1. One mention per sentence: its heaviest trigger.
    let mut mentions: Vec<Mention> = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        let best = inp
            .lx
            .triggers
            .find_all(doc, s.first, s.last)
            .into_iter()
            .max_by(|a, b| a.2.weight.cmp(&b.2.weight).then(b.0.cmp(&a.0)));
        // A trigger after a background cue recalls a past campaign ("since the protests began").
        let best = best.filter(|(first, _, _)| {
            !inp.background_cues
                .iter()
                .any(|&c| doc.tokens[c].sentence == si && c < *first)
        });
        // "There was no immediate word of rocket fire": denied violence, unless the sentence counts victims.
        let has_figure = figures.iter().any(|f| f.sentence == si);
        let best = best.filter(|(first, _, _)| {
            has_figure
                || !(first.saturating_sub(5).max(s.first)..*first).any(|j| {
                    inp.lx
                        .negation_cues
                        .longest_at(doc, j)
                        .is_some_and(|(end, _)| end + 4 >= *first)
                })
        });
        if let Some((first, _, t)) = best {
            let places = places_in_sentence(doc, ents, si);
            mentions.push(Mention {
                sentence: si,
                sub_type: adjust_sub_type(inp, si, first, t.sub_type),
                weight: t.weight,
                places,
                day: sentence_day(inp, si),
                anaphoric: (first.saturating_sub(3).max(s.first)..first)
                    .any(|j| inp.lx.anaphora_cues.longest_at(doc, j).is_some()),
            });
        }
    }

    // A sentence without a trigger that names places ("Mayçaloune, Sayed Ali,
    // al-Maïdane…" after "Plusieurs quartiers ont été pilonnés") lends them
    // to the nearest mention of its paragraph that has none of its own.
    for (si, s) in doc.sentences.iter().enumerate() {
        if mentions.iter().any(|m| m.sentence == si) {
            continue;
        }
        let places = places_in_sentence(doc, ents, si);
        if places.is_empty() {
            continue;
        }
        let para = s.paragraph;
        let near = mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| doc.sentences[m.sentence].paragraph == para && m.places.is_empty())
            .min_by_key(|(_, m)| {
                (m.sentence as i64 - si as i64).abs() * 2 + i64::from(m.sentence > si)
            })
            .map(|(i, _)| i);
        if let Some(i) = near {
            mentions[i].places = places;
        }
    }

    // 2. Cluster mentions into events.
    let mut events: Vec<Event> = Vec::new();
    let mut event_places: Vec<Vec<PlaceId>> = Vec::new();
    let mut event_best: Vec<Option<PlaceId>> = Vec::new();
    let mut mention_event: Vec<usize> = Vec::new();
    // The first day each event's sentences name.
    let mut event_day: Vec<Option<NaiveDate>> = Vec::new();
    for m in &mentions {
        let ty = m.sub_type.event_type();
        // Same type, and the same place or one inside the other, compared
        // with the event's most specific place so far: two neighbourhoods of
        // one city are two incidents even if the city was named first.
        let para = doc.sentences[m.sentence].paragraph;
        let m_best = most_specific(k, ents, &m.places);
        let fits = |e: usize, any_type: bool| {
            let ev = &events[e];
            if ev.event_type() != ty && !any_type {
                return false;
            }
            // Violence told on another day is another incident (ACLED
            // codes one event per day): "Lundi, des bombardements sur la
            // même ville avaient tué huit civils" under Thursday's strike.
            if let (Some(a), Some(b)) = (m.day, event_day[e]) {
                if a != b {
                    return false;
                }
            }
            let last_para = ev
                .sentences
                .iter()
                .map(|s| doc.sentences[*s].paragraph)
                .max()
                .unwrap_or(0);
            let headline = ev
                .sentences
                .iter()
                .all(|s| doc.in_title(doc.sentences[*s].first));
            match (m_best, event_best[e]) {
                // Without a place to compare, only violence of the same kind, or told nearby, is the same incident.
                (None, _) | (_, None) => para <= last_para + 1 || ev.sub_type == m.sub_type,
                (Some(p), Some(q)) if headline => headline_compatible(k, ents, q, p),
                (Some(p), Some(q)) => compatible(k, ents, p, q),
            }
        };
        let near = |e: usize| {
            events[e]
                .sentences
                .iter()
                .map(|s| doc.sentences[*s].paragraph)
                .max()
                .is_some_and(|last| para <= last + 1)
        };
        // A generic word ("the attack", "la frappe") just after an incident,
        // with no place of its own, is that incident told again, whatever its type.
        let found = (0..events.len())
            .rev()
            .find(|&e| fits(e, false))
            .or_else(|| {
                let last = events.len().checked_sub(1)?;
                (m.weight <= 1
                    && m.anaphoric
                    && m.places.is_empty()
                    && near(last)
                    && fits(last, true))
                .then_some(last)
            });
        match found {
            Some(e) => {
                let ev = &mut events[e];
                ev.sentences.push(m.sentence);
                if m.weight > ev.weight {
                    ev.weight = m.weight;
                    ev.sub_type = m.sub_type;
                }
                for p in &m.places {
                    if !event_places[e].contains(p) {
                        event_places[e].push(*p);
                    }
                }
                event_day[e] = event_day[e].or(m.day);
                if let Some(p) = m_best {
                    let deeper = event_best[e].is_none_or(|q| {
                        place_kind(k, ents, p).specificity() < place_kind(k, ents, q).specificity()
                    });
                    if deeper {
                        event_best[e] = Some(p);
                    }
                }
                mention_event.push(e);
            }
            None => {
                events.push(Event {
                    sub_type: m.sub_type,
                    weight: m.weight,
                    sentences: vec![m.sentence],
                    location: None,
                    date: None,
                    actors: Vec::new(),
                    figures: Vec::new(),
                    fatalities: Fatalities::default(),
                    wounded: Fatalities::default(),
                });
                event_places.push(m.places.clone());
                event_best.push(m_best);
                event_day.push(m.day);
                mention_event.push(events.len() - 1);
            }
        }
    }

    // 3. Figures join the event of their sentence, else the nearest mention
    //    of their paragraph (before, then after), else the last one before.
    for (fi, f) in figures.iter().enumerate() {
        if f.background {
            continue;
        }
        let para = doc.sentences[f.sentence].paragraph;
        // The mention of the figure's sentence; else the nearest one, those
        // of its paragraph first, the one before on ties.
        let chosen = mentions
            .iter()
            .enumerate()
            .min_by_key(|(_, m)| {
                let mp = doc.sentences[m.sentence].paragraph;
                let distance = if mp == para {
                    (m.sentence as i64 - f.sentence as i64).abs()
                } else {
                    (mp as i64 - para as i64).abs()
                };
                (mp != para, distance, m.sentence > f.sentence)
            })
            .map(|(i, _)| i);
        match chosen {
            Some(mi) => events[mention_event[mi]].figures.push(fi),
            None => {
                // No violence named anywhere: the figure is its own event.
                let sub_type = match (f.kind, f.category) {
                    (CasualtyKind::Kidnapped, _) => SubType::AbductionForcedDisappearance,
                    (CasualtyKind::Arrested, _) => SubType::Arrests,
                    (CasualtyKind::Displaced, _) => SubType::Other,
                    (_, Category::Civilian) => SubType::Attack,
                    _ => SubType::ArmedClash,
                };
                let e = events
                    .iter()
                    .position(|e| e.sub_type == sub_type && e.weight == 0)
                    .unwrap_or_else(|| {
                        events.push(Event {
                            sub_type,
                            weight: 0,
                            sentences: vec![f.sentence],
                            location: None,
                            date: None,
                            actors: Vec::new(),
                            figures: Vec::new(),
                            fatalities: Fatalities::default(),
                            wounded: Fatalities::default(),
                        });
                        event_places.push(places_in_sentence(doc, ents, f.sentence));
                        event_best.push(None);
                        events.len() - 1
                    });
                events[e].figures.push(fi);
            }
        }
    }

    // The lede often states a toll the body tells again with its incident
    // ("50 tués" in the first paragraph, "Plus de 50 tués" under the
    // shelling): the lede's figure belongs to the body's event.
    let lede_para = doc
        .sentences
        .iter()
        .find(|s| !doc.in_title(s.first))
        .map(|s| s.paragraph)
        .unwrap_or(0);
    for i in 0..figures.len() {
        let fi = &figures[i];
        let in_lede = doc.sentences[fi.sentence].paragraph <= lede_para;
        if !in_lede
            || fi.background
            || mentions.iter().any(|m| m.sentence == fi.sentence)
            || fi.part_of.is_some()
        {
            continue;
        }
        let later = (i + 1..figures.len()).find(|&j| {
            let fj = &figures[j];
            fj.kind == fi.kind
                && fj.count == fi.count
                && fi.count.is_some()
                && compatible_category(fi.category, fj.category)
                && fj.part_of.is_none()
        });
        if let Some(j) = later {
            let from = events.iter().position(|e| e.figures.contains(&i));
            let to = events.iter().position(|e| e.figures.contains(&j));
            if let (Some(from), Some(to)) = (from, to) {
                if from != to {
                    events[from].figures.retain(|&x| x != i);
                    events[to].figures.push(i);
                    events[to].figures.sort_unstable();
                }
            }
        }
    }

    // 4. A weak trigger alone ("attaque", "cessez-le-feu") with no figure is no event.
    let keep: Vec<bool> = events
        .iter()
        .map(|e| e.weight > 1 || !e.figures.is_empty())
        .collect();

    // 5. Location, date, actors, duplicates and totals.
    let focus = focus_place(inp);
    for (ei, ev) in events.iter_mut().enumerate() {
        let mut sentences = ev.sentences.clone();
        sentences.extend(ev.figures.iter().map(|&f| figures[f].sentence));
        // The most specific place of the first sentence that names one,
        // refined by a later place inside it.
        let mut loc: Option<PlaceId> = None;
        let mut loc_from_headline = false;
        for &s in &ev.sentences {
            let ps = places_in_sentence(doc, ents, s);
            if let Some(p) = most_specific(k, ents, &ps) {
                match loc {
                    None => {
                        loc = Some(p);
                        loc_from_headline = doc.in_title(doc.sentences[s].first);
                    }
                    Some(cur) => {
                        let deeper = place_kind(k, ents, p).specificity()
                            < place_kind(k, ents, cur).specificity();
                        let inside = if loc_from_headline {
                            headline_compatible(k, ents, cur, p)
                        } else {
                            compatible(k, ents, p, cur)
                        };
                        if deeper && inside {
                            loc = Some(p);
                            loc_from_headline = false;
                        }
                    }
                }
            }
        }
        if loc.is_none() {
            loc = ev.figures.iter().find_map(|&f| {
                most_specific(k, ents, &places_in_sentence(doc, ents, figures[f].sentence))
            });
        }
        ev.location = loc.or(focus).or_else(|| event_places[ei].first().copied());
        ev.date = event_date(inp, &sentences);
        ev.actors = actors(inp, ev, figures);
    }
    mark_duplicates(doc, &events, figures);
    for ev in events.iter_mut() {
        ev.fatalities = total(figures, &ev.figures, CasualtyKind::Killed);
        ev.wounded = total(figures, &ev.figures, CasualtyKind::Wounded);
    }
    events
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(e, _)| e)
        .collect()
}

/// Arrests by an armed group are abductions (ACLED); a territory taken
/// back by state forces is "government regains territory".
fn adjust_sub_type(inp: &EventInput, sentence: usize, trigger: usize, st: SubType) -> SubType {
    let doc = inp.doc;
    let subject = inp
        .ents
        .groups
        .iter()
        .rev()
        .find(|g| doc.tokens[g.first].sentence == sentence && g.first < trigger)
        .or_else(|| {
            inp.ents
                .groups
                .iter()
                .find(|g| doc.tokens[g.first].sentence == sentence)
        });
    let kind = subject.map(|g| match g.group {
        GroupId::Known(i) => inp.k.groups[i].kind,
        GroupId::Generic(r) => r.kind_and_side().0,
        GroupId::Local(_) => GroupKind::Unknown,
    });
    let state = kind.is_some_and(|k| {
        matches!(
            k,
            GroupKind::StateForces | GroupKind::StateAgency | GroupKind::ForeignState
        )
    });
    let non_state = kind.is_some_and(|k| matches!(k, GroupKind::Rebel | GroupKind::Jihadist));
    match st {
        SubType::Arrests if non_state => SubType::AbductionForcedDisappearance,
        SubType::NonStateActorOvertakesTerritory if state => SubType::GovernmentRegainsTerritory,
        SubType::GovernmentRegainsTerritory if non_state => {
            SubType::NonStateActorOvertakesTerritory
        }
        _ => st,
    }
}

/// Where the article is, when a sentence says nothing: the most specific
/// place of the title, else the most named city-or-finer place, else the country.
fn focus_place(inp: &EventInput) -> Option<PlaceId> {
    let doc = inp.doc;
    let k = inp.k;
    let ents = inp.ents;
    let title: Vec<PlaceId> = ents
        .places
        .iter()
        .filter(|m| doc.in_title(m.first))
        .map(|m| m.place)
        .collect();
    if let Some(p) = most_specific(k, ents, &title) {
        if place_kind(k, ents, p) != LocationKind::Country {
            return Some(p);
        }
    }
    let mut counts: BTreeMap<PlaceId, usize> = BTreeMap::new();
    for m in &ents.places {
        if place_kind(k, ents, m.place).specificity() <= LocationKind::City.specificity() {
            *counts.entry(m.place).or_default() += 1;
        }
    }
    let first_pos = |p: PlaceId| {
        ents.places
            .iter()
            .position(|m| m.place == p)
            .unwrap_or(usize::MAX)
    };
    if let Some((p, _)) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(first_pos(*b.0).cmp(&first_pos(*a.0))))
    {
        return Some(*p);
    }
    let country = ents.country.as_deref()?;
    k.country_place(country).map(PlaceId::Known)
}

fn event_date(inp: &EventInput, sentences: &[usize]) -> Option<(NaiveDate, DatePrecision)> {
    let doc = inp.doc;
    let in_event = |d: &&DateMention| sentences.contains(&doc.tokens[d.first].sentence) && !d.since;
    if let Some(d) = inp.dates.iter().filter(in_event).min_by_key(|d| d.first) {
        return Some((d.date, d.precision));
    }
    // A date earlier in the first sentence's paragraph ("Dans la nuit de dimanche… 25 civils y ont été tués").
    let first = *sentences.iter().min()?;
    let para = doc.sentences[first].paragraph;
    if let Some(d) = inp.dates.iter().rev().find(|d| {
        !d.since
            && doc.sentences[doc.tokens[d.first].sentence].paragraph == para
            && doc.tokens[d.first].sentence <= first
    }) {
        return Some((d.date, d.precision));
    }
    // Nothing said: the event happened around publication.
    inp.reference.map(|r| (r, DatePrecision::Week))
}

const AGENT: &[&str] = &["par", "by"];
const TARGET: &[&str] = &["contre", "against", "visant", "targeting", "ciblant"];

fn actors(inp: &EventInput, ev: &Event, figures: &[Figure]) -> Vec<(usize, ActorRole)> {
    let doc = inp.doc;
    let mut out: Vec<(usize, ActorRole)> = Vec::new();
    let mut seen: Vec<GroupId> = Vec::new();
    let victims: Vec<usize> = ev
        .figures
        .iter()
        .filter_map(|&f| figures[f].group)
        .collect();
    let civilian_targets = ev.event_type() == EventType::ViolenceAgainstCivilians;
    for (gi, g) in inp.ents.groups.iter().enumerate() {
        let s = doc.tokens[g.first].sentence;
        if !ev.sentences.contains(&s) {
            continue;
        }
        if seen.contains(&g.group) {
            continue;
        }
        let before = |words: &[&str]| {
            (1..=3).any(|b| g.first >= b && words.contains(&doc.tok_folded(g.first - b)))
        };
        let trigger = inp
            .lx
            .triggers
            .find_all(doc, doc.sentences[s].first, doc.sentences[s].last)
            .first()
            .map(|t| t.0);
        let role = if victims.contains(&gi) {
            if civilian_targets {
                ActorRole::Victim
            } else {
                ActorRole::Target
            }
        } else if before(AGENT) {
            ActorRole::Attacker
        } else if before(TARGET) || trigger.is_some_and(|t| g.first > t) {
            ActorRole::Target
        } else {
            ActorRole::Attacker
        };
        seen.push(g.group);
        out.push((gi, role));
    }
    out
}

fn compatible_category(a: Category, b: Category) -> bool {
    a == b || a == Category::Unknown || b == Category::Unknown
}

/// A figure restating an earlier one of the same event (or a title figure
/// restated in the body) is marked `duplicate_of` it.
fn mark_duplicates(doc: &Doc, events: &[Event], figures: &mut [Figure]) {
    let event_of = |f: usize| events.iter().position(|e| e.figures.contains(&f));
    for j in 0..figures.len() {
        if figures[j].part_of.is_some() {
            continue;
        }
        for i in 0..j {
            let (a, b) = (&figures[i], &figures[j]);
            if a.part_of.is_some()
                || a.duplicate_of.is_some()
                || a.background
                || b.background
                || a.kind != b.kind
                || !compatible_category(a.category, b.category)
            {
                continue;
            }
            let same_count =
                a.count == b.count && (a.count.is_some() || a.qualifier == b.qualifier);
            let same_event = event_of(i) == event_of(j);
            let title_restated = doc.in_title(doc.sentences[a.sentence].first)
                && !doc.in_title(doc.sentences[b.sentence].first);
            if same_count && (same_event || title_restated) && a.sentence != b.sentence {
                figures[j].duplicate_of = Some(i);
                break;
            }
        }
    }
}

/// An event's total for one kind, each person counted once: restatements
/// and parts are left out; figures of the same people (same category) are
/// the same tally, of which the largest is kept (a toll that rose); "others"
/// add to the tally before them; categories add up, and a figure of people
/// of unknown category stands for all when it is the larger.
pub fn total(figures: &[Figure], ids: &[usize], kind: CasualtyKind) -> Fatalities {
    #[derive(Default, Clone, Copy)]
    struct Tally {
        best: Option<u64>,
        low: Option<u64>,
        high: Option<u64>,
        unbounded: bool,
    }
    let mut tallies: BTreeMap<Category, Vec<Tally>> = BTreeMap::new();
    for &i in ids {
        let f = &figures[i];
        if f.kind != kind || f.duplicate_of.is_some() || f.part_of.is_some() {
            continue;
        }
        let t = Tally {
            best: f.count,
            low: f.low,
            high: f.high,
            unbounded: f.high.is_none(),
        };
        let list = tallies.entry(f.category).or_default();
        match (f.others, list.last_mut()) {
            (true, Some(last)) => {
                last.best = add(last.best, t.best);
                last.low = add(last.low, t.low);
                last.high = add(last.high, t.high);
                last.unbounded |= t.unbounded;
            }
            _ => list.push(t),
        }
    }
    if tallies.is_empty() {
        return Fatalities::default();
    }
    let per_category: BTreeMap<Category, Tally> = tallies
        .into_iter()
        .map(|(c, list)| {
            let best = list.iter().filter_map(|t| t.best).max();
            let low = list.iter().filter_map(|t| t.low).max();
            let high = if list.iter().any(|t| t.unbounded) {
                None
            } else {
                list.iter().filter_map(|t| t.high).max()
            };
            (
                c,
                Tally {
                    best,
                    low,
                    high,
                    unbounded: high.is_none(),
                },
            )
        })
        .collect();
    let known: Vec<&Tally> = per_category
        .iter()
        .filter(|(c, _)| **c != Category::Unknown)
        .map(|(_, t)| t)
        .collect();
    let sum = |f: &dyn Fn(&Tally) -> Option<u64>| known.iter().map(|t| f(t)).fold(None, add);
    let known_best = sum(&|t| t.best);
    let known_low = sum(&|t| t.low);
    let known_high = if known.iter().any(|t| t.unbounded) {
        None
    } else {
        sum(&|t| t.high)
    };
    match per_category.get(&Category::Unknown) {
        None => Fatalities {
            best: known_best,
            low: known_low,
            high: known_high,
        },
        Some(u) => {
            if u.best.unwrap_or(0) >= known_best.unwrap_or(0) && u.best.is_some() {
                Fatalities {
                    best: u.best,
                    low: u.low.max(known_low),
                    high: u.high.max(known_high).filter(|_| !u.unbounded),
                }
            } else {
                Fatalities {
                    best: known_best.or(u.best),
                    low: known_low.max(u.low),
                    high: known_high,
                }
            }
        }
    }
}

fn add(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.saturating_add(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Qualifier;

    fn fig(kind: CasualtyKind, count: u64, q: Qualifier, cat: Category) -> Figure {
        let (low, high) = crate::pipeline::casualties::bounds(Some(count), q, None);
        Figure {
            kind,
            count: Some(count),
            qualifier: q,
            low,
            high,
            conventional: None,
            victims: None,
            category: cat,
            group: None,
            first: 0,
            last: 0,
            sentence: 0,
            part_of: None,
            duplicate_of: None,
            others: false,
            background: false,
        }
    }

    #[test]
    fn categories_add_up_and_restatements_do_not() {
        let mut figures = vec![
            fig(
                CasualtyKind::Killed,
                150,
                Qualifier::AtLeast,
                Category::Combatant,
            ),
            fig(
                CasualtyKind::Killed,
                5,
                Qualifier::Exact,
                Category::SecurityForces,
            ),
            fig(
                CasualtyKind::Killed,
                150,
                Qualifier::Exact,
                Category::Combatant,
            ),
        ];
        figures[2].duplicate_of = Some(0);
        let t = total(&figures, &[0, 1, 2], CasualtyKind::Killed);
        assert_eq!((t.best, t.low, t.high), (Some(155), Some(155), None));
    }

    #[test]
    fn parts_are_not_added_and_others_are() {
        let mut figures = vec![
            fig(
                CasualtyKind::Killed,
                25,
                Qualifier::Exact,
                Category::Civilian,
            ),
            fig(
                CasualtyKind::Killed,
                10,
                Qualifier::Exact,
                Category::Civilian,
            ),
            fig(
                CasualtyKind::Killed,
                15,
                Qualifier::Exact,
                Category::Civilian,
            ),
            fig(
                CasualtyKind::Killed,
                3,
                Qualifier::Exact,
                Category::Civilian,
            ),
        ];
        figures[2].others = true;
        figures[3].part_of = Some(0);
        assert_eq!(
            total(&figures, &[0, 1, 2, 3], CasualtyKind::Killed).best,
            Some(25)
        );
    }

    #[test]
    fn a_woman_and_three_children_are_four() {
        let figures = vec![
            fig(
                CasualtyKind::Killed,
                1,
                Qualifier::Exact,
                Category::Civilian,
            ),
            fig(
                CasualtyKind::Killed,
                3,
                Qualifier::Exact,
                Category::Civilian,
            ),
        ];
        // Same category, no "others": the larger of the two tallies, not the sum.
        // Coordinated nouns are summed by the caller marking the second as others.
        let mut f2 = figures.clone();
        f2[1].others = true;
        assert_eq!(total(&f2, &[0, 1], CasualtyKind::Killed).best, Some(4));
    }

    #[test]
    fn no_figure_no_total_and_zero_is_zero() {
        assert_eq!(total(&[], &[], CasualtyKind::Killed).best, None);
        let figures = vec![fig(
            CasualtyKind::Killed,
            0,
            Qualifier::Exact,
            Category::SecurityForces,
        )];
        assert_eq!(total(&figures, &[0], CasualtyKind::Killed).best, Some(0));
    }
}
