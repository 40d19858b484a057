//! Phrase sets: lexicon entries of one or more words, matched on folded
//! tokens, longest first.

use crate::text::{word_hash, Doc, TokenKind};
use rustc_hash::FxHashMap as HashMap;

/// The folded words of a phrase, joined by single spaces. Apostrophes and
/// hyphens separate words ("l'armée" → "l armee", "vingt-trois" → "vingt trois").
pub fn phrase_key(phrase: &str) -> String {
    let mut out = String::new();
    let folded = crate::text::fold(phrase);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            word.clear();
        }
    };
    for c in folded.chars() {
        if c.is_alphanumeric() {
            // Letters and digits do not share a word ("7h00" is three tokens in text).
            if let Some(prev) = word.chars().last() {
                if prev.is_ascii_digit() != c.is_ascii_digit() {
                    flush(&mut word, &mut out);
                }
            }
            word.push(c);
        } else if c == '%' {
            flush(&mut word, &mut out);
            word.push('%');
            flush(&mut word, &mut out);
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Whether a punctuation token may sit inside a phrase without breaking it.
pub(crate) fn is_joiner(p: &str) -> bool {
    matches!(p, "'" | "’" | "-" | "‐" | "‑" | "–" | "ʼ")
}

/// A trie over words: each word is interned to an id, and an edge is a
/// (node, word id) pair. Matching a token costs two hash lookups and no
/// allocation.
#[derive(Debug)]
pub(crate) struct WordTrie<T> {
    words: HashMap<Box<str>, u32>,
    edges: HashMap<(u32, u32), u32>,
    /// The value of the phrase ending at each node (node 0 is the root).
    values: Vec<Option<T>>,
    /// A bit set for the [`word_hash`] of every first word (modulo the
    /// bits): most tokens start no phrase, and a bit says so without hashing
    /// the word again or probing `words` (a dozen lexicons look at every
    /// token).
    first_words: Vec<u64>,
    first_word_count: usize,
}

/// Bits of `WordTrie::first_words` per first word, at least: about one
/// word in ten that starts no phrase finds its bit set by another.
const BITS_PER_FIRST_WORD: usize = 8;

impl<T> Default for WordTrie<T> {
    fn default() -> Self {
        WordTrie {
            words: HashMap::default(),
            edges: HashMap::default(),
            values: vec![None],
            // 4,096 bits to start with: most lexicons stay in that.
            first_words: vec![0; 64],
            first_word_count: 0,
        }
    }
}

impl<T> WordTrie<T> {
    /// The node reached by a phrase given as words, creating it if needed.
    pub(crate) fn node_for<'w>(&mut self, words: impl IntoIterator<Item = &'w str>) -> usize {
        let mut node = 0u32;
        for w in words {
            let next_id = self.words.len() as u32 + 1;
            let id = *self.words.entry(w.into()).or_insert(next_id);
            let next_node = self.values.len() as u32;
            let from_root = node == 0;
            node = *self.edges.entry((node, id)).or_insert(next_node);
            if node == next_node {
                self.values.push(None);
                if from_root {
                    self.add_first_word(w);
                }
            }
        }
        node as usize
    }

    /// Marks a new first word, with at least [`BITS_PER_FIRST_WORD`] bits
    /// per first word (a gazetteer has many more first words than a lexicon).
    fn add_first_word(&mut self, w: &str) {
        self.first_word_count += 1;
        let bits = self.first_words.len() * 64;
        if self.first_word_count * BITS_PER_FIRST_WORD > bits {
            self.first_words = vec![0; bits * 2 / 64];
            let firsts: Vec<u64> = self
                .words
                .iter()
                .filter(|(_, id)| self.edges.contains_key(&(0, **id)))
                .map(|(w, _)| word_hash(w))
                .collect();
            for h in firsts {
                self.set_first_word(h);
            }
        } else {
            self.set_first_word(word_hash(w));
        }
    }

    fn set_first_word(&mut self, hash: u64) {
        let slot = self.first_word_slot(hash);
        self.first_words[slot / 64] |= 1 << (slot % 64);
    }

    /// The bit of a word hash: the hash modulo the bits, which are a power
    /// of two (64 words, doubled as first words come), so a mask, not a
    /// division (a dozen lexicons ask for every token).
    #[inline]
    fn first_word_slot(&self, hash: u64) -> usize {
        let bits = self.first_words.len() * 64;
        debug_assert!(bits.is_power_of_two());
        (hash & (bits as u64 - 1)) as usize
    }

    pub(crate) fn value_mut(&mut self, node: usize) -> &mut Option<T> {
        &mut self.values[node]
    }

    /// Whether a word of this [`word_hash`] may start a phrase (no: it
    /// starts none).
    #[inline]
    pub(crate) fn may_start(&self, hash: u64) -> bool {
        let slot = self.first_word_slot(hash);
        self.first_words[slot / 64] & (1 << (slot % 64)) != 0
    }

    /// One step from `node` by `word`.
    #[inline]
    pub(crate) fn step(&self, node: u32, word: &str) -> Option<u32> {
        let id = self.words.get(word)?;
        self.edges.get(&(node, *id)).copied()
    }

    #[inline]
    pub(crate) fn value(&self, node: u32) -> Option<&T> {
        self.values[node as usize].as_ref()
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.values.iter().flatten()
    }
}

/// A set of phrases with a value each.
#[derive(Debug)]
pub struct PhraseSet<T> {
    trie: WordTrie<T>,
    len: usize,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            trie: WordTrie::default(),
            len: 0,
        }
    }
}

impl<T> PhraseSet<T> {
    /// Adds a phrase; returns `false` when it was already there (the old value stays).
    pub fn insert(&mut self, phrase: &str, value: T) -> bool {
        let key = phrase_key(phrase);
        if key.is_empty() {
            return false;
        }
        let node = self.trie.node_for(key.split(' '));
        let slot = self.trie.value_mut(node);
        if slot.is_some() {
            return false;
        }
        *slot = Some(value);
        self.len += 1;
        true
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of an exact phrase.
    pub fn get(&self, phrase: &str) -> Option<&T> {
        self.get_key(&phrase_key(phrase))
    }

    /// The value of a phrase already in key form (folded words separated by spaces).
    pub fn get_key(&self, key: &str) -> Option<&T> {
        let mut node = 0;
        for w in key.split(' ') {
            node = self.trie.step(node, w)?;
        }
        self.trie.value(node)
    }

    /// The longest phrase starting at token `i`, within its sentence:
    /// `(index after the last token, value)`.
    #[inline]
    pub fn longest_at(&self, doc: &Doc, i: usize) -> Option<(usize, &T)> {
        // Most tokens start no phrase: one bit says so where the call is
        // made (a dozen lexicons ask at every token), without a call.
        if !self.trie.may_start(doc.tokens.get(i)?.word_hash) {
            return None;
        }
        self.longest_from(doc, i)
    }

    /// [`PhraseSet::longest_at`] once the token's first-word bit is set.
    #[inline(never)]
    fn longest_from(&self, doc: &Doc, i: usize) -> Option<(usize, &T)> {
        let toks = &doc.tokens;
        let first = &toks[i];
        if first.kind == TokenKind::Punct && doc.slice(first) != "%" {
            return None;
        }
        let sentence = first.sentence;
        let mut node = 0u32;
        let mut best = None;
        let mut j = i;
        while j < toks.len() && toks[j].sentence == sentence {
            let t = &toks[j];
            let word = match t.kind {
                TokenKind::Punct => {
                    let p = doc.slice(t);
                    if p == "%" {
                        "%"
                    } else if is_joiner(p) && j > i {
                        j += 1;
                        continue;
                    } else {
                        break;
                    }
                }
                _ => doc.folded(t),
            };
            match self.trie.step(node, word) {
                Some(n) => node = n,
                None => break,
            }
            if let Some(v) = self.trie.value(node) {
                best = Some((j + 1, v));
            }
            j += 1;
        }
        best
    }

    /// Every non-overlapping match in a token range, scanning left to right,
    /// longest first: `(first token, index after last token, value)`.
    pub fn find_all<'s>(
        &'s self,
        doc: &Doc,
        first: usize,
        last: usize,
    ) -> Vec<(usize, usize, &'s T)> {
        let mut out = Vec::new();
        let mut i = first;
        while i < last {
            if let Some((end, v)) = self.longest_at(doc, i) {
                if end <= last {
                    out.push((i, end, v));
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    /// Every value.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.trie.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_first_word_passes_the_filter_as_it_grows_and_most_others_do_not() {
        // Words of letters only: "ba", "ca", ... (digits would split them).
        let word = |prefix: &str, mut n: usize| {
            let mut w = prefix.to_string();
            loop {
                w.push((b'a' + (n % 26) as u8) as char);
                n /= 26;
                if n == 0 {
                    return w;
                }
            }
        };
        let mut set = PhraseSet::default();
        // Many more first words than the filter starts with, as in a gazetteer.
        for n in 0..5_000 {
            assert!(set.insert(&format!("{} centre", word("town", n)), n));
        }
        let text: String = (0..5_000)
            .map(|n| format!("{} centre. ", word("town", n)))
            .collect();
        let doc = Doc::from_text(text, 0, &|_| false);
        let found = set.find_all(&doc, 0, doc.tokens.len());
        assert_eq!(found.len(), 5_000);
        assert!(found.iter().enumerate().all(|(n, (_, _, v))| **v == n));
        let others = (0..5_000)
            .filter(|&n| set.trie.may_start(word_hash(&word("village", n))))
            .count();
        assert!(others < 1_000, "{others} of 5,000 words pass the filter");
    }

    #[test]
    fn keys_fold_and_split_on_apostrophes_and_hyphens() {
        assert_eq!(phrase_key("l'armée"), "l armee");
        assert_eq!(phrase_key("Vingt-Trois"), "vingt trois");
        assert_eq!(phrase_key("  au   moins "), "au moins");
        assert_eq!(phrase_key("7h00"), "7 h 00");
        assert_eq!(phrase_key("5%"), "5 %");
    }

    #[test]
    fn longest_phrase_wins_and_stays_in_its_sentence() {
        let mut set = PhraseSet::default();
        set.insert("tués", 1);
        set.insert("ont été tués", 2);
        set.insert("au moins", 3);
        let doc = Doc::from_text(
            "Cinq soldats ont été tués. Au moins".to_string(),
            0,
            &|_| false,
        );
        let found: Vec<_> = set
            .find_all(&doc, 0, doc.tokens.len())
            .into_iter()
            .map(|(a, b, v)| (a, b, *v))
            .collect();
        assert_eq!(found, vec![(2, 5, 2), (6, 8, 3)]);
        // "tués" alone matches too.
        assert_eq!(set.longest_at(&doc, 4).map(|(e, v)| (e, *v)), Some((5, 1)));
        // Phrases do not run across sentences.
        let doc = Doc::from_text("Il a dit au. Moins".to_string(), 0, &|_| false);
        assert!(set.find_all(&doc, 0, doc.tokens.len()).is_empty());
    }

    #[test]
    fn apostrophes_inside_phrases_are_skipped() {
        let mut set = PhraseSet::default();
        set.insert("d'autres", ());
        let doc = Doc::from_text("et d’autres blessés".to_string(), 0, &|_| false);
        assert_eq!(set.longest_at(&doc, 1).map(|(e, _)| e), Some(4));
    }
}
