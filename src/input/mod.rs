//! Reading inputs into articles: plain text (with or without Al-Manar's
//! `Jerusalem Timing` header), news-please/trafilatura JSON and JSON Lines,
//! HTML pages, folders (recursively) and standard input.
//!
//! Parsing is pure (`parse_*` take the text); only [`read_input`] touches
//! files. A JSON Lines file is streamed line by line, so memory stays flat
//! whatever its size.

mod html;
mod json;
mod text;

pub use html::parse_html;
pub use json::parse_json_object;
pub use text::parse_text;

use crate::error::{Error, Result};
use crate::model::Article;
use chrono::{DateTime, FixedOffset};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Overrides given on the command line; they win over what the input says.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub published: Option<DateTime<FixedOffset>>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub language: Option<String>,
}

impl Overrides {
    pub fn apply(&self, mut a: Article) -> Article {
        if self.published.is_some() {
            a.published = self.published;
        }
        if self.url.is_some() {
            a.url = self.url.clone();
        }
        if self.outlet.is_some() {
            a.outlet = self.outlet.clone();
        }
        if self.language.is_some() {
            a.language = self.language.clone();
        }
        a
    }
}

/// Largest article text accepted, in bytes: beyond this an input is
/// certainly not one news article (a dump, a binary file).
pub const MAX_ARTICLE_BYTES: usize = 4 * 1024 * 1024;

/// One input to read: a file (as named for output) or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File { name: String, path: PathBuf },
    Stdin,
}

impl Input {
    pub fn name(&self) -> &str {
        match self {
            Input::File { name, .. } => name,
            Input::Stdin => "-",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    JsonLines,
    Html,
}

pub fn format_of(path: &Path) -> Format {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("json") => Format::Json,
        Some("jsonl") | Some("ndjson") => Format::JsonLines,
        Some("html") | Some("htm") | Some("xhtml") => Format::Html,
        _ => Format::Text,
    }
}

fn is_article_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("txt" | "json" | "jsonl" | "ndjson" | "html" | "htm" | "xhtml")
    ) && !path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.ends_with(".gold.json"))
}

/// Expands the command-line paths: folders become their article files,
/// recursively and in sorted order, named by the folder argument joined with
/// their relative path. Paths that do not exist are returned as errors.
pub fn discover(paths: &[String]) -> Vec<Result<Input>> {
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        let path = PathBuf::from(p);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&path)
                .follow_links(true)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file() && is_article_file(e.path()))
                .map(|e| e.into_path())
                .collect();
            files.sort();
            for f in files {
                let rel = f.strip_prefix(&path).unwrap_or(&f);
                let name = Path::new(p).join(rel).to_string_lossy().into_owned();
                out.push(Ok(Input::File { name, path: f }));
            }
        } else if path.exists() {
            out.push(Ok(Input::File {
                name: p.clone(),
                path,
            }));
        } else {
            out.push(Err(Error::Io {
                path,
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            }));
        }
    }
    out
}

fn decode(name: &str, bytes: Vec<u8>) -> Result<String> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(Error::input(
            name,
            format!(
                "{} bytes is more than the {} bytes allowed for one article",
                bytes.len(),
                MAX_ARTICLE_BYTES
            ),
        ));
    }
    let bytes = bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .map(|b| b.to_vec())
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| {
        Error::input(
            name,
            format!(
                "not valid UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Reads one input and yields its articles (one, or one per line for JSON
/// Lines), each or its error.
pub fn read_input<'a>(
    input: &'a Input,
    ov: &'a Overrides,
) -> Box<dyn Iterator<Item = Result<Article>> + 'a> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            let r = std::io::stdin()
                .lock()
                .take(MAX_ARTICLE_BYTES as u64 + 1)
                .read_to_end(&mut buf);
            let one = r
                .map_err(|e| Error::Io {
                    path: "-".into(),
                    source: e,
                })
                .and_then(|_| decode("-", buf))
                .map(|s| ov.apply(parse_text("-", &s)));
            Box::new(std::iter::once(one))
        }
        Input::File { name, path } => {
            let format = format_of(path);
            if format == Format::JsonLines {
                let file = match std::fs::File::open(path) {
                    Ok(f) => f,
                    Err(e) => {
                        return Box::new(std::iter::once(Err(Error::Io {
                            path: path.clone(),
                            source: e,
                        })))
                    }
                };
                let lines = BufReader::new(file).split(b'\n').enumerate();
                return Box::new(lines.filter_map(move |(n, line)| {
                    let line_name = format!("{name}:{}", n + 1);
                    let line = match line {
                        Ok(l) => l,
                        Err(e) => {
                            return Some(Err(Error::Io {
                                path: path.clone(),
                                source: e,
                            }))
                        }
                    };
                    if line.iter().all(|b| b.is_ascii_whitespace()) {
                        return None;
                    }
                    Some(
                        decode(&line_name, line)
                            .and_then(|s| json::parse_json_line(&line_name, &s))
                            .map(|a| ov.apply(a)),
                    )
                }));
            }
            let one = std::fs::read(path)
                .map_err(|e| Error::Io {
                    path: path.clone(),
                    source: e,
                })
                .and_then(|b| decode(name, b))
                .and_then(|s| match format {
                    Format::Json => parse_json_object(name, &s),
                    Format::Html => Ok(parse_html(name, &s)),
                    _ => Ok(parse_text(name, &s)),
                })
                .map(|a| ov.apply(a));
            Box::new(std::iter::once(one))
        }
    }
}

/// Parses a date as inputs write it: RFC 3339, "YYYY-MM-DD HH:MM:SS" (taken
/// as UTC, as news-please writes it), or a bare date (midnight UTC).
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Some(d);
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(n.and_utc().fixed_offset());
        }
    }
    if let Ok(d) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z") {
        return Some(d);
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset());
    }
    None
}
