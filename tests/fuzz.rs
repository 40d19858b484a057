//! Property tests ("fuzzing") of the readers, the number parser, the date
//! parser and the whole pipeline: no input makes them panic, and what they
//! return is well-formed. Inputs that once broke something are kept in
//! tests/fuzz_corpus/ and replayed by `crashers_stay_fixed`.
//! PROPTEST_CASES=20000 cargo test --release --test fuzz runs them harder.

use conflictdb::input::{decode, parse_html, parse_json_object, parse_text};
use conflictdb::knowledge::Knowledge;
use conflictdb::model::Article;
use conflictdb::pipeline::{dates::find_dates, extract, numbers::find_quantities};
use conflictdb::text::Doc;
use proptest::prelude::*;

fn check_extraction(title: &str, body: &str) {
    let k = Knowledge::embedded().unwrap();
    let a = Article {
        input: "fuzz".into(),
        title: title.into(),
        body: body.into(),
        ..Default::default()
    };
    let x = extract(&a, k);
    let n = x.article.text_chars;
    let ok = |s: &[usize; 2]| s[0] <= s[1] && s[1] <= n;
    assert!(x.locations.iter().all(|l| l.spans.iter().all(ok)));
    assert!(x.groups.iter().all(|g| g.spans.iter().all(ok)));
    assert!(x.sources.iter().all(|s| s.spans.iter().all(ok)));
    assert!(x.casualties.iter().all(|c| ok(&c.span) && ok(&c.sentence)));
    assert!(x.events.iter().all(|e| ok(&e.span)));
    let ids: Vec<&String> = x.locations.iter().map(|l| &l.id).collect();
    assert!(x
        .events
        .iter()
        .all(|e| e.location.as_ref().is_none_or(|l| ids.contains(&l))));
    assert!(x
        .casualties
        .iter()
        .all(|c| c.duplicate_of.is_none_or(|d| d < x.casualties.len())));
    assert!(x
        .casualties
        .iter()
        .all(|c| c.part_of.is_none_or(|d| d < x.casualties.len())));
    serde_json::to_string(&x).unwrap();
}

/// Text made of the words conflict news is made of, in any order, with noise.
fn newsy() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Alep",
        "Aleppo",
        "Homs",
        "al-",
        "el-",
        "Sana'a",
        "l'",
        "d'",
        "Jaïch",
        "Daech",
        "tués",
        "killed",
        "blessés",
        "wounded",
        "au",
        "moins",
        "at",
        "least",
        "plus",
        "de",
        "more",
        "than",
        "des",
        "dizaines",
        "dozens",
        "dont",
        "including",
        "selon",
        "according",
        "to",
        "l'OSDH",
        "SOHR",
        "hier",
        "jeudi",
        "Thursday",
        "yesterday",
        "le",
        "3",
        "octobre",
        "2012",
        "May",
        "150",
        "1,200",
        "1 200",
        "1.200",
        "vingt-trois",
        "trente",
        "et",
        "un",
        "a",
        "woman",
        "three",
        "children",
        "soldats",
        "civils",
        "rebelles",
        "army",
        "l'armée",
        "a",
        "été",
        "were",
        ",",
        ".",
        ";",
        ":",
        "(",
        ")",
        "«",
        "»",
        "\"",
        "-",
        "–",
        "\n",
        "\n\n",
        "aucun",
        "no",
        "since",
        "depuis",
        "2011",
        "âgé",
        "ans",
        "year-old",
        "12",
        "%",
        "km",
        "7h00",
        "9:00",
        "4/11",
        "Oct.",
        "1",
        "BEIRUT",
        "(AP)",
        "—",
        "bombardement",
        "airstrike",
        "car",
        "bomb",
        "kamikaze",
        "enlevés",
        "abducted",
        "arrested",
        "displaced",
        "familles",
        "ont",
        "péri",
        "death",
        "toll",
        "rose",
        "bilan",
        "s'est",
        "alourdi",
        "à",
        "40",
        "morts",
        "the",
        "of",
        "in",
        "village",
        "de",
        "Zzyzx",
        "quartier",
        "neighbourhood",
        "حلب",
        "قتل",
        "ة",
        "é",
        "\u{0301}",
        "ǅ",
        "ß",
        "İ",
        "ﬁ",
        "Ⅻ",
        "٣",
        "۴",
        "9999999999999999999999999999999999999999",
    ]);
    prop::collection::vec(words, 0..120).prop_map(|w| w.join(" "))
}

proptest! {
    // 256 cases by default; PROPTEST_CASES raises it.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn readers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(text) = decode("fuzz", bytes) {
            let _ = parse_text("fuzz.txt", &text);
            let _ = parse_json_object("fuzz.json", &text);
            let _ = parse_html("fuzz.html", &text);
        }
    }

    #[test]
    fn readers_never_panic_on_markup(s in "(<[a-z]{1,6}( [a-z]{1,5}=\"[^\"]{0,10}\")?>|</[a-z]{1,6}>|[^<>]{0,20}|\\{|\\}|\"[a-z_]{1,10}\": ?|\\[|\\]|,){0,60}") {
        let _ = parse_html("fuzz.html", &s);
        let _ = parse_json_object("fuzz.json", &s);
        let _ = parse_text("fuzz.txt", &s);
    }

    #[test]
    fn the_pipeline_never_panics_on_news_like_text(title in newsy(), body in newsy()) {
        check_extraction(&title, &body);
    }

    #[test]
    fn the_pipeline_never_panics_on_any_text(title in "\\PC{0,80}", body in "(\\PC|\n){0,600}") {
        check_extraction(&title, &body);
    }

    #[test]
    fn numbers_in_digits_read_back(n in 0u64..10_000_000, style in 0usize..4) {
        let k = Knowledge::embedded().unwrap();
        let digits = n.to_string();
        let written = match style {
            0 => digits.clone(),
            _ => {
                let sep = [",", " ", "."][style - 1];
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        out.push_str(sep);
                    }
                    out.push(c);
                }
                out
            }
        };
        let doc = Doc::from_text(format!("{written} civils tués"), 0, &|_| false);
        let q = find_quantities(&doc, k.lexicon("fr"));
        // Years are not counts; every other number reads back as written.
        if !(1900..=2100).contains(&n) || style != 0 {
            prop_assert_eq!(q.first().and_then(|q| q.count), Some(n));
        }
    }

    #[test]
    fn explicit_dates_read_back(y in 1990i32..2040, m in 1u32..=12, d in 1u32..=28, lang in 0usize..2) {
        let k = Knowledge::embedded().unwrap();
        let (lx, text) = if lang == 0 {
            let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
            (k.lexicon("fr"), format!("le {d} {} {y}", months[m as usize - 1]))
        } else {
            let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
            (k.lexicon("en"), format!("on {} {d}, {y}", months[m as usize - 1]))
        };
        let doc = Doc::from_text(text, 0, &|_| false);
        let found = find_dates(&doc, lx, None);
        prop_assert_eq!(found.first().map(|f| f.date), chrono::NaiveDate::from_ymd_opt(y, m, d));
    }

    #[test]
    fn relative_dates_never_panic(words in prop::collection::vec(prop::sample::select(vec!["hier", "jeudi", "le", "3", "mai", "99999", "0", "32", "yesterday", "Monday", "on", "December", "5", ",", "2012", "depuis", "since", "last", "night"]), 0..12), days in -100000i64..100000) {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(words.join(" "), 0, &|_| false);
        let reference = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap().checked_add_signed(chrono::Duration::days(days));
        for lx in k.lexicons() {
            let _ = find_dates(&doc, lx, reference);
        }
    }
}

#[test]
fn crashers_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if let Ok(text) = decode("corpus", bytes) {
            let a = parse_text("corpus.txt", &text);
            check_extraction(&a.title, &a.body);
            let _ = parse_json_object("corpus.json", &text);
            let _ = parse_html("corpus.html", &text);
        }
        n += 1;
    }
    assert!(n > 0, "the regression corpus is empty");
}
