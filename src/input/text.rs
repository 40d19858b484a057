//! Plain text: an optional Al-Manar header line, the title (often printed
//! twice), then the body.

use crate::model::Article;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Asia::Jerusalem;
use regex::Regex;
use std::sync::OnceLock;

/// Al-Manar's `26-04-2024 02:48 AM Jerusalem Timing`: local time in
/// Asia/Jerusalem (UTC+2, or UTC+3 in summer).
pub fn parse_jerusalem_header(line: &str) -> Option<DateTime<FixedOffset>> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2}):(\d{2})\s*(AM|PM)?\s+Jerusalem\s+Timing\s*$").unwrap()
    });
    let c = re.captures(line)?;
    let date = NaiveDate::from_ymd_opt(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?)?;
    let mut hour: u32 = c[4].parse().ok()?;
    let minute: u32 = c[5].parse().ok()?;
    match c.get(6).map(|m| m.as_str().to_ascii_uppercase()) {
        Some(ref p) if p == "PM" && hour < 12 => hour += 12,
        Some(ref p) if p == "AM" && hour == 12 => hour = 0,
        _ => {}
    }
    let local = date.and_time(NaiveTime::from_hms_opt(hour, minute, 0)?);
    // In the hour skipped or repeated by a DST change, the earlier reading is taken.
    let zoned = Jerusalem.from_local_datetime(&local).earliest()?;
    Some(zoned.fixed_offset())
}

/// Parses a plain-text article. `name` is the input as named on the command line.
pub fn parse_text(name: &str, contents: &str) -> Article {
    let contents = contents.replace("\r\n", "\n");
    let mut lines = contents.lines().peekable();
    let mut published = None;
    // Skip leading blank lines, then look for the header.
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    if let Some(first) = lines.peek() {
        if let Some(p) = parse_jerusalem_header(first) {
            published = Some(p);
            lines.next();
        }
    }
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    let title = lines.next().unwrap_or("").trim().to_string();
    let rest: Vec<&str> = lines.collect();
    // The title printed twice: drop the repeat.
    let mut start = 0;
    while start < rest.len() && rest[start].trim().is_empty() {
        start += 1;
    }
    if start < rest.len() && !title.is_empty() && rest[start].trim() == title {
        start += 1;
    }
    let body = rest[start..].join("\n").trim().to_string();
    Article {
        input: name.to_string(),
        title,
        body,
        published,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jerusalem_header_is_local_time_with_daylight_saving() {
        let p = parse_jerusalem_header("26-04-2024 02:48 AM Jerusalem Timing").unwrap();
        assert_eq!(p.to_rfc3339(), "2024-04-26T02:48:00+03:00");
        let p = parse_jerusalem_header("24-11-2024 09:23 PM Jerusalem Timing").unwrap();
        assert_eq!(p.to_rfc3339(), "2024-11-24T21:23:00+02:00");
        let p = parse_jerusalem_header("01-01-2020 12:05 AM Jerusalem Timing").unwrap();
        assert_eq!(p.to_rfc3339(), "2020-01-01T00:05:00+02:00");
        assert!(parse_jerusalem_header("La caserne Hanano").is_none());
    }

    #[test]
    fn header_title_twice_and_body() {
        let a = parse_text(
            "x.txt",
            "26-04-2024 02:48 AM Jerusalem Timing\n\nTitre\n\nTitre\n\nCorps un.\n\nCorps deux.\n",
        );
        assert_eq!(a.title, "Titre");
        assert_eq!(a.body, "Corps un.\n\nCorps deux.");
        assert!(a.published.is_some());
    }

    #[test]
    fn no_header_first_line_is_the_title() {
        let a = parse_text("x.txt", "\nA title\nThe body.\n");
        assert_eq!(
            (a.title.as_str(), a.body.as_str(), a.published),
            ("A title", "The body.", None)
        );
    }
}
