//! Text primitives every pipeline stage shares: folding, tokens that carry
//! their offsets, sentences and paragraphs.
//!
//! Offsets are character offsets (Unicode scalar values, end exclusive) into
//! the article text, because that is what the extraction contract promises.
//! Each token also keeps its byte range, so slicing never has to walk the
//! string again.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (any script), possibly with combining marks.
    Word,
    /// Digits, possibly grouped ("1,200", "1 200", "1.200") or decimal ("100.5").
    Number,
    /// Any other single visible character.
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: TokenKind,
    /// Character offsets into the document text.
    pub start: usize,
    pub end: usize,
    /// Byte offsets into the document text.
    pub bstart: usize,
    pub bend: usize,
    /// Byte range of the folded form in `Doc::folded_buf`.
    fstart: usize,
    fend: usize,
    /// [`word_hash`] of the folded form, computed once for every lexicon
    /// that looks the token up.
    pub word_hash: u64,
    /// Whether the first letter is upper case (always true for scripts without case).
    pub cap: bool,
    /// Whether all letters are upper case (acronyms such as "EI", "SOHR").
    pub all_caps: bool,
    /// Whitespace between the previous token and this one.
    pub space_before: bool,
    /// A line break between the previous token and this one.
    pub newline_before: bool,
    pub sentence: usize,
    pub paragraph: usize,
}

#[derive(Debug, Clone)]
pub struct Sentence {
    /// Token index range.
    pub first: usize,
    pub last: usize, // exclusive
    /// Character offsets of the sentence.
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
}

/// An article's text, tokenised once and shared by every stage.
#[derive(Debug)]
pub struct Doc {
    pub text: String,
    /// Character offset where the title ends (0 when there is no title).
    pub title_end: usize,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    folded_buf: String,
}

/// Folds one character for matching: lower case, accents removed, typographic
/// apostrophes and dashes made plain. Pushes zero or more chars to `out`.
pub fn fold_char_into(c: char, out: &mut String) {
    // Most letters are ASCII, and the backtick is the only ASCII one below.
    if c.is_ascii() && c != '`' {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        '’' | 'ʼ' | 'ʻ' | '`' | '´' | '‘' | 'ʿ' | 'ʾ' | '′' => out.push('\''),
        '‐' | '‑' | '‒' | '–' | '—' | '−' => out.push('-'),
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        'ı' => out.push('i'),
        'ø' | 'Ø' => out.push('o'),
        'ł' | 'Ł' => out.push('l'),
        'đ' | 'Đ' => out.push('d'),
        // Arabic letter variants that spellings mix freely.
        'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
        'ى' => out.push('ي'),
        'ة' => out.push('ه'),
        'ـ' => {} // tatweel
        // Arabic diacritics (harakat, superscript alef) carry no letter.
        '\u{064B}'..='\u{065F}' | '\u{0670}' => {}
        '\u{0600}'..='\u{06FF}' => out.push(c),
        // Latin letters with accents: a table, built once, instead of a decomposition per letter.
        '\u{00C0}'..='\u{024F}' => match latin_fold()[c as usize - 0xC0] {
            Some(f) => out.push(f),
            None => out.push(c),
        },
        _ => {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                for d in std::iter::once(c).nfd() {
                    if !is_combining_mark(d) {
                        for l in d.to_lowercase() {
                            out.push(l);
                        }
                    }
                }
            }
        }
    }
}

/// For U+00C0..U+024F: the lower-case base letter, when it is one ASCII letter.
fn latin_fold() -> &'static [Option<char>; 0x190] {
    static TABLE: std::sync::OnceLock<[Option<char>; 0x190]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [None; 0x190];
        for (i, slot) in t.iter_mut().enumerate() {
            let c = char::from_u32(0xC0 + i as u32).unwrap_or(' ');
            let mut folded = String::new();
            for d in std::iter::once(c).nfd() {
                if !is_combining_mark(d) {
                    folded.extend(d.to_lowercase());
                }
            }
            let mut chars = folded.chars();
            if let (Some(f), None) = (chars.next(), chars.next()) {
                *slot = Some(f);
            }
        }
        t
    })
}

/// Folds a whole string (see [`fold_char_into`]).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char_into(c, &mut out);
    }
    out
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    is_arabic_letter(c) || c.is_alphabetic() || is_combining_mark(c)
}

/// Arabic-script letters and marks (not its punctuation and digits): a fast
/// path, as Unicode's general tables are slow on them.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{065F}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}' | '\u{06FA}'..='\u{06FF}')
}

fn arabic_digit(c: char) -> Option<char> {
    match c {
        '٠'..='٩' => Some((b'0' + (c as u32 - '٠' as u32) as u8) as char),
        '۰'..='۹' => Some((b'0' + (c as u32 - '۰' as u32) as u8) as char),
        _ => None,
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || arabic_digit(c).is_some()
}

/// Thousands separators that may sit inside a number written in digits.
fn is_group_sep(c: char) -> bool {
    matches!(
        c,
        ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''
    )
}

/// The article text that spans index into: the title, a blank line, the body.
pub fn article_text(title: &str, body: &str) -> String {
    let title = title.trim();
    let body = body.trim();
    let mut text = String::with_capacity(title.len() + body.len() + 2);
    text.push_str(title);
    if !title.is_empty() && !body.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(body);
    text
}

/// A hash of a folded word, the same for a lexicon's words and a
/// document's tokens.
pub fn word_hash(folded: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut h, folded.as_bytes());
    std::hash::Hasher::finish(&h)
}

impl Doc {
    /// Builds the document text from a title and a body and tokenises it.
    pub fn new(title: &str, body: &str, abbreviations: &dyn Fn(&str) -> bool) -> Doc {
        let title_end = title.trim().chars().count();
        Doc::from_text(article_text(title, body), title_end, abbreviations)
    }

    pub fn from_text(text: String, title_end: usize, abbreviations: &dyn Fn(&str) -> bool) -> Doc {
        let mut doc = Doc {
            text,
            title_end,
            tokens: Vec::new(),
            sentences: Vec::new(),
            folded_buf: String::new(),
        };
        doc.tokenise();
        doc.split_sentences(abbreviations);
        doc
    }

    fn tokenise(&mut self) {
        let chars: Vec<(usize, char)> = self.text.char_indices().collect();
        let n = chars.len();
        let byte_at = |i: usize| if i < n { chars[i].0 } else { self.text.len() };
        let mut tokens = Vec::with_capacity(n / 5);
        let mut folded = String::with_capacity(self.text.len());
        let mut i = 0;
        let mut space_before = false;
        let mut newline_before = false;
        while i < n {
            let c = chars[i].1;
            if c.is_whitespace() {
                space_before = true;
                if c == '\n' || c == '\u{2029}' {
                    newline_before = true;
                }
                i += 1;
                continue;
            }
            let start = i;
            let kind;
            if is_word_char(c) {
                while i < n && is_word_char(chars[i].1) {
                    i += 1;
                }
                kind = TokenKind::Word;
            } else if is_digit(c) {
                i = scan_number(&chars, i);
                kind = TokenKind::Number;
            } else {
                i += 1;
                kind = TokenKind::Punct;
            }
            let fstart = folded.len();
            let slice = &self.text[byte_at(start)..byte_at(i)];
            if kind == TokenKind::Number {
                for ch in slice.chars() {
                    folded.push(arabic_digit(ch).unwrap_or(ch));
                }
            } else if kind == TokenKind::Word && slice.is_ascii() {
                // ASCII words are letters only: folding is lower-casing.
                folded.push_str(slice);
                folded[fstart..].make_ascii_lowercase();
            } else {
                for ch in slice.chars() {
                    fold_char_into(ch, &mut folded);
                }
            }
            let (mut any_upper, mut any_lower, mut first_upper) = (false, false, false);
            if kind == TokenKind::Word && slice.is_ascii() {
                // ASCII words are letters only.
                let b = slice.as_bytes();
                first_upper = b[0].is_ascii_uppercase();
                any_upper = b.iter().any(u8::is_ascii_uppercase);
                any_lower = b.iter().any(u8::is_ascii_lowercase);
            } else if kind == TokenKind::Word {
                let mut first = true;
                for l in slice.chars().filter(|c| c.is_alphabetic()) {
                    let up = l.is_uppercase();
                    let low = l.is_lowercase();
                    if first {
                        // Scripts without case (Arabic) count as capitalised: a
                        // name there cannot be told from a word by its case.
                        first_upper = up || !low;
                        first = false;
                    }
                    any_upper |= up;
                    any_lower |= low;
                }
            }
            tokens.push(Token {
                kind,
                start,
                end: i,
                bstart: byte_at(start),
                bend: byte_at(i),
                fstart,
                fend: folded.len(),
                word_hash: word_hash(&folded[fstart..]),
                cap: kind == TokenKind::Word && first_upper,
                all_caps: kind == TokenKind::Word && any_upper && !any_lower,
                space_before,
                newline_before,
                sentence: 0,
                paragraph: 0,
            });
            space_before = false;
            newline_before = false;
        }
        self.tokens = tokens;
        self.folded_buf = folded;
    }

    fn split_sentences(&mut self, is_abbreviation: &dyn Fn(&str) -> bool) {
        let mut sentences = Vec::new();
        let mut paragraph = 0;
        let mut first = 0;
        let ntok = self.tokens.len();
        for i in 0..ntok {
            if i > first && self.tokens[i].newline_before {
                sentences.push((first, i, paragraph));
                first = i;
                paragraph += 1;
            } else if i == first && i > 0 && self.tokens[i].newline_before {
                paragraph += 1;
            }
            let t = &self.tokens[i];
            if t.kind != TokenKind::Punct {
                continue;
            }
            let p = self.slice(t);
            let terminal = matches!(p, "." | "!" | "?" | "…" | "؟");
            if !terminal {
                continue;
            }
            // Closing quotes and brackets after the stop stay in the sentence.
            let mut end = i + 1;
            while end < ntok
                && !self.tokens[end].space_before
                && matches!(
                    self.slice(&self.tokens[end]),
                    "»" | "\"" | "”" | ")" | "'" | "’" | "." | "!" | "?"
                )
            {
                end += 1;
            }
            if end >= ntok {
                continue;
            }
            let next = &self.tokens[end];
            if !next.space_before && !next.newline_before {
                continue; // "U.S.", "3.5", "p.m."
            }
            let next_starts_sentence = next.cap
                || next.kind == TokenKind::Number
                || matches!(
                    self.slice(next),
                    "«" | "\"" | "“" | "(" | "-" | "–" | "—" | "'"
                );
            if !next_starts_sentence {
                continue;
            }
            if p == "." && i > first {
                let prev = &self.tokens[i - 1];
                // A word glued to the dot may be an abbreviation or an initial.
                if prev.kind == TokenKind::Word && prev.end == t.start {
                    let w = self.slice(prev);
                    let single_initial = w.chars().count() == 1 && prev.cap;
                    if single_initial || is_abbreviation(self.folded(prev)) {
                        continue;
                    }
                }
            }
            sentences.push((first, end, paragraph));
            first = end;
        }
        if first < ntok {
            sentences.push((first, ntok, paragraph));
        }
        self.sentences = sentences
            .into_iter()
            .filter(|(a, b, _)| b > a)
            .map(|(a, b, p)| Sentence {
                first: a,
                last: b,
                start: self.tokens[a].start,
                end: self.tokens[b - 1].end,
                paragraph: p,
            })
            .collect();
        for (si, s) in self.sentences.iter().enumerate() {
            for t in &mut self.tokens[s.first..s.last] {
                t.sentence = si;
                t.paragraph = s.paragraph;
            }
        }
    }

    /// The token's text as written.
    pub fn slice(&self, t: &Token) -> &str {
        &self.text[t.bstart..t.bend]
    }

    /// The token's folded text (lower case, no accents).
    pub fn folded(&self, t: &Token) -> &str {
        &self.folded_buf[t.fstart..t.fend]
    }

    pub fn tok_folded(&self, i: usize) -> &str {
        self.folded(&self.tokens[i])
    }

    /// Text between two character offsets.
    pub fn span_text(&self, start: usize, end: usize) -> &str {
        let b0 = self.byte_of(start);
        let b1 = self.byte_of(end);
        &self.text[b0..b1]
    }

    /// Text covered by a token range (inclusive start, exclusive end).
    pub fn tokens_text(&self, first: usize, last: usize) -> &str {
        if first >= last {
            return "";
        }
        &self.text[self.tokens[first].bstart..self.tokens[last - 1].bend]
    }

    fn byte_of(&self, char_offset: usize) -> usize {
        // Binary search over tokens first; fall back to a walk.
        match self.tokens.binary_search_by(|t| t.start.cmp(&char_offset)) {
            Ok(i) => self.tokens[i].bstart,
            Err(_) => match self.tokens.binary_search_by(|t| t.end.cmp(&char_offset)) {
                Ok(i) => self.tokens[i].bend,
                Err(_) => self
                    .text
                    .char_indices()
                    .nth(char_offset)
                    .map(|(b, _)| b)
                    .unwrap_or(self.text.len()),
            },
        }
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word)
    }

    pub fn is_punct(&self, i: usize, p: &str) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && self.slice(t) == p)
    }

    /// Whether the token belongs to the title.
    pub fn in_title(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.start < self.title_end)
    }

    /// The sentence that contains a token.
    pub fn sentence_of(&self, i: usize) -> &Sentence {
        &self.sentences[self.tokens[i].sentence]
    }
}

/// Scans a number written in digits starting at `i`; returns the index after it.
/// Groups of exactly three digits after a separator belong to the number
/// ("1,200", "1 200", "270 000", "1.200"); a dot or comma followed by other
/// digits makes a decimal ("100.5").
fn scan_number(chars: &[(usize, char)], mut i: usize) -> usize {
    let n = chars.len();
    let first = i;
    while i < n && is_digit(chars[i].1) {
        i += 1;
    }
    let lead = i - first;
    loop {
        if i < n && is_group_sep(chars[i].1) && lead <= 3 {
            let sep = chars[i].1;
            let mut j = i + 1;
            let mut k = 0;
            while j < n && is_digit(chars[j].1) {
                j += 1;
                k += 1;
            }
            if k == 3 {
                i = j;
                continue;
            }
            if k > 0 && matches!(sep, '.' | ',') && i + 1 < n && is_digit(chars[i + 1].1) {
                // Decimal part.
                return j;
            }
        }
        break;
    }
    i
}

/// Parses the value of a Number token's text: `Some(v)` for whole numbers,
/// `None` for decimals and anything odd.
pub fn number_value(s: &str) -> Option<u64> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    // A decimal separator (not followed by exactly three digits) makes it non-integral.
    let mut groups = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty());
    let _head = groups.next()?;
    for g in groups {
        if g.len() != 3 {
            return None;
        }
    }
    if digits.len() > 15 {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_abbrev(_: &str) -> bool {
        false
    }

    #[test]
    fn folds_accents_case_and_apostrophes() {
        assert_eq!(fold("Mayçaloune"), "maycaloune");
        assert_eq!(fold("l’armée"), "l'armee");
        assert_eq!(fold("Jaïch al-Moujahidiens"), "jaich al-moujahidiens");
        assert_eq!(fold("ŒUVRE"), "oeuvre");
        assert_eq!(fold("Ḩalab"), "halab");
    }

    #[test]
    fn tokens_carry_character_offsets() {
        let d = Doc::from_text("Alep : 150 tués".to_string(), 0, &no_abbrev);
        let words: Vec<_> = d
            .tokens
            .iter()
            .map(|t| (d.slice(t), t.start, t.end))
            .collect();
        assert_eq!(
            words,
            vec![
                ("Alep", 0, 4),
                (":", 5, 6),
                ("150", 7, 10),
                ("tués", 11, 15)
            ]
        );
        assert_eq!(d.folded(&d.tokens[3]), "tues");
    }

    #[test]
    fn grouped_numbers_are_one_token() {
        for (s, v) in [
            ("1,200 morts", Some(1200)),
            ("1 200 morts", Some(1200)),
            ("1.200 morts", Some(1200)),
            ("270 000 morts", Some(270000)),
        ] {
            let d = Doc::from_text(s.to_string(), 0, &no_abbrev);
            assert_eq!(d.tokens[0].kind, TokenKind::Number, "{s}");
            assert_eq!(number_value(d.slice(&d.tokens[0])), v, "{s}");
            assert_eq!(d.tokens.len(), 2, "{s}");
        }
        let d = Doc::from_text("Radio (100.5) said".to_string(), 0, &no_abbrev);
        assert_eq!(number_value(d.slice(&d.tokens[2])), None);
        // A date followed by a year stays two numbers.
        let d = Doc::from_text("December 5, 2012".to_string(), 0, &no_abbrev);
        assert_eq!(
            d.tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Number)
                .count(),
            2
        );
    }

    #[test]
    fn sentences_split_on_stops_but_not_on_abbreviations() {
        let abbrev = |w: &str| w == "m" || w == "col";
        let d = Doc::from_text(
            "M. Ali est venu. Il a dit que Col. Ahmad était là! Fin".to_string(),
            0,
            &abbrev,
        );
        let s: Vec<_> = d
            .sentences
            .iter()
            .map(|s| d.span_text(s.start, s.end))
            .collect();
        assert_eq!(
            s,
            vec![
                "M. Ali est venu.",
                "Il a dit que Col. Ahmad était là!",
                "Fin"
            ]
        );
    }

    #[test]
    fn lines_are_paragraphs() {
        let d = Doc::new("Titre", "Premier paragraphe\nSecond. Et suite.", &no_abbrev);
        assert_eq!(d.sentences.len(), 4);
        assert_eq!(d.sentences[0].paragraph, 0);
        assert_eq!(d.sentences[1].paragraph, 1);
        assert_eq!(d.sentences[3].paragraph, 2);
        assert!(d.in_title(0));
        assert!(!d.in_title(1));
    }

    #[test]
    fn arabic_counts_as_capitalised() {
        let d = Doc::from_text("قصف حلب".to_string(), 0, &no_abbrev);
        assert!(d.tokens.iter().all(|t| t.cap && t.kind == TokenKind::Word));
    }
}
