//! Telling the language of an article when its input does not say.

use crate::knowledge::Knowledge;
use crate::text::{Doc, TokenKind};

/// The language whose commonest words are most frequent in the first
/// thousand words; Arabic when most letters are Arabic script.
pub fn detect(doc: &Doc, k: &Knowledge) -> String {
    let mut arabic = 0usize;
    let mut latin = 0usize;
    let mut scores: Vec<(usize, &str)> = k
        .lexicons()
        .iter()
        .map(|l| (0usize, l.lang.as_str()))
        .collect();
    for t in doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .take(1000)
    {
        let s = doc.slice(t);
        if s.chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)) {
            arabic += 1;
            continue;
        }
        latin += 1;
        let f = doc.folded(t);
        for (score, lx) in scores.iter_mut().zip(k.lexicons()) {
            if lx.stopwords.contains(f) {
                score.0 += 1;
            }
        }
    }
    if arabic > latin {
        return "ar".to_string();
    }
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    match scores.first() {
        Some((n, lang)) if *n > 0 => lang.to_string(),
        _ => "en".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(s: &str) -> String {
        let k = Knowledge::embedded().unwrap();
        let doc = Doc::from_text(s.to_string(), 0, &|_| false);
        detect(&doc, k)
    }

    #[test]
    fn tells_french_english_and_arabic_apart() {
        assert_eq!(
            lang("Cinq soldats ont été tués dans les combats de la nuit selon l'OSDH."),
            "fr"
        );
        assert_eq!(
            lang("Five soldiers were killed in the fighting, the Observatory said."),
            "en"
        );
        assert_eq!(lang("قتل خمسة جنود في الاشتباكات"), "ar");
    }
}
