//! Time of each pipeline stage on the bundled sample articles (real text,
//! French and English): `cargo bench --bench stages`. The end-to-end
//! figures (extract, ingest, reports on a large corpus) come from
//! `scripts/bench.py`; BENCHMARKS.md has both.
use conflictdb::input::{discover, read_input, Overrides};
use conflictdb::knowledge::{Knowledge, DATA_FILES};
use conflictdb::model::Article;
use conflictdb::pipeline::{self, dates, entities, numbers};
use conflictdb::text::Doc;
use divan::{black_box, Bencher};

fn main() {
    divan::main();
}

fn samples() -> Vec<Article> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples").to_string();
    let overrides = Overrides::default();
    discover(&[dir])
        .into_iter()
        .flat_map(|i| read_input(i.expect("a sample"), &overrides))
        .map(|a| a.expect("a readable sample"))
        .collect()
}

fn docs(k: &Knowledge) -> Vec<Doc> {
    samples()
        .iter()
        .map(|a| Doc::new(&a.title, &a.body, &|w| k.is_abbreviation(w)))
        .collect()
}

/// Loading the embedded gazetteer, groups, sources and lexicons (once per run).
#[divan::bench(sample_count = 10)]
fn load_knowledge() -> Knowledge {
    Knowledge::load(DATA_FILES).expect("the embedded data load")
}

/// Sentences and tokens with their offsets.
#[divan::bench]
fn tokenize(b: Bencher) {
    let k = Knowledge::embedded().unwrap();
    let articles = samples();
    b.bench(|| {
        for a in &articles {
            black_box(Doc::new(&a.title, &a.body, &|w| k.is_abbreviation(w)));
        }
    });
}

/// Numbers in digits and words, with their qualifiers.
#[divan::bench]
fn numbers(b: Bencher) {
    let k = Knowledge::embedded().unwrap();
    let docs = docs(k);
    b.bench(|| {
        for d in &docs {
            black_box(numbers::find_quantities(d, k.lexicon("en")));
        }
    });
}

/// Explicit and relative dates.
#[divan::bench]
fn dates(b: Bencher) {
    let k = Knowledge::embedded().unwrap();
    let docs = docs(k);
    b.bench(|| {
        for d in &docs {
            black_box(dates::find_dates(d, k.lexicon("fr"), None));
        }
    });
}

/// Places, groups and sources: the gazetteer and name lookups.
#[divan::bench]
fn entities(b: Bencher) {
    let k = Knowledge::embedded().unwrap();
    let docs = docs(k);
    b.bench(|| {
        for d in &docs {
            black_box(entities::find_entities(&entities::Reader::new(
                d,
                k,
                k.lexicon("en"),
            )));
        }
    });
}

/// The whole pipeline, article to extraction.
#[divan::bench]
fn extract(b: Bencher) {
    let k = Knowledge::embedded().unwrap();
    let articles = samples();
    b.bench(|| {
        for a in &articles {
            black_box(pipeline::extract(a, k));
        }
    });
}
