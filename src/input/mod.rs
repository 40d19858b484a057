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

/// Reads a file, but no more than the article size limit and one byte
/// (enough for `decode` to say it is too large), whatever the file's size.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_ARTICLE_BYTES as u64 + 1)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// Lines of a JSON Lines file, each kept to the size limit (and one byte):
/// a gigantic line costs its limit in memory, not its length.
struct BoundedLines<R> {
    reader: R,
    limit: usize,
}

impl<R: BufRead> Iterator for BoundedLines<R> {
    type Item = std::io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut line = Vec::new();
        let mut any = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) => return Some(Err(e)),
            };
            if buf.is_empty() {
                return any.then_some(Ok(line));
            }
            any = true;
            let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], i + 1),
                None => (buf, buf.len()),
            };
            let room = (self.limit + 1).saturating_sub(line.len());
            line.extend_from_slice(&chunk[..chunk.len().min(room)]);
            let ended = done <= buf.len() && buf.get(done - 1) == Some(&b'\n');
            self.reader.consume(done);
            if ended {
                return Some(Ok(line));
            }
        }
    }
}

/// Turns an input's bytes into text: UTF-8 (with or without a BOM), UTF-16
/// with a BOM, or a legacy encoding (Windows-1252, ISO-8859-1/6…) detected
/// from the bytes. Binary data, empty inputs and inputs over the size limit
/// are refused with a message saying so.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(Error::input(
            name,
            format!(
                "{} bytes is more than the {} bytes allowed for one article (split the file, or use JSON Lines)",
                bytes.len(),
                MAX_ARTICLE_BYTES
            ),
        ));
    }
    // A byte order mark says the encoding.
    let (text, from_bom) = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((enc, bom_len)) => {
            let (t, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
            if had_errors {
                return Err(Error::input(name, format!("not valid {} text", enc.name())));
            }
            (t.into_owned(), true)
        }
        None => match String::from_utf8(bytes) {
            Ok(s) => (s, false),
            Err(e) => {
                let bytes = e.into_bytes();
                if looks_binary(&bytes) {
                    return Err(Error::input(
                        name,
                        "binary data, not text (an article must be text, JSON or HTML)",
                    ));
                }
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(&bytes, true);
                let enc = detector.guess(None, false);
                let (t, _, had_errors) = enc.decode(&bytes);
                if had_errors {
                    return Err(Error::input(
                        name,
                        format!(
                            "text in an unknown encoding (not UTF-8, not {})",
                            enc.name()
                        ),
                    ));
                }
                (t.into_owned(), false)
            }
        },
    };
    if !from_bom && looks_binary(text.as_bytes()) {
        return Err(Error::input(
            name,
            "binary data, not text (an article must be text, JSON or HTML)",
        ));
    }
    if text.trim().is_empty() {
        return Err(Error::input(name, "empty: no text to read"));
    }
    Ok(text)
}

/// NUL bytes, or many control characters, are not in any text article.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > sample.len().max(1)
}

/// Reads one input and yields its articles (one, or one per line for JSON
/// Lines), each or its error.
pub fn read_input(
    input: Input,
    ov: &Overrides,
) -> Box<dyn Iterator<Item = Result<Article>> + Send + '_> {
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
            let format = format_of(&path);
            if format == Format::JsonLines {
                let file = match std::fs::File::open(&path) {
                    Ok(f) => f,
                    Err(e) => {
                        return Box::new(std::iter::once(Err(Error::Io {
                            path: path.clone(),
                            source: e,
                        })))
                    }
                };
                let lines = BoundedLines {
                    reader: BufReader::new(file),
                    limit: MAX_ARTICLE_BYTES,
                }
                .enumerate();
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
            let one = read_bounded(&path)
                .map_err(|e| Error::Io {
                    path: path.clone(),
                    source: e,
                })
                .and_then(|b| decode(&name, b))
                .and_then(|s| match format {
                    Format::Json => parse_json_object(&name, &s),
                    Format::Html => Ok(parse_html(&name, &s)),
                    _ => Ok(parse_text(&name, &s)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_and_utf16_encodings_are_read() {
        let french = "Cinq soldats ont été tués à Alep, près de la caserne Hanano. Les blessés ont été évacués vers l'hôpital.";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(french);
        assert_eq!(decode("a.txt", cp1252.into_owned()).unwrap(), french);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in french.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode("b.txt", utf16).unwrap(), french);
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(french.as_bytes());
        assert_eq!(decode("c.txt", bom).unwrap(), french);
    }

    #[test]
    fn binary_empty_and_huge_inputs_are_refused_with_a_reason() {
        let e = decode("x.bin", vec![0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3])
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.bin") && e.contains("binary"), "{e}");
        let e = decode("e.txt", b"  \n\n ".to_vec())
            .unwrap_err()
            .to_string();
        assert!(e.contains("empty"), "{e}");
        let e = decode("big.txt", vec![b'a'; MAX_ARTICLE_BYTES + 1])
            .unwrap_err()
            .to_string();
        assert!(e.contains("more than"), "{e}");
    }
}
