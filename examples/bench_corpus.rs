//! Writes a benchmark corpus as news-please JSON Lines, built from real
//! article text: the bundled samples and the hand-coded articles of
//! `eval/gold`, repeated with different figures, dates and outlets so that
//! no two articles have the same text (ingest would skip repeats).
//!
//! cargo run --release --example bench_corpus -- COUNT OUT.jsonl [SEED] [PATH...]
//!
//! Deterministic for a given seed. Numbers written in digits get another
//! value of the same number of digits; years move with the publication date,
//! which is drawn between 2012 and 2025. Articles shorter than the target
//! size (3,000 bytes of text, the average news article) go on with paragraphs
//! of the next template in the same language, as a round-up of several
//! incidents would.
use chrono::{Datelike, Duration, NaiveDate};
use conflictdb::input::{discover, read_input, Input, Overrides};
use conflictdb::model::Article;
use std::io::Write;

/// splitmix64: small, fast and good enough to vary a corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The text with every digit run replaced: years (1990–2030) shifted by
/// `year_shift`, other numbers redrawn with the same number of digits (so
/// "1,200" stays a thousands figure and a time "14:05" stays a time).
fn vary_numbers(text: &str, year_shift: i32, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_ascii_digit() {
            out.push(c);
            continue;
        }
        let mut end = i + 1;
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_ascii_digit() {
                break;
            }
            end = j + 1;
            chars.next();
        }
        let run = &text[i..end];
        let value: u64 = run.parse().unwrap_or(0);
        if run.len() == 4 && (1990..=2030).contains(&value) {
            out.push_str(&(value as i32 + year_shift).to_string());
        } else if run.len() == 1 {
            out.push_str(&(1 + rng.below(9)).to_string());
        } else {
            let lo = 10u64.pow(run.len() as u32 - 1);
            let v = if run.starts_with('0') {
                rng.below(lo * 10)
            } else {
                lo + rng.below(lo * 9)
            };
            out.push_str(&format!("{v:0width$}", width = run.len()));
        }
    }
    out
}

/// Bytes of text (title and body) of an average news article.
const TARGET_BYTES: usize = 3000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: bench_corpus COUNT OUT.jsonl [SEED] [PATH...]";
    let count: usize = args.first().ok_or(usage)?.parse()?;
    let out_path = args.get(1).ok_or(usage)?;
    let seed: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(2026);
    let paths: Vec<String> = if args.len() > 3 {
        args[3..].to_vec()
    } else {
        vec!["samples".into(), "eval/gold".into()]
    };

    let overrides = Overrides::default();
    let knowledge = conflictdb::knowledge::Knowledge::embedded()?;
    let mut templates: Vec<Article> = Vec::new();
    for input in discover(&paths) {
        let input: Input = input?;
        for a in read_input(input, &overrides) {
            let mut a = a?;
            // The language as the pipeline detects it, so that round-ups
            // stay in one language.
            a.language = Some(
                conflictdb::pipeline::extract(&a, knowledge)
                    .article
                    .language,
            );
            templates.push(a);
        }
    }
    if templates.is_empty() {
        return Err(format!("no articles under {}", paths.join(", ")).into());
    }
    let outlets = [
        "reuters.com",
        "apnews.com",
        "france24.com",
        "lemonde.fr",
        "aljazeera.com",
        "almanar.com.lb",
        "rfi.fr",
        "bbc.co.uk",
    ];
    let start = NaiveDate::from_ymd_opt(2012, 1, 1).expect("a valid date");
    let mut rng = Rng(seed);
    let mut out = std::io::BufWriter::new(std::fs::File::create(out_path)?);
    let mut bytes = 0usize;
    for i in 0..count {
        let t = &templates[i % templates.len()];
        let day = start + Duration::days(rng.below(14 * 365) as i64);
        let shift = t.published.map_or(0, |p| day.year() - p.year());
        let mut body = vary_numbers(&t.body, shift, &mut rng);
        let mut next = i;
        while body.len() + t.title.len() < TARGET_BYTES {
            next += 1;
            let more = &templates[next % templates.len()];
            if more.language == t.language && !std::ptr::eq(more, t) {
                let shift = more.published.map_or(0, |p| day.year() - p.year());
                for paragraph in more.body.split("\n\n") {
                    if body.len() + t.title.len() >= TARGET_BYTES {
                        break;
                    }
                    body.push_str("\n\n");
                    body.push_str(&vary_numbers(paragraph, shift, &mut rng));
                }
            }
        }
        let record = serde_json::json!({
            "url": format!("https://{}/bench/{i}", outlets[i % outlets.len()]),
            "source_domain": t.outlet.clone().unwrap_or_else(|| outlets[i % outlets.len()].to_string()),
            "title": vary_numbers(&t.title, shift, &mut rng),
            "maintext": body,
            "date_publish": format!("{} {:02}:{:02}:00", day, rng.below(24), rng.below(60)),
            "language": t.language,
        });
        let line = serde_json::to_string(&record)?;
        bytes += record["title"].as_str().map_or(0, str::len)
            + record["maintext"].as_str().map_or(0, str::len);
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    eprintln!(
        "bench_corpus: {count} articles from {} templates, {:.1} KB of text each on average, in {out_path}",
        templates.len(),
        bytes as f64 / count.max(1) as f64 / 1024.0
    );
    Ok(())
}
