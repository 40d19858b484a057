//! Quantities: numbers in digits and in words, round amounts ("une
//! dizaine"), vague amounts ("des dizaines", "dozens"), zeros ("aucun"),
//! with the qualifier written before them. Whether a quantity counts people
//! is decided later, by the casualty stage.

use crate::knowledge::{Lexicon, NumberRole, RangeWord};
use crate::model::Qualifier;
use crate::text::{number_value, Doc, TokenKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Token range of the quantity itself (qualifier excluded).
    pub first: usize,
    pub last: usize,
    /// First token of the qualifier, when one is written before.
    pub qualifier_first: Option<usize>,
    pub count: Option<u64>,
    pub qualifier: Qualifier,
    /// Lower bound a vague amount implies.
    pub vague_low: Option<u64>,
    /// ACLED's conventional number for a vague amount.
    pub conventional: Option<u64>,
    /// "un", "une", "a", "an": one, only if a noun for people follows.
    pub indefinite: bool,
    /// "aucun", "no": a figure of zero, only if a casualty word follows.
    pub zero: bool,
    /// The upper end of a range ("entre dix et quinze": `count` 10, 15 here).
    pub range_high: Option<u64>,
}

/// Finds every quantity in the document, left to right, without overlaps.
pub fn find_quantities(doc: &Doc, lx: &Lexicon) -> Vec<Quantity> {
    let toks = &doc.tokens;
    let mut out: Vec<Quantity> = Vec::new();
    let mut i = 0;
    // End of the last number that was not a count: "aged 21 and 24", "entre 2 et 9 ans".
    let mut last_excluded: Option<usize> = None;
    while i < toks.len() {
        let Some(mut q) = quantity_at(doc, lx, i) else {
            i += 1;
            continue;
        };
        extend_to_range(doc, lx, &mut q);
        let joined_to_excluded = last_excluded.is_some_and(|e| {
            e <= q.first
                && q.first - e <= 2
                && (e..q.first).all(|j| {
                    matches!(
                        doc.tok_folded(j),
                        "et" | "and" | "," | "to" | "a" | "-" | "ou" | "or"
                    )
                })
        });
        if joined_to_excluded || is_not_a_count(doc, lx, &q) {
            last_excluded = Some(q.last);
            i = q.last.max(i + 1);
            continue;
        }
        if q.qualifier == Qualifier::Exact {
            if let Some((start, qual)) = qualifier_before(doc, lx, q.first) {
                q.qualifier = qual;
                q.qualifier_first = Some(start);
            }
        }
        i = q.last;
        out.push(q);
    }
    out
}

/// Makes "entre dix et quinze", "between 10 and 15", "10 to 15" one
/// quantity: the first number is its count, the second its `range_high`.
/// A range needs two plain numbers, the second larger, in one sentence.
fn extend_to_range(doc: &Doc, lx: &Lexicon, q: &mut Quantity) {
    let plain = |q: &Quantity| {
        q.count.is_some() && q.qualifier == Qualifier::Exact && !q.zero && !q.indefinite
    };
    if !plain(q) {
        return;
    }
    let Some((join_end, join)) = lx.ranges.longest_at(doc, q.last) else {
        return;
    };
    let opened = || {
        (q.first.saturating_sub(2)..q.first).any(|s| {
            lx.ranges
                .longest_at(doc, s)
                .is_some_and(|(end, w)| end == q.first && *w == RangeWord::Open)
        })
    };
    match join {
        RangeWord::Join => {}
        RangeWord::JoinAfterOpen if opened() => {}
        _ => return,
    }
    let sentence = doc.tokens[q.first].sentence;
    let Some(second) = quantity_at(doc, lx, join_end) else {
        return;
    };
    if !plain(&second)
        || doc.tokens[second.last - 1].sentence != sentence
        || second.count <= q.count
    {
        return;
    }
    q.last = second.last;
    q.range_high = second.count;
}

fn quantity_at(doc: &Doc, lx: &Lexicon, i: usize) -> Option<Quantity> {
    let toks = &doc.tokens;
    // A range's joiner can end the text ("between 10 and").
    let t = toks.get(i)?;
    let base = |last: usize| Quantity {
        first: i,
        last,
        qualifier_first: None,
        count: None,
        qualifier: Qualifier::Exact,
        vague_low: None,
        conventional: None,
        indefinite: false,
        zero: false,
        range_high: None,
    };
    if t.kind == TokenKind::Punct {
        return None;
    }
    if let Some((end, _)) = lx.zero_cues.longest_at(doc, i) {
        return Some(Quantity {
            count: Some(0),
            zero: true,
            ..base(end)
        });
    }
    if let Some((end, v)) = lx.vague.longest_at(doc, i) {
        // "plusieurs" before a number is a qualifier-like word ("plusieurs
        // centaines" is listed); a vague word directly followed by a number is not vague.
        if !toks.get(end).is_some_and(|n| n.kind == TokenKind::Number) {
            return Some(Quantity {
                qualifier: Qualifier::Vague,
                vague_low: v.low,
                conventional: v.conventional,
                ..base(end)
            });
        }
    }
    if t.kind == TokenKind::Number {
        let mut value = number_value(doc.slice(t))?;
        let mut last = i + 1;
        // "2 millions", "1 200 000" (grouping handled by the tokenizer).
        if let Some((end, w)) = lx.numbers.longest_at(doc, last) {
            if w.role == NumberRole::Multiplier {
                value = value.saturating_mul(w.value);
                last = end;
            }
        }
        return Some(Quantity {
            count: Some(value),
            ..base(last)
        });
    }
    // Number words.
    let (end, first_word) = lx.numbers.longest_at(doc, i)?;
    match first_word.role {
        NumberRole::Approximate(q) => {
            return Some(Quantity {
                count: Some(first_word.value),
                qualifier: q,
                ..base(end)
            })
        }
        NumberRole::Connector => return None,
        _ => {}
    }
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut last = i;
    let mut j = i;
    let mut any = false;
    let mut indefinite_only = false;
    while j < toks.len() && toks[j].sentence == t.sentence {
        // Hyphens join number words ("vingt-trois").
        if toks[j].kind == TokenKind::Punct
            && doc.slice(&toks[j]) == "-"
            && any
            && !toks[j].space_before
        {
            j += 1;
            continue;
        }
        let Some((end, w)) = lx.numbers.longest_at(doc, j) else {
            break;
        };
        match w.role {
            NumberRole::Unit => {
                current += w.value;
                indefinite_only = false;
            }
            NumberRole::Indefinite => {
                if any && !indefinite_only {
                    // "vingt et un": the "un" of a compound number.
                    current += 1;
                } else if !any {
                    current = 1;
                    indefinite_only = true;
                } else {
                    break;
                }
            }
            NumberRole::Multiplier => {
                if current == 0 {
                    current = 1;
                }
                current = current.saturating_mul(w.value);
                if w.value >= 1000 {
                    total = total.saturating_add(current);
                    current = 0;
                }
                indefinite_only = false;
            }
            NumberRole::Connector => {
                // Only joins a smaller number word to round tens or to
                // hundreds ("trente et un", "soixante et onze", "hundred and
                // five"); "dix et quinze" is two numbers.
                let joins = lx.numbers.longest_at(doc, end).is_some_and(|(_, n)| {
                    let round_tens = (20..100).contains(&current) && current % 10 == 0;
                    let after_multiplier = current >= 100 || total > 0;
                    match n.role {
                        NumberRole::Unit => {
                            (round_tens && n.value < 20) || (after_multiplier && n.value < 100)
                        }
                        NumberRole::Indefinite => round_tens,
                        _ => false,
                    }
                });
                if !any || !joins || indefinite_only {
                    break;
                }
                j = end;
                continue;
            }
            NumberRole::Approximate(_) => break,
        }
        any = true;
        last = end;
        j = end;
    }
    if !any {
        return None;
    }
    let value = total + current;
    Some(Quantity {
        count: Some(value),
        indefinite: indefinite_only,
        ..base(last)
    })
}

/// Numbers that are times, dates, ages, ordinals, measures or years.
fn is_not_a_count(doc: &Doc, lx: &Lexicon, q: &Quantity) -> bool {
    let toks = &doc.tokens;
    let t = &toks[q.first];
    let next = toks.get(q.last);
    let glued_next = next.is_some_and(|n| !n.space_before);
    if t.kind == TokenKind::Number {
        if let Some(n) = next {
            let p = doc.slice(n);
            // 9:00, 4/11, 15th, 1er, 7h00
            if glued_next
                && matches!(
                    p,
                    ":" | "/"
                        | "h"
                        | "H"
                        | "e"
                        | "er"
                        | "ère"
                        | "eme"
                        | "ème"
                        | "st"
                        | "nd"
                        | "rd"
                        | "th"
                )
            {
                return true;
            }
            if glued_next
                && n.kind == TokenKind::Word
                && doc.folded(n).len() <= 3
                && lx.units.get_key(doc.folded(n)).is_none()
            {
                // "Rue30", "W460", "F-16" are codes; "5km" is a unit (handled below)
                return true;
            }
        }
        if q.first > 0 {
            let prev = &toks[q.first - 1];
            if !t.space_before && matches!(doc.slice(prev), "/" | ":" | "-" | "." | ",") {
                return true; // 4/11, F-16, 100.5
            }
            if !t.space_before && prev.kind == TokenKind::Word {
                return true; // Rue30
            }
        }
        // Years: four digits between 1900 and 2100.
        let s = doc.slice(t);
        if s.len() == 4 && q.count.is_some_and(|v| (1900..=2100).contains(&v)) {
            return true;
        }
    }
    // A unit after the number ("16 kilomètres", "12-year-old", "70 %").
    let mut j = q.last;
    if j < toks.len() && doc.slice(&toks[j]) == "-" {
        j += 1;
    }
    if lx.units.longest_at(doc, j).is_some() {
        return true;
    }
    // A month after a number is a date ("3 octobre"); a month before it too ("December 5").
    if lx
        .dates
        .longest_at(doc, q.last)
        .is_some_and(|(_, d)| matches!(d, crate::knowledge::DateWord::Month(_)))
    {
        return true;
    }
    if q.first > 0 {
        let mut k = q.first - 1;
        if doc.slice(&toks[k]) == "," && k > 0 {
            k -= 1;
        }
        if lx
            .dates
            .longest_at(doc, k)
            .is_some_and(|(e, d)| e == q.first && matches!(d, crate::knowledge::DateWord::Month(_)))
        {
            return true;
        }
        let _ = k;
    }
    // An age cue before it ("âgé de 12 ans", "aged 12").
    for back in 1..=4 {
        if q.first < back {
            break;
        }
        if let Some((end, _)) = lx.age_cues.longest_at(doc, q.first - back) {
            if end == q.first {
                return true;
            }
        }
    }
    false
}

/// A qualifier that ends right before `first` ("au moins 150", "more than 70").
fn qualifier_before(doc: &Doc, lx: &Lexicon, first: usize) -> Option<(usize, Qualifier)> {
    for back in 1..=4 {
        if first < back {
            break;
        }
        let start = first - back;
        if let Some((end, cue)) = lx.qualifiers.longest_at(doc, start) {
            if end == first && cue.before {
                return Some((start, cue.qualifier));
            }
        }
    }
    None
}

/// A qualifier written right after position `at` ("150 tués au moins", "19 at least").
pub fn qualifier_after(doc: &Doc, lx: &Lexicon, at: usize) -> Option<(usize, Qualifier)> {
    let (end, cue) = lx.qualifiers.longest_at(doc, at)?;
    // A qualifier followed by a number belongs to that number.
    if doc
        .tokens
        .get(end)
        .is_some_and(|t| t.kind == TokenKind::Number)
    {
        return None;
    }
    cue.after.then_some((end, cue.qualifier))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    fn quantities(lang: &str, s: &str) -> Vec<(Option<u64>, Qualifier, String)> {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(s.to_string(), 0, &|w| k.is_abbreviation(w));
        find_quantities(&doc, k.lexicon(lang))
            .into_iter()
            .map(|q| {
                (
                    q.count,
                    q.qualifier,
                    doc.tokens_text(q.first, q.last).to_string(),
                )
            })
            .collect()
    }

    fn ranges(lang: &str, s: &str) -> Vec<(Option<u64>, Option<u64>)> {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(s.to_string(), 0, &|w| k.is_abbreviation(w));
        find_quantities(&doc, k.lexicon(lang))
            .into_iter()
            .map(|q| (q.count, q.range_high))
            .collect()
    }

    #[test]
    fn two_numbers_of_a_range_are_one_quantity() {
        assert_eq!(
            ranges(
                "fr",
                "faisant entre dix et quinze morts selon des sources médicales"
            ),
            vec![(Some(10), Some(15))]
        );
        assert_eq!(
            ranges("fr", "la frappe a fait 10 à 15 morts"),
            vec![(Some(10), Some(15))]
        );
        assert_eq!(
            ranges(
                "en",
                "killing between 10 and 15 people, and 20 to 30 were wounded"
            ),
            vec![(Some(10), Some(15)), (Some(20), Some(30))]
        );
        // Without an opening word, "and" joins two figures, not a range;
        // a range needs its second number to be larger.
        assert_eq!(
            ranges("en", "10 and 15 were killed; between 15 and 3 fled"),
            vec![
                (Some(10), None),
                (Some(15), None),
                (Some(15), None),
                (Some(3), None)
            ]
        );
        assert_eq!(
            ranges("fr", "dix et quinze"),
            vec![(Some(10), None), (Some(15), None)]
        );
        // A text that stops after the joiner (the property test found it).
        assert_eq!(ranges("en", "between 10 and"), vec![(Some(10), None)]);
        assert_eq!(ranges("en", "10 to"), vec![(Some(10), None)]);
    }

    #[test]
    fn french_number_words() {
        let q = quantities("fr", "vingt-trois soldats, trente et un civils, quatre-vingt-dix blessés et deux cent trente morts");
        let counts: Vec<_> = q.iter().map(|x| x.0).collect();
        assert_eq!(counts, vec![Some(23), Some(31), Some(90), Some(230)]);
    }

    #[test]
    fn english_number_words_and_digits() {
        let q = quantities("en", "twenty-one people, one hundred and five soldiers, 1,200 residents and 2 million refugees");
        let counts: Vec<_> = q.iter().map(|x| x.0).collect();
        assert_eq!(
            counts,
            vec![Some(21), Some(105), Some(1200), Some(2_000_000)]
        );
    }

    #[test]
    fn qualifiers_before_the_number() {
        let q = quantities(
            "fr",
            "au moins 150 tués, plus de 200 blessés, près de 30 morts",
        );
        assert_eq!(
            q.iter().map(|x| x.1).collect::<Vec<_>>(),
            vec![Qualifier::AtLeast, Qualifier::MoreThan, Qualifier::About]
        );
        let q = quantities(
            "en",
            "at least 28 fighters and more than 70 others, up to 31 people",
        );
        assert_eq!(
            q.iter().map(|x| x.1).collect::<Vec<_>>(),
            vec![Qualifier::AtLeast, Qualifier::MoreThan, Qualifier::UpTo]
        );
    }

    #[test]
    fn round_and_vague_amounts() {
        let q = quantities("fr", "une dizaine de civils et des dizaines d'autres");
        assert_eq!(q[0].0, Some(10));
        assert_eq!(q[0].1, Qualifier::About);
        assert_eq!(q[1].0, None);
        assert_eq!(q[1].1, Qualifier::Vague);
        let q = quantities("en", "a dozen soldiers and dozens of civilians");
        assert_eq!((q[0].0, q[1].1), (Some(12), Qualifier::Vague));
    }

    #[test]
    fn times_dates_ages_years_and_measures_are_not_counts() {
        let ages = quantities("en", "The two other men, aged 21 and 24, were killed");
        assert!(ages.iter().all(|x| x.0 == Some(2)), "{ages:?}");
        assert!(quantities(
            "fr",
            "à 7h00 le 3 octobre 2012, un enfant âgé de 12 ans, à 16 kilomètres, 70 % et 4/11"
        )
        .iter()
        .all(|x| x.0 == Some(1)));
        assert!(quantities(
            "en",
            "at 9:00 on December 5, 2012, a 12-year-old boy on Route 4, in 2011"
        )
        .iter()
        .all(|x| x.0 == Some(1) || x.2 == "4"));
    }

    #[test]
    fn indefinite_articles_count_one() {
        let q = quantities("fr", "Un civil est tombé");
        assert_eq!(q[0].0, Some(1));
    }

    #[test]
    fn zero_cues() {
        let q = quantities("fr", "aucun tué dans les rangs");
        assert_eq!(q[0].0, Some(0));
    }
}
