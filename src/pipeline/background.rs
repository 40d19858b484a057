//! Background: tolls of a war, a campaign or a year that articles recall
//! ("la guerre a fait plus de 380 000 morts depuis 2011", "more than 200
//! Palestinians have been killed since the protests began"). Their figures
//! are kept, with no event, and never added to an event's total; their
//! sentences name no event.

use super::dates::DateMention;
use crate::knowledge::Lexicon;
use crate::text::{number_value, Doc, TokenKind};
use chrono::{Datelike, Duration, NaiveDate};

/// Token positions where a background cue starts.
pub fn find_cues(
    doc: &Doc,
    lx: &Lexicon,
    dates: &[DateMention],
    reference: Option<NaiveDate>,
) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.tokens.len() {
        let Some((end, needs_past_date)) = lx.background_cues.longest_at(doc, i) else {
            i += 1;
            continue;
        };
        if !*needs_past_date || past_date_follows(doc, end, dates, reference) {
            out.push(i);
        }
        i = end;
    }
    out
}

/// A date or a year at least two weeks before the reference comes after `at`
/// in the same clause ("since March 2018", "depuis 2011", "since weekly
/// protests began in March 2018").
fn past_date_follows(
    doc: &Doc,
    at: usize,
    dates: &[DateMention],
    reference: Option<NaiveDate>,
) -> bool {
    let sentence = match doc.tokens.get(at) {
        Some(t) => t.sentence,
        None => return false,
    };
    let mut stop = at;
    while stop < doc.tokens.len()
        && stop < at + 10
        && doc.tokens[stop].sentence == sentence
        && !doc.is_punct(stop, ",")
        && !doc.is_punct(stop, ";")
    {
        stop += 1;
    }
    let window = at..stop;
    let long_ago = |d: NaiveDate| reference.is_none_or(|r| d < r - Duration::days(14));
    if dates
        .iter()
        .any(|d| window.contains(&d.first) && long_ago(d.date))
    {
        return true;
    }
    window.clone().any(|j| {
        let t = &doc.tokens[j];
        t.sentence == sentence
            && t.kind == TokenKind::Number
            && doc.slice(t).len() == 4
            && number_value(doc.slice(t)).is_some_and(|y| {
                (1900..=2100).contains(&y) && reference.is_none_or(|r| (y as i32) < r.year())
            })
    })
}

/// Which figures a cue makes background: in its sentence, every figure after
/// it, and the nearest one before it ("élève à 46 le nombre de soldats tués
/// depuis le 10 mai 2017": the 46, not the three killed that day).
/// `figures` holds (sentence, first token) of each figure.
pub fn background_figures(doc: &Doc, cues: &[usize], figures: &[(usize, usize)]) -> Vec<bool> {
    let mut out = vec![false; figures.len()];
    for &c in cues {
        let s = doc.tokens[c].sentence;
        let mut nearest_before: Option<usize> = None;
        for (i, &(fs, first)) in figures.iter().enumerate() {
            if fs != s {
                continue;
            }
            if first > c {
                out[i] = true;
            } else {
                nearest_before = Some(i);
            }
        }
        if let Some(i) = nearest_before {
            out[i] = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;
    use crate::pipeline::dates::find_dates;

    fn cues(lang: &str, s: &str, reference: &str) -> Vec<String> {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(s.to_string(), 0, &|w| k.is_abbreviation(w));
        let r = NaiveDate::parse_from_str(reference, "%Y-%m-%d").ok();
        let lx = k.lexicon(lang);
        let dates = find_dates(&doc, lx, r);
        find_cues(&doc, lx, &dates, r)
            .into_iter()
            .map(|i| doc.tokens_text(i, i + 1).to_string())
            .collect()
    }

    #[test]
    fn a_war_toll_or_a_period_long_ago_is_background() {
        assert_eq!(
            cues(
                "fr",
                "la guerre a fait plus de 380 000 morts depuis 2011.",
                "2019-03-12"
            ),
            vec!["la", "depuis"]
        );
        assert_eq!(
            cues(
                "en",
                "More than 300 have been killed since weekly protests began in March 2018.",
                "2019-09-12"
            ),
            vec!["since"]
        );
        assert_eq!(
            cues(
                "en",
                "More than 200 Palestinians have been killed since March 30.",
                "2018-10-19"
            ),
            vec!["since"]
        );
        assert_eq!(
            cues("en", "200 killed since the protests began.", "2018-10-19"),
            vec!["since"]
        );
    }

    #[test]
    fn a_recent_start_is_not_background() {
        assert!(cues(
            "fr",
            "31 personnes ont été tuées depuis mardi.",
            "2022-08-06"
        )
        .is_empty());
        assert!(cues("fr", "Les combats durent depuis trois jours.", "2022-08-06").is_empty());
    }
}
