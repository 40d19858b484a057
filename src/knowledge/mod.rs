//! Everything the extractor knows, loaded once from the embedded data files:
//! the gazetteer, armed groups, outlets, and one lexicon per language.

mod lexicon;
mod names;
mod phrases;
mod refdata;
mod tsv;

pub use lexicon::*;
pub use names::{is_article, name_key, skeleton, CaseRule, Entity, NameIndex, NameMatch};
pub use phrases::{phrase_key, PhraseSet};
pub use refdata::{GenericRole, GroupEntry, Place, SourceEntry};

use crate::error::{Error, Result};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Languages with a lexicon. The first is the fallback.
pub const LANGUAGES: &[&str] = &["en", "fr"];

pub struct Knowledge {
    pub places: Vec<Place>,
    pub groups: Vec<GroupEntry>,
    pub sources: Vec<SourceEntry>,
    pub names: NameIndex,
    lexicons: Vec<Lexicon>,
    /// Given names that mark the word after them as part of a person's name
    /// ("Ibrahim Hanano" is a person, not the Hanano barracks).
    pub given_names: HashSet<String>,
    abbreviations: HashSet<String>,
    place_by_key: HashMap<String, usize>,
    group_by_key: HashMap<String, usize>,
    source_by_key: HashMap<String, usize>,
    generic_groups: HashMap<(String, GenericRole), usize>,
    source_by_domain: HashMap<String, usize>,
    country_places: HashMap<String, usize>,
    /// Content hash of the reference data, stored in the database so that it
    /// is reloaded when the data changes.
    pub data_hash: String,
}

impl std::fmt::Debug for Knowledge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Knowledge")
            .field("places", &self.places.len())
            .field("groups", &self.groups.len())
            .field("sources", &self.sources.len())
            .finish()
    }
}

static EMBEDDED: OnceLock<std::result::Result<Knowledge, String>> = OnceLock::new();

/// A short hash of the data files, which changes whenever any of them does.
pub fn data_hash(files: &[(&str, &str)]) -> String {
    let mut hasher = blake3::Hasher::new();
    for (p, c) in files {
        hasher.update(p.as_bytes());
        hasher.update(&[0]);
        hasher.update(c.as_bytes());
        hasher.update(&[0]);
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// The hash of the embedded data files, without loading them (a millisecond,
/// where loading takes tens): commands that only read the database need no
/// more to know that its reference data are current.
pub fn embedded_data_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| data_hash(DATA_FILES))
}

impl Knowledge {
    /// The knowledge compiled into the binary, loaded on first use.
    pub fn embedded() -> Result<&'static Knowledge> {
        EMBEDDED
            .get_or_init(|| Knowledge::load(DATA_FILES).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::EmbeddedData(e.clone()))
    }

    pub fn load(files: &[(&str, &str)]) -> Result<Knowledge> {
        let file = |name: &str| {
            files
                .iter()
                .find(|(p, _)| *p == name)
                .map(|(_, c)| *c)
                .unwrap_or("")
        };
        let places = refdata::load_places(files)?;
        let groups = refdata::load_groups("groups.tsv", file("groups.tsv"))?;
        let sources = refdata::load_sources("sources.tsv", file("sources.tsv"))?;
        let mut lexicons = Vec::new();
        for lang in LANGUAGES {
            lexicons.push(lexicon::load_lexicon(lang, files)?);
        }
        let word_list = |name: &str| -> Result<HashSet<String>> {
            let mut set = HashSet::default();
            tsv::for_each_row(name, file(name), |row| {
                set.insert(phrase_key(row.req("phrase")?));
                Ok(())
            })?;
            Ok(set)
        };
        let given_names = word_list("lexicon/given_names.tsv")?;
        let abbreviations = word_list("lexicon/abbreviations.tsv")?;

        let mut all_names: Vec<(&str, Entity)> = Vec::new();
        for (i, p) in places.iter().enumerate() {
            all_names.extend(
                std::iter::once(&p.name)
                    .chain(&p.aliases)
                    .map(|n| (n.as_str(), Entity::Place(i as u32))),
            );
        }
        for (i, g) in groups.iter().enumerate() {
            all_names.extend(
                std::iter::once(&g.name)
                    .chain(&g.aliases)
                    .map(|n| (n.as_str(), Entity::Group(i as u32))),
            );
        }
        for (i, s) in sources.iter().enumerate() {
            all_names.extend(
                std::iter::once(&s.name)
                    .chain(&s.aliases)
                    .map(|n| (n.as_str(), Entity::Source(i as u32))),
            );
        }
        let names = NameIndex::build(&all_names);
        drop(all_names);
        let place_by_key = places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), i))
            .collect();
        let group_by_key = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.key.clone(), i))
            .collect();
        let source_by_key = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.clone(), i))
            .collect();
        let mut generic_groups = HashMap::default();
        for (i, g) in groups.iter().enumerate() {
            if let (Some(role), Some(c)) = (g.generic, &g.country) {
                generic_groups.entry((c.clone(), role)).or_insert(i);
            }
        }
        let mut source_by_domain = HashMap::default();
        for (i, s) in sources.iter().enumerate() {
            for d in &s.domains {
                source_by_domain.entry(d.clone()).or_insert(i);
            }
        }
        let mut country_places = HashMap::default();
        for (i, p) in places.iter().enumerate() {
            if p.kind == crate::model::LocationKind::Country {
                if let Some(c) = &p.country {
                    country_places.entry(c.clone()).or_insert(i);
                }
            }
        }
        Ok(Knowledge {
            places,
            groups,
            sources,
            names,
            lexicons,
            given_names,
            abbreviations,
            place_by_key,
            group_by_key,
            source_by_key,
            generic_groups,
            source_by_domain,
            country_places,
            data_hash: data_hash(files),
        })
    }

    /// The lexicon of a language, or the fallback's.
    pub fn lexicon(&self, lang: &str) -> &Lexicon {
        self.lexicons
            .iter()
            .find(|l| l.lang == lang)
            .unwrap_or(&self.lexicons[0])
    }

    pub fn lexicons(&self) -> &[Lexicon] {
        &self.lexicons
    }

    pub fn is_abbreviation(&self, folded: &str) -> bool {
        self.abbreviations.contains(folded)
    }

    pub fn place_by_key(&self, key: &str) -> Option<usize> {
        self.place_by_key.get(key).copied()
    }

    pub fn group_by_key(&self, key: &str) -> Option<usize> {
        self.group_by_key.get(key).copied()
    }

    pub fn source_by_key(&self, key: &str) -> Option<usize> {
        self.source_by_key.get(key).copied()
    }

    /// The group a generic word stands for in a country ("the army" in SY).
    pub fn generic_group(&self, country: &str, role: GenericRole) -> Option<usize> {
        self.generic_groups
            .get(&(country.to_string(), role))
            .copied()
    }

    /// The country's own place row.
    pub fn country_place(&self, country: &str) -> Option<usize> {
        self.country_places.get(country).copied()
    }

    /// The outlet that owns a URL's host ("french.almanar.com.lb" → Al-Manar),
    /// trying the host and then each parent domain.
    pub fn source_by_url(&self, url: &str) -> Option<usize> {
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split(['/', '?', '#', ':'])
            .next()?
            .to_ascii_lowercase();
        let mut h = host.trim_start_matches("www.");
        loop {
            if let Some(&i) = self.source_by_domain.get(h) {
                return Some(i);
            }
            match h.find('.') {
                Some(dot) if h[dot + 1..].contains('.') => h = &h[dot + 1..],
                _ => return None,
            }
        }
    }

    /// The place a name most likely refers to, preferring `country` when
    /// given: exact spellings before skeleton matches, then the country,
    /// then the kind a news report most often means (a city before a
    /// village of the same name), then population.
    pub fn geocode(&self, name: &str, country: Option<&str>) -> Option<usize> {
        let doc = crate::text::Doc::from_text(name.to_string(), 0, &|w| self.is_abbreviation(w));
        let matches = self.names.find(&doc);
        // The whole name must be matched, articles and punctuation aside.
        let m = matches.iter().find(|m| {
            m.first == 0
                || doc.tokens[..m.first]
                    .iter()
                    .all(|t| t.kind == crate::text::TokenKind::Punct || is_article(doc.folded(t)))
        })?;
        let places = m.places();
        places.into_iter().max_by(|&a, &b| {
            let score = |p: usize| {
                let pl = &self.places[p];
                let in_country = country.is_some() && pl.country.as_deref() == country;
                let kind_rank = match pl.kind {
                    crate::model::LocationKind::City => 3,
                    crate::model::LocationKind::Town
                    | crate::model::LocationKind::Neighbourhood
                    | crate::model::LocationKind::Site => 2,
                    crate::model::LocationKind::Country | crate::model::LocationKind::Admin1 => 1,
                    _ => 0,
                };
                (in_country, kind_rank, pl.population.unwrap_or(0))
            };
            score(a).cmp(&score(b)).then(b.cmp(&a))
        })
    }

    /// Chain of parents of a place, nearest first (bounded against cycles).
    pub fn ancestors(&self, place: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.places[place].parent;
        while let Some(p) = cur {
            if out.contains(&p) || out.len() > 8 {
                break;
            }
            out.push(p);
            cur = self.places[p].parent;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads() {
        let k = Knowledge::embedded().expect("embedded reference data must load");
        assert!(!k.lexicons.is_empty());
    }
}
