//! news-please and trafilatura JSON: `url`, `title`, `maintext` (or `text`),
//! `date_publish` (or `date`), `language`, `source_domain` (or `hostname`).

use super::parse_datetime;
use crate::error::{Error, Result};
use crate::model::Article;
use serde_json::Value;

fn field<'a>(v: &'a Value, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| v.get(*n).and_then(|x| x.as_str()))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn from_value(name: &str, v: &Value) -> Result<Article> {
    if !v.is_object() {
        return Err(Error::input(
            name,
            "expected a JSON object with at least `title` and `maintext` (or `text`)",
        ));
    }
    let title = field(v, &["title"]).unwrap_or("").to_string();
    let body = field(v, &["maintext", "text", "content", "body"])
        .unwrap_or("")
        .to_string();
    if title.is_empty() && body.is_empty() {
        return Err(Error::input(
            name,
            "the JSON object has no `title` and no `maintext`/`text`",
        ));
    }
    let published = match field(v, &["date_publish", "date", "published", "date_published"]) {
        None => None,
        Some(d) => Some(parse_datetime(d).ok_or_else(|| {
            Error::input(name, format!("cannot read the publication date '{d}'"))
        })?),
    };
    let url = field(v, &["url", "source_url"]).map(str::to_string);
    let outlet = field(v, &["source_domain", "hostname", "sitename"]).map(str::to_string);
    let language = field(v, &["language", "lang"]).map(|l| l.to_ascii_lowercase());
    Ok(Article {
        input: name.to_string(),
        title,
        body,
        published,
        url,
        outlet,
        language,
    })
}

/// One JSON object per file.
pub fn parse_json_object(name: &str, contents: &str) -> Result<Article> {
    let v: Value = serde_json::from_str(contents)
        .map_err(|e| Error::input(name, format!("malformed JSON: {e}")))?;
    from_value(name, &v)
}

/// One line of a JSON Lines file; `name` already carries `:LINE`.
pub fn parse_json_line(name: &str, line: &str) -> Result<Article> {
    let v: Value = serde_json::from_str(line)
        .map_err(|e| Error::input(name, format!("malformed JSON: {e}")))?;
    from_value(name, &v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_please_fields() {
        let a = parse_json_object(
            "a.json",
            r#"{"url":"https://x.org/a","title":"T","maintext":"B","date_publish":"2016-05-23 14:05:00","language":"FR","source_domain":"x.org"}"#,
        )
        .unwrap();
        assert_eq!(a.title, "T");
        assert_eq!(a.body, "B");
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2016-05-23T14:05:00+00:00"
        );
        assert_eq!(a.language.as_deref(), Some("fr"));
        assert_eq!(a.outlet.as_deref(), Some("x.org"));
    }

    #[test]
    fn trafilatura_fields_and_nulls() {
        let a = parse_json_object(
            "a.json",
            r#"{"title":"T","text":"B","date":null,"hostname":"y.com"}"#,
        )
        .unwrap();
        assert_eq!(
            (a.body.as_str(), a.published, a.outlet.as_deref()),
            ("B", None, Some("y.com"))
        );
    }

    #[test]
    fn errors_name_the_input() {
        let e = parse_json_object("bad.json", "{\"title\": ")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("bad.json: malformed JSON: ") && e.contains("line 1"),
            "{e}"
        );
        let e = parse_json_object("arr.json", "[1,2]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected a JSON object"), "{e}");
        let e = parse_json_line("f.jsonl:3", "{\"x\":1}")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f.jsonl:3: "), "{e}");
    }
}
