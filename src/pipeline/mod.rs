//! The extraction pipeline: pure functions from an [`Article`] to an
//! [`Extraction`], with no I/O. Each stage is its own module and carries
//! token offsets; this module runs them in order and assembles the output
//! of `spec/extraction.md`.

pub mod background;
pub mod casualties;
pub mod dates;
pub mod entities;
pub mod events;
pub mod language;
pub mod numbers;

use crate::knowledge::Knowledge;
use crate::model::*;
use crate::text::Doc;
use entities::{Entities, GroupId, PlaceId, SourceId};
use std::collections::HashMap;

/// Extracts everything from one article.
pub fn extract(article: &Article, k: &Knowledge) -> Extraction {
    let doc = Doc::new(&article.title, &article.body, &|w| k.is_abbreviation(w));
    let lang = article
        .language
        .clone()
        .filter(|l| !l.is_empty())
        .map(|l| l.to_ascii_lowercase())
        .unwrap_or_else(|| language::detect(&doc, k));
    let lx = k.lexicon(&lang);
    let mut reference = dates::reference_date(article);
    let mut date_mentions = dates::find_dates(&doc, lx, reference.map(|r| r.0));
    if reference.is_none() {
        // An undated article that writes a full date near its top is read against it.
        if let Some(d) = dates::reference_in_text(&doc, &date_mentions) {
            reference = Some((d, dates::ReferenceFrom::Text));
            date_mentions = dates::find_dates(&doc, lx, Some(d));
        }
    }
    let ents = entities::find_entities(&entities::Reader::new(&doc, k, lx));
    let quantities = numbers::find_quantities(&doc, lx);
    let mut figures = casualties::find_figures(&doc, k, lx, &ents, &quantities);
    let background_cues = background::find_cues(&doc, lx, &date_mentions, reference.map(|r| r.0));
    let positions: Vec<(usize, usize)> = figures.iter().map(|f| (f.sentence, f.first)).collect();
    for (f, b) in figures.iter_mut().zip(background::background_figures(
        &doc,
        &background_cues,
        &positions,
    )) {
        f.background = b;
    }
    // "It said more than 15,000 people have been wounded": a sentence that only
    // goes on with the background toll of the sentence before is background too.
    let background_sentences: Vec<usize> = figures
        .iter()
        .filter(|f| f.background)
        .map(|f| f.sentence)
        .collect();
    for f in figures.iter_mut().filter(|f| !f.background) {
        let s = f.sentence;
        let follows = s > 0
            && background_sentences.contains(&(s - 1))
            && doc.sentences[s - 1].paragraph == doc.sentences[s].paragraph;
        let own_event = !lx
            .triggers
            .find_all(&doc, doc.sentences[s].first, doc.sentences[s].last)
            .is_empty();
        let own_place = ents
            .places
            .iter()
            .any(|m| doc.tokens[m.first].sentence == s);
        if follows && !own_event && !own_place {
            f.background = true;
        }
    }
    let events = events::build_events(
        &events::EventInput {
            doc: &doc,
            k,
            lx,
            ents: &ents,
            dates: &date_mentions,
            reference: reference.map(|r| r.0),
            background_cues: &background_cues,
        },
        &mut figures,
    );
    assemble(article, k, &doc, &lang, reference, &ents, &figures, &events)
}

fn char_span(doc: &Doc, first: usize, last: usize) -> Span {
    [
        doc.tokens[first].start,
        doc.tokens[last.max(first + 1) - 1].end,
    ]
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    article: &Article,
    k: &Knowledge,
    doc: &Doc,
    lang: &str,
    reference: Option<(chrono::NaiveDate, dates::ReferenceFrom)>,
    ents: &Entities,
    figures: &[casualties::Figure],
    events: &[events::Event],
) -> Extraction {
    // Places: every place named or used as an event's location, in order of first mention.
    let mut locations: Vec<LocationOut> = Vec::new();
    let mut place_ids: HashMap<PlaceId, String> = HashMap::new();
    let mut add_place = |p: PlaceId,
                         span: Option<Span>,
                         name: Option<String>,
                         locations: &mut Vec<LocationOut>|
     -> String {
        if let Some(id) = place_ids.get(&p) {
            if let (Some(s), Some(l)) = (span, locations.iter_mut().find(|l| &l.id == id)) {
                l.spans.push(s);
            }
            return id.clone();
        }
        let id = format!("l{}", locations.len() + 1);
        let out = match p {
            PlaceId::Known(i) => {
                let pl = &k.places[i];
                LocationOut {
                    id: id.clone(),
                    name: name.unwrap_or_else(|| pl.name.clone()),
                    canonical: pl.name.clone(),
                    kind: pl.kind,
                    country: pl.country.clone(),
                    admin1: pl.admin1.clone(),
                    lat: pl.lat,
                    lon: pl.lon,
                    geonames_id: pl.geonames_id,
                    spans: span.into_iter().collect(),
                    key: Some(pl.key.clone()),
                    parent: pl.parent.map(|p| k.places[p].key.clone()),
                    approximate: pl.lat.is_none(),
                }
            }
            PlaceId::Unlisted(i) => {
                let u = &ents.unlisted_places[i];
                let parent = u.parent.map(|p| &k.places[p]);
                LocationOut {
                    id: id.clone(),
                    name: name.unwrap_or_else(|| u.name.clone()),
                    canonical: u.name.clone(),
                    kind: u.kind,
                    country: u.country.clone(),
                    admin1: parent.and_then(|p| p.admin1.clone()),
                    lat: parent.and_then(|p| p.lat),
                    lon: parent.and_then(|p| p.lon),
                    geonames_id: None,
                    spans: span.into_iter().collect(),
                    key: None,
                    parent: parent.map(|p| p.key.clone()),
                    approximate: true,
                }
            }
        };
        locations.push(out);
        place_ids.insert(p, id.clone());
        id
    };
    for m in &ents.places {
        let name = doc.tokens_text(m.first, m.last).to_string();
        add_place(
            m.place,
            Some(char_span(doc, m.first, m.last)),
            Some(name),
            &mut locations,
        );
    }
    let mut event_location: Vec<Option<String>> = Vec::new();
    for ev in events {
        event_location.push(
            ev.location
                .map(|p| add_place(p, None, None, &mut locations)),
        );
    }

    // Groups: one per resolved group, named as first written.
    let mut groups: Vec<GroupOut> = Vec::new();
    let mut group_ids: HashMap<(GroupId, Option<String>), String> = HashMap::new();
    let mut mention_group: Vec<String> = Vec::new();
    for m in &ents.groups {
        let key = match m.group {
            GroupId::Known(_) => (m.group, None),
            GroupId::Generic(_) => (m.group, m.country.clone()),
            GroupId::Local(_) => (m.group, None),
        };
        let span = char_span(doc, m.first, m.last);
        if let Some(id) = group_ids.get(&key) {
            groups
                .iter_mut()
                .find(|g| &g.id == id)
                .unwrap()
                .spans
                .push(span);
            mention_group.push(id.clone());
            continue;
        }
        let id = format!("g{}", groups.len() + 1);
        let name = doc.tokens_text(m.first, m.last).to_string();
        let out = match m.group {
            GroupId::Known(i) => {
                let g = &k.groups[i];
                GroupOut {
                    id: id.clone(),
                    name,
                    canonical: g.name.clone(),
                    kind: g.kind,
                    side: g.side,
                    country: g.country.clone(),
                    spans: vec![span],
                    key: Some(g.key.clone()),
                }
            }
            GroupId::Generic(role) => {
                let (kind, side) = role.kind_and_side();
                GroupOut {
                    id: id.clone(),
                    name,
                    canonical: role.generic_name().to_string(),
                    kind,
                    side,
                    country: m.country.clone(),
                    spans: vec![span],
                    key: None,
                }
            }
            GroupId::Local(i) => GroupOut {
                id: id.clone(),
                name,
                canonical: ents.local_groups[i].clone(),
                kind: GroupKind::Unknown,
                side: Side::Unknown,
                country: m.country.clone(),
                spans: vec![span],
                key: None,
            },
        };
        groups.push(out);
        group_ids.insert(key, id.clone());
        mention_group.push(id);
    }

    // Sources.
    let mut sources: Vec<SourceOut> = Vec::new();
    let mut source_ids: HashMap<SourceId, String> = HashMap::new();
    let mut mention_source: Vec<String> = Vec::new();
    for m in &ents.sources {
        let span = char_span(doc, m.first, m.last);
        if let Some(id) = source_ids.get(&m.source) {
            sources
                .iter_mut()
                .find(|s| &s.id == id)
                .unwrap()
                .spans
                .push(span);
            mention_source.push(id.clone());
            continue;
        }
        let id = format!("s{}", sources.len() + 1);
        let name = doc.tokens_text(m.first, m.last).to_string();
        let out = match m.source {
            SourceId::Known(i) => {
                let s = &k.sources[i];
                SourceOut {
                    id: id.clone(),
                    name,
                    canonical: s.name.clone(),
                    kind: s.kind,
                    spans: vec![span],
                    key: Some(s.key.clone()),
                }
            }
            SourceId::Unlisted(i) => {
                let u = &ents.unlisted_sources[i];
                SourceOut {
                    id: id.clone(),
                    name: u.name.clone(),
                    canonical: u.canonical.clone(),
                    kind: u.kind,
                    spans: vec![span],
                    key: None,
                }
            }
        };
        sources.push(out);
        source_ids.insert(m.source, id.clone());
        mention_source.push(id);
    }

    // Events.
    let mut event_of_figure: Vec<Option<usize>> = vec![None; figures.len()];
    let mut events_out = Vec::new();
    for (ei, ev) in events.iter().enumerate() {
        for &f in &ev.figures {
            event_of_figure[f] = Some(ei);
        }
        let first_sentence = &doc.sentences[*ev.sentences.iter().min().unwrap_or(&0)];
        let mut actors: Vec<ActorOut> = Vec::new();
        for (gm, role) in &ev.actors {
            let gid = &mention_group[*gm];
            if !actors.iter().any(|a| &a.group == gid) {
                actors.push(ActorOut {
                    group: gid.clone(),
                    role: *role,
                });
            }
        }
        events_out.push(EventOut {
            id: format!("e{}", ei + 1),
            event_type: ev.event_type(),
            sub_type: Some(ev.sub_type),
            date: ev.date.map(|d| d.0),
            date_precision: ev.date.map(|d| d.1),
            location: event_location[ei].clone(),
            location_precision: ev.location.map(|p| location_precision(k, ents, p)),
            actors,
            fatalities: ev.fatalities.clone(),
            wounded: ev.wounded.clone(),
            span: [first_sentence.start, first_sentence.end],
        });
    }

    // Casualty figures.
    let place_of_sentence = |s: usize| -> Option<PlaceId> {
        let ps: Vec<PlaceId> = ents
            .places
            .iter()
            .filter(|m| doc.tokens[m.first].sentence == s)
            .map(|m| m.place)
            .collect();
        ps.iter().copied().min_by_key(|p| match p {
            PlaceId::Known(i) => k.places[*i].kind.specificity(),
            PlaceId::Unlisted(i) => ents.unlisted_places[*i].kind.specificity(),
        })
    };
    let casualties = figures
        .iter()
        .enumerate()
        .map(|(fi, f)| {
            let sentence = &doc.sentences[f.sentence];
            let event = event_of_figure[fi];
            let location = place_of_sentence(f.sentence)
                .and_then(|p| place_ids.get(&p).cloned())
                .or_else(|| event.and_then(|e| event_location[e].clone()));
            CasualtyOut {
                kind: f.kind,
                count: f.count,
                qualifier: f.qualifier,
                low: f.low,
                high: f.high,
                victims: f.victims.clone(),
                category: f.category,
                group: f.group.map(|g| mention_group[g].clone()),
                event: event.map(|e| format!("e{}", e + 1)),
                location,
                source: attribution(doc, ents, &mention_source, f),
                span: char_span(doc, f.first, f.last),
                sentence: [sentence.start, sentence.end],
                duplicate_of: f.duplicate_of,
                part_of: f.part_of,
                conventional_count: f.conventional,
                background: f.background,
            }
        })
        .collect();

    let outlet = article.outlet.clone().or_else(|| {
        let url = article.url.as_deref()?;
        k.source_by_url(url).map(|i| k.sources[i].name.clone())
    });
    Extraction {
        input: article.input.clone(),
        article: ArticleMeta {
            title: article.title.trim().to_string(),
            published: article
                .published
                .map(|p| p.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)),
            language: lang.to_string(),
            url: article.url.clone(),
            outlet,
            reference_date: reference.map(|r| r.0),
            reference_date_from: reference.map(|r| r.1.as_str().to_string()),
            text_chars: doc.text.chars().count(),
        },
        locations,
        groups,
        sources,
        events: events_out,
        casualties,
        extractor_version: crate::EXTRACTOR_VERSION.to_string(),
    }
}

/// ACLED-style geo-precision of an event's place (see [`EventOut::location_precision`]).
fn location_precision(k: &Knowledge, ents: &Entities, p: PlaceId) -> u8 {
    let (kind, approximate) = match p {
        PlaceId::Known(i) => (k.places[i].kind, k.places[i].lat.is_none()),
        PlaceId::Unlisted(i) => (ents.unlisted_places[i].kind, true),
    };
    match kind {
        LocationKind::Admin1 | LocationKind::Country => 3,
        LocationKind::Admin2 | LocationKind::Region => 2,
        _ if approximate => 2,
        _ => 1,
    }
}

/// The source a figure is attributed to: the nearest source named in its
/// sentence; else, in its paragraph, the last source named before it.
fn attribution(
    doc: &Doc,
    ents: &Entities,
    mention_source: &[String],
    f: &casualties::Figure,
) -> Option<String> {
    let s = f.sentence;
    let in_sentence: Vec<(usize, &entities::SourceMention)> = ents
        .sources
        .iter()
        .enumerate()
        .filter(|(_, m)| doc.tokens[m.first].sentence == s)
        .collect();
    if let Some((i, _)) = in_sentence
        .iter()
        .min_by_key(|(_, m)| (m.first as i64 - f.first as i64).unsigned_abs())
    {
        return Some(mention_source[*i].clone());
    }
    let para = doc.sentences[s].paragraph;
    ents.sources
        .iter()
        .enumerate()
        .rev()
        .find(|(_, m)| {
            let ms = doc.tokens[m.first].sentence;
            ms < s && doc.sentences[ms].paragraph == para
        })
        .map(|(i, _)| mention_source[i].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lang: &str, title: &str, body: &str, published: Option<&str>) -> Extraction {
        let k = Knowledge::embedded().unwrap();
        let article = Article {
            input: "test".into(),
            title: title.into(),
            body: body.into(),
            published: published.map(|p| chrono::DateTime::parse_from_rfc3339(p).unwrap()),
            language: Some(lang.into()),
            ..Default::default()
        };
        extract(&article, k)
    }

    #[test]
    fn background_tolls_are_in_no_event_and_no_total() {
        let x = run(
            "en",
            "Four protesters killed in Baghdad",
            "Security forces killed four protesters in Baghdad on Monday. The commission said the deaths raised to at least 330 the number of protesters killed since the unrest began on Oct. 1. It said more than 15,000 people have been wounded.",
            Some("2019-11-25T19:03:00+03:00"),
        );
        let background: Vec<Option<u64>> = x
            .casualties
            .iter()
            .filter(|c| c.background)
            .map(|c| c.count)
            .collect();
        assert_eq!(background, vec![Some(330), Some(15000)]);
        assert!(x
            .casualties
            .iter()
            .filter(|c| c.background)
            .all(|c| c.event.is_none()));
        let killed: u64 = x.events.iter().filter_map(|e| e.fatalities.best).sum();
        assert_eq!(killed, 4);
    }

    #[test]
    fn an_undated_article_is_read_against_its_own_full_date() {
        let x = run(
            "en",
            "Clashes in Tripoli",
            "Protesters clashed with the army in Tripoli late on Thursday, 11 June 2020. In Sidon, fewer than 10 people were hurt.",
            None,
        );
        assert_eq!(x.article.published, None);
        assert_eq!(x.article.reference_date_from.as_deref(), Some("text"));
        assert!(
            x.events
                .iter()
                .all(|e| e.date == chrono::NaiveDate::from_ymd_opt(2020, 6, 11)),
            "{:?}",
            x.events
        );
    }

    #[test]
    fn a_dateline_is_not_where_the_event_happened() {
        let x = run(
            "en",
            "Drone strike kills two in Idlib",
            "AMMAN (Reuters) - A drone strike killed two militants in Kansafra in Idlib province on Sunday.",
            Some("2020-06-15T10:00:00+00:00"),
        );
        let location = x.events[0].location.as_ref().unwrap();
        let l = x.locations.iter().find(|l| &l.id == location).unwrap();
        assert_ne!(l.canonical, "Amman");
    }

    fn event_days(x: &Extraction) -> Vec<(Option<String>, Option<u64>)> {
        x.events
            .iter()
            .map(|e| (e.date.map(|d| d.to_string()), e.fatalities.best))
            .collect()
    }

    #[test]
    fn violence_told_on_another_day_is_another_event() {
        let x = run(
            "fr",
            "Syrie : deux morts dans une frappe sur Saraqeb",
            "Deux civils ont été tués jeudi dans une frappe aérienne sur Saraqeb, selon l'OSDH.\n\nMardi, des tirs d'artillerie sur la même ville avaient tué cinq personnes.",
            Some("2021-03-11T17:00:00+00:00"),
        );
        assert_eq!(
            event_days(&x),
            vec![
                (Some("2021-03-11".into()), Some(2)),
                (Some("2021-03-09".into()), Some(5))
            ]
        );
    }

    #[test]
    fn the_day_of_a_funeral_or_a_statement_is_not_the_incident_day() {
        // The strike is not dated: the article's week, not the funeral's Wednesday.
        let x = run(
            "en",
            "Mourners bury victims of Mosul strike",
            "Hundreds of mourners buried on Wednesday the victims of the air strike that destroyed a house in Mosul, which killed six people.",
            Some("2017-03-23T12:00:00+00:00"),
        );
        assert_eq!(x.events.len(), 1, "{:?}", x.events);
        assert_eq!(x.events[0].date_precision, Some(DatePrecision::Week));
        assert_eq!(x.events[0].fatalities.best, Some(6));
        // "told ... on Friday" dates the statement; the bomb was on Thursday.
        let x = run(
            "en",
            "Toll from Kirkuk bombing rises to nine",
            "The toll from a roadside bomb in Kirkuk on Thursday has risen to nine.\n\n\"Nine people were killed and 12 others injured in the terrorist attack,\" a police officer told reporters on Friday.",
            Some("2019-07-19T12:00:00+00:00"),
        );
        assert_eq!(x.events.len(), 1, "{:?}", x.events);
        assert_eq!(
            x.events[0].date.map(|d| d.to_string()).as_deref(),
            Some("2019-07-18")
        );
        assert_eq!(x.events[0].wounded.best, Some(12));
    }

    #[test]
    fn a_question_or_a_denial_is_no_figure_and_no_event() {
        let x = run(
            "fr",
            "Gaza : frappe israélienne",
            "Une frappe israélienne a tué trois personnes à Rafah mardi. L'armée a dit avoir visé un commandant, sans préciser s'il avait été tué. Il n'y a eu aucun tir de roquette depuis l'enclave.",
            Some("2023-05-16T20:00:00+00:00"),
        );
        let killed: Vec<Option<u64>> = x
            .casualties
            .iter()
            .filter(|c| c.kind == CasualtyKind::Killed && c.duplicate_of.is_none())
            .map(|c| c.count)
            .collect();
        assert_eq!(killed, vec![Some(3)]);
        assert_eq!(x.events.len(), 1, "{:?}", x.events);
    }

    #[test]
    fn a_headline_province_named_by_its_capital_is_the_body_incident() {
        let x = run(
            "en",
            "Air strikes kill 4 in Syria's Idlib",
            "Four civilians were killed on Monday when warplanes struck the town of Saraqib in Idlib province.",
            Some("2021-03-08T18:00:00+00:00"),
        );
        assert_eq!(x.events.len(), 1, "{:?}", x.events);
        let location = x.events[0].location.as_ref().unwrap();
        let l = x.locations.iter().find(|l| &l.id == location).unwrap();
        assert_eq!(l.canonical, "Saraqib");
        assert_eq!(x.events[0].fatalities.best, Some(4));
    }
}
