//! Dates: the reference date relative days resolve against, and the date
//! expressions of the text ("le 3 octobre 2012", "jeudi", "hier", "On 3 May
//! 2016", "last night").

use crate::knowledge::{DateWord, Lexicon};
use crate::model::{Article, DatePrecision};
use crate::text::{number_value, Doc, TokenKind};
use chrono::{Datelike, Duration, NaiveDate};
use regex::Regex;
use std::sync::OnceLock;

/// Where the reference date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceFrom {
    Published,
    Url,
    /// The latest full date written near the top of an undated article
    /// ("late on Thursday, 11 June 2020").
    Text,
}

impl ReferenceFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceFrom::Published => "published",
            ReferenceFrom::Url => "url",
            ReferenceFrom::Text => "text",
        }
    }
}

/// The date "hier" and "Thursday" are counted from: the local publication
/// date, or else a date written in the article's URL ("/2016/05/23/",
/// "/2012/Dec-06/"), which news sites put there when they publish. (An
/// undated article's own full dates are tried later, see [`reference_in_text`].)
pub fn reference_date(article: &Article) -> Option<(NaiveDate, ReferenceFrom)> {
    if let Some(p) = &article.published {
        return Some((p.date_naive(), ReferenceFrom::Published));
    }
    let url = article.url.as_deref()?;
    date_in_url(url).map(|d| (d, ReferenceFrom::Url))
}

/// For an article with no other reference: the latest full date (day, month
/// and year) written in its title or first three paragraphs, outside
/// "depuis"/"since" periods.
pub fn reference_in_text(doc: &Doc, dates: &[DateMention]) -> Option<NaiveDate> {
    dates
        .iter()
        .filter(|d| d.precision == DatePrecision::Day && !d.since && d.last - d.first >= 3)
        .filter(|d| doc.sentences[doc.tokens[d.first].sentence].paragraph <= 3)
        .map(|d| d.date)
        .max()
}

fn month_abbrev(s: &str) -> Option<u32> {
    let m = match &s.to_ascii_lowercase()[..3.min(s.len())] {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

pub fn date_in_url(url: &str) -> Option<NaiveDate> {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let re = RE.get_or_init(|| {
        [
            Regex::new(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:[/_-]|$)").unwrap(),
            Regex::new(r"(?i)/((?:19|20)\d\d)/([a-z]{3})-(\d{1,2})/").unwrap(),
            Regex::new(r"[/_-]((?:19|20)\d\d)(\d\d)(\d\d)[/_.-]").unwrap(),
        ]
    });
    for (i, r) in re.iter().enumerate() {
        if let Some(c) = r.captures(url) {
            let y: i32 = c[1].parse().ok()?;
            let m: u32 = if i == 1 {
                month_abbrev(&c[2])?
            } else {
                c[2].parse().ok()?
            };
            let d: u32 = c[3].parse().ok()?;
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Some(date);
            }
        }
    }
    None
}

/// A date written in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub first: usize,
    pub last: usize,
    pub date: NaiveDate,
    pub precision: DatePrecision,
    /// Introduced by "depuis", "since": the start of a period, not an event's day.
    pub since: bool,
}

/// The most recent `weekday` on or before `reference`.
fn last_weekday(reference: NaiveDate, weekday: chrono::Weekday) -> NaiveDate {
    let back =
        (reference.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
    reference - Duration::days(back as i64)
}

fn year_of(doc: &Doc, i: usize) -> Option<i32> {
    let t = doc.tokens.get(i)?;
    if t.kind != TokenKind::Number || doc.slice(t).len() != 4 {
        return None;
    }
    number_value(doc.slice(t))
        .map(|v| v as i32)
        .filter(|y| (1900..=2100).contains(y))
}

fn day_of(doc: &Doc, i: usize) -> Option<u32> {
    let t = doc.tokens.get(i)?;
    if t.kind != TokenKind::Number {
        return None;
    }
    number_value(doc.slice(t))
        .map(|v| v as u32)
        .filter(|d| (1..=31).contains(d))
}

const SINCE: &[&str] = &["depuis", "since", "des", "from"];
const MONTH_INTRO: &[&str] = &[
    "en", "in", "de", "d", "of", "debut", "fin", "mi", "early", "late", "mid", "since", "depuis",
    "last", "dernier",
];

/// Finds date expressions, resolving relative ones against `reference`.
pub fn find_dates(doc: &Doc, lx: &Lexicon, reference: Option<NaiveDate>) -> Vec<DateMention> {
    let toks = &doc.tokens;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((end, word)) = lx.dates.longest_at(doc, i) else {
            i += 1;
            continue;
        };
        let since = i > 0 && SINCE.contains(&doc.tok_folded(i - 1))
            || i > 1
                && SINCE.contains(&doc.tok_folded(i - 2))
                && matches!(doc.tok_folded(i - 1), "le" | "la" | "l");
        let mut found: Option<(usize, usize, NaiveDate, DatePrecision)> = None;
        match *word {
            DateWord::Month(m) => {
                // [day] month [year] / month day[,] [year]; "Oct. 1"
                let day_before = if i > 0 { day_of(doc, i - 1) } else { None };
                let mut end = end;
                if end < toks.len() && doc.slice(&toks[end]) == "." && !toks[end].space_before {
                    end += 1;
                }
                let mut last = end;
                let mut day_after = None;
                if day_before.is_none() {
                    day_after = day_of(doc, end);
                    if day_after.is_some() {
                        last = end + 1;
                    }
                }
                let mut j = last;
                if j < toks.len() && doc.slice(&toks[j]) == "," {
                    j += 1;
                }
                let year = year_of(doc, j);
                if year.is_some() {
                    last = j + 1;
                }
                let first = if day_before.is_some() { i - 1 } else { i };
                let day = day_before.or(day_after);
                // A month alone is a date only after "en", "in", "début"…
                // (English "may" is mostly a verb).
                let introduced = i > 0 && MONTH_INTRO.contains(&doc.tok_folded(i - 1));
                if day.is_none() && year_of(doc, j).is_none() && !introduced {
                    i = end;
                    continue;
                }
                let year = year.or_else(|| {
                    // Without a year: the most recent such date on or before the reference.
                    let r = reference?;
                    let y = r.year();
                    let d = NaiveDate::from_ymd_opt(y, m, day.unwrap_or(1))?;
                    Some(if d > r { y - 1 } else { y })
                });
                if let Some(y) = year {
                    match day {
                        Some(d) => {
                            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                                found = Some((first, last, date, DatePrecision::Day));
                            }
                        }
                        None => {
                            if let Some(date) = NaiveDate::from_ymd_opt(y, m, 1) {
                                found = Some((first, last, date, DatePrecision::Month));
                            }
                        }
                    }
                }
            }
            DateWord::Weekday(w) => {
                if let Some(r) = reference {
                    // "jeudi 5 octobre": an explicit date follows and wins.
                    if day_of(doc, end).is_some() && lx.dates.longest_at(doc, end + 1).is_some() {
                        i = end;
                        continue;
                    }
                    found = Some((i, end, last_weekday(r, w), DatePrecision::Day));
                }
            }
            DateWord::Relative(offset) => {
                if let Some(r) = reference {
                    found = Some((i, end, r + Duration::days(offset), DatePrecision::Day));
                }
            }
        }
        match found {
            Some((first, last, date, precision)) => {
                out.push(DateMention {
                    first,
                    last,
                    date,
                    precision,
                    since,
                });
                i = last.max(i + 1);
            }
            None => i = end,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    fn dates(lang: &str, s: &str, reference: &str) -> Vec<(String, NaiveDate, DatePrecision)> {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(s.to_string(), 0, &|w| k.is_abbreviation(w));
        let r = NaiveDate::parse_from_str(reference, "%Y-%m-%d").ok();
        find_dates(&doc, k.lexicon(lang), r)
            .into_iter()
            .map(|d| {
                (
                    doc.tokens_text(d.first, d.last).to_string(),
                    d.date,
                    d.precision,
                )
            })
            .collect()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekdays_resolve_to_the_most_recent_on_or_before_publication() {
        // 26 April 2024 is a Friday.
        let d = dates("fr", "le jeudi matin, depuis vendredi", "2024-04-26");
        assert_eq!(d[0].1, day("2024-04-25"));
        assert_eq!(d[1].1, day("2024-04-26"));
        let d = dates("en", "Fighting intensified Thursday", "2012-12-06");
        assert_eq!(d[0].1, day("2012-12-06"));
    }

    #[test]
    fn explicit_and_relative_dates() {
        let d = dates("fr", "le 3 octobre 2012 et hier", "2012-10-10");
        assert_eq!(
            d[0],
            (
                "3 octobre 2012".to_string(),
                day("2012-10-03"),
                DatePrecision::Day
            )
        );
        assert_eq!(d[1].1, day("2012-10-09"));
        let d = dates(
            "en",
            "On 3 May 2016 and on December 5, 2012, and in March",
            "2016-05-10",
        );
        assert_eq!(d[0].1, day("2016-05-03"));
        assert_eq!(d[1].1, day("2012-12-05"));
        assert_eq!(
            d[2],
            ("March".to_string(), day("2016-03-01"), DatePrecision::Month)
        );
    }

    #[test]
    fn relative_days_need_a_reference() {
        assert!(dates("en", "yesterday", "").is_empty());
    }

    #[test]
    fn dates_in_urls() {
        assert_eq!(
            date_in_url("http://fr.africanews.com/2016/05/23/la-syrie"),
            Some(day("2016-05-23"))
        );
        assert_eq!(
            date_in_url("http://www.dailystar.com.lb/News/Politics/2012/Dec-06/197451-x.ashx"),
            Some(day("2012-12-06"))
        );
        assert_eq!(date_in_url("https://www.syriahr.com/en/49393/"), None);
    }
}
