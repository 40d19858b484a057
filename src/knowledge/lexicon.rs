//! Per-language lexicons (`data/lexicon/<lang>/*.tsv`): the words a careful
//! coder reads figures, kinds, victims, events, dates and attributions from.
//! Each file's header comment says what its columns mean.

use super::phrases::PhraseSet;
use super::refdata::GenericRole;
use super::tsv::for_each_row;
use crate::error::Result;
use crate::model::{CasualtyKind, Category, LocationKind, Qualifier, SourceKind, SubType};
use chrono::Weekday;
use rustc_hash::FxHashSet as HashSet;

/// How a number word combines with its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberRole {
    /// Adds to the number being built ("vingt", "trois", "twenty").
    Unit,
    /// Multiplies what came before ("cent", "mille", "hundred", "million").
    Multiplier,
    /// Joins parts of one number ("et" in "trente et un", "and" in "one hundred and five").
    Connector,
    /// "un", "une", "a", "an": one, but only as a count of people.
    Indefinite,
    /// A round amount ("une dizaine", "a dozen") with the qualifier it implies.
    Approximate(Qualifier),
}

#[derive(Debug, Clone, Copy)]
pub struct NumberWord {
    pub value: u64,
    pub role: NumberRole,
}

/// A vague amount ("des dizaines", "dozens") with the lower bound it
/// implies and ACLED's conventional number.
#[derive(Debug, Clone, Copy)]
pub struct VagueAmount {
    pub low: Option<u64>,
    pub conventional: Option<u64>,
}

#[derive(Debug, Clone, Copy)]
pub struct QualifierCue {
    pub qualifier: Qualifier,
    /// May be written before the number ("au moins 150").
    pub before: bool,
    /// May be written after the number ("150 tués au moins").
    pub after: bool,
}

/// A word or phrase that tells what happened to people.
#[derive(Debug, Clone, Copy)]
pub struct CasualtyTerm {
    pub kind: CasualtyKind,
    /// May stand right after a number as the head noun ("50 tués", "8 dead").
    pub head: bool,
    /// Applies to the victims written before it ("ont été tués", "were killed").
    pub post: bool,
    /// Applies to the victims written after it ("a tué", "killing").
    pub pre: bool,
    /// A noun that takes its victims with "de"/"of" ("la mort de", "the killing of").
    pub noun: bool,
    /// Wins over other terms in the same clause ("décédé" over "atteint").
    pub priority: i32,
}

/// A noun for people ("civils", "soldiers").
#[derive(Debug, Clone, Copy)]
pub struct VictimNoun {
    /// `None` for generic nouns ("membres", "members") whose category comes from their group.
    pub category: Option<Category>,
    pub plural: bool,
}

/// A generic word for an armed side ("rebelles", "the army").
#[derive(Debug, Clone, Copy)]
pub struct GroupWord {
    pub role: GenericRole,
}

#[derive(Debug, Clone, Copy)]
pub struct EventTrigger {
    pub sub_type: SubType,
    pub weight: i32,
}

#[derive(Debug, Clone, Copy)]
pub struct PlaceCue {
    pub kind: LocationKind,
    /// The cue follows the name ("al-Bab neighbourhood") rather than preceding it ("le quartier de X").
    pub after: bool,
    /// A preposition ("à", "near"): it only introduces a capitalised name
    /// that nothing else claims, and the place's kind stays a guess.
    pub weak: bool,
}

/// A word that marks the name next to it as an outlet ("le site X", "X newspaper").
#[derive(Debug, Clone, Copy)]
pub struct SourceCue {
    pub kind: SourceKind,
    /// The cue follows the name.
    pub after: bool,
}

/// A word of a range of two numbers ("entre dix et quinze", "10 to 15").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeWord {
    /// Written before the first number ("entre", "between").
    Open,
    /// Between the numbers; makes a range on its own ("10 to 15").
    Join,
    /// Between the numbers, only after an opening word ("and", "et").
    JoinAfterOpen,
}

#[derive(Debug, Clone, Copy)]
pub enum DateWord {
    Month(u32),
    Weekday(Weekday),
    /// Days relative to the reference date ("hier" = -1).
    Relative(i64),
}

#[derive(Debug, Clone, Copy)]
pub struct TollNoun {
    pub kind: CasualtyKind,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    pub lang: String,
    pub numbers: PhraseSet<NumberWord>,
    pub vague: PhraseSet<VagueAmount>,
    pub qualifiers: PhraseSet<QualifierCue>,
    pub casualty_terms: PhraseSet<CasualtyTerm>,
    pub victims: PhraseSet<VictimNoun>,
    pub modifiers: PhraseSet<()>,
    pub group_words: PhraseSet<GroupWord>,
    pub demonyms: PhraseSet<String>,
    pub triggers: PhraseSet<EventTrigger>,
    pub attribution: PhraseSet<()>,
    pub source_cues: PhraseSet<SourceCue>,
    pub place_cues: PhraseSet<PlaceCue>,
    pub titles: PhraseSet<()>,
    pub dates: PhraseSet<DateWord>,
    pub units: PhraseSet<()>,
    pub subtotal_cues: PhraseSet<()>,
    pub membership_cues: PhraseSet<()>,
    pub zero_cues: PhraseSet<()>,
    /// Words that detach a casualty term from the people before it ("sans dire s'il").
    pub detached_cues: PhraseSet<()>,
    /// Words that deny the violence after them ("no word of rocket fire").
    pub negation_cues: PhraseSet<()>,
    /// Words that point back to something told ("the attack", "cette frappe").
    pub anaphora_cues: PhraseSet<()>,
    /// Words of a funeral ("aux funérailles des victimes").
    pub funeral_cues: PhraseSet<()>,
    /// Words of a range of two numbers ("entre dix et quinze").
    pub ranges: PhraseSet<RangeWord>,
    pub tolls: PhraseSet<TollNoun>,
    pub age_cues: PhraseSet<()>,
    pub locatives: PhraseSet<()>,
    pub local_forces: PhraseSet<()>,
    /// `true`: counts only before a past date ("depuis 2011").
    pub background_cues: PhraseSet<bool>,
    pub not_names: HashSet<String>,
    pub stopwords: HashSet<String>,
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// Loads every file of one language folder. `files` holds (path, contents)
/// for paths like `lexicon/fr/numbers.tsv`.
pub fn load_lexicon(lang: &str, files: &[(&str, &str)]) -> Result<Lexicon> {
    let mut lx = Lexicon {
        lang: lang.to_string(),
        ..Default::default()
    };
    let prefix = format!("lexicon/{lang}/");
    for (path, contents) in files.iter().filter(|(p, _)| p.starts_with(&prefix)) {
        let name = &path[prefix.len()..];
        macro_rules! each {
            (|$row:ident| $body:expr) => {
                for_each_row(path, contents, |$row| {
                    $body;
                    Ok(())
                })?
            };
        }
        macro_rules! set {
            ($set:expr, $row:ident, $value:expr) => {{
                let phrase = $row.req("phrase")?;
                if !$set.insert(phrase, $value) {
                    return Err($row.error(format!("phrase '{phrase}' is listed twice")));
                }
            }};
        }
        match name {
            "numbers.tsv" => each!(|row| {
                let value = row.parse::<u64>("value")?.unwrap_or(0);
                let role = match row.req("role")? {
                    "unit" => NumberRole::Unit,
                    "multiplier" => NumberRole::Multiplier,
                    "connector" => NumberRole::Connector,
                    "indefinite" => NumberRole::Indefinite,
                    "approximate" => {
                        NumberRole::Approximate(row.parse("qualifier")?.unwrap_or(Qualifier::About))
                    }
                    other => return Err(row.error(format!("unknown role '{other}'"))),
                };
                set!(lx.numbers, row, NumberWord { value, role })
            }),
            "vague.tsv" => each!(|row| set!(
                lx.vague,
                row,
                VagueAmount {
                    low: row.parse("low")?,
                    conventional: row.parse("conventional")?
                }
            )),
            "qualifiers.tsv" => each!(|row| {
                let qualifier = row
                    .parse("qualifier")?
                    .ok_or_else(|| row.error("column 'qualifier' is empty"))?;
                let (before, after) = match row.req("position")? {
                    "before" => (true, false),
                    "after" => (false, true),
                    "both" => (true, true),
                    other => {
                        return Err(row.error(format!(
                            "position must be before, after or both, not '{other}'"
                        )))
                    }
                };
                set!(
                    lx.qualifiers,
                    row,
                    QualifierCue {
                        qualifier,
                        before,
                        after
                    }
                )
            }),
            "casualties.tsv" => each!(|row| {
                let kind = row
                    .parse("kind")?
                    .ok_or_else(|| row.error("column 'kind' is empty"))?;
                let roles = row.list("roles");
                let roles: Vec<&str> = roles
                    .iter()
                    .flat_map(|r| r.split(','))
                    .map(str::trim)
                    .collect();
                for r in &roles {
                    if !matches!(*r, "head" | "post" | "pre" | "noun") {
                        return Err(
                            row.error(format!("unknown role '{r}' (head, post, pre, noun)"))
                        );
                    }
                }
                let term = CasualtyTerm {
                    kind,
                    head: roles.contains(&"head"),
                    post: roles.contains(&"post"),
                    pre: roles.contains(&"pre"),
                    noun: roles.contains(&"noun"),
                    priority: row.parse("priority")?.unwrap_or(0),
                };
                set!(lx.casualty_terms, row, term)
            }),
            "victims.tsv" => each!(|row| {
                let category = match row.req("category")? {
                    "generic" => None,
                    c => Some(c.parse::<Category>().map_err(|e| row.error(e))?),
                };
                let plural = match row.req("number")? {
                    "sg" => false,
                    "pl" => true,
                    other => {
                        return Err(row.error(format!("number must be sg or pl, not '{other}'")))
                    }
                };
                set!(lx.victims, row, VictimNoun { category, plural })
            }),
            "modifiers.tsv" => each!(|row| set!(lx.modifiers, row, ())),
            "group_words.tsv" => each!(|row| {
                let role = row
                    .parse("role")?
                    .ok_or_else(|| row.error("column 'role' is empty"))?;
                set!(lx.group_words, row, GroupWord { role })
            }),
            "demonyms.tsv" => {
                each!(|row| set!(lx.demonyms, row, row.req("country")?.to_ascii_uppercase()))
            }
            "triggers.tsv" => each!(|row| {
                let sub_type = row
                    .parse("sub_type")?
                    .ok_or_else(|| row.error("column 'sub_type' is empty"))?;
                set!(
                    lx.triggers,
                    row,
                    EventTrigger {
                        sub_type,
                        weight: row.parse("weight")?.unwrap_or(1)
                    }
                )
            }),
            "attribution.tsv" => each!(|row| set!(lx.attribution, row, ())),
            "source_cues.tsv" => each!(|row| {
                let kind = row.parse("kind")?.unwrap_or(SourceKind::Unknown);
                let after = row.get("position") == "after";
                set!(lx.source_cues, row, SourceCue { kind, after })
            }),
            "place_cues.tsv" => each!(|row| {
                let kind = row
                    .parse("kind")?
                    .ok_or_else(|| row.error("column 'kind' is empty"))?;
                let (after, weak) = match row.get("position") {
                    "" | "before" => (false, false),
                    "after" => (true, false),
                    "weak" => (false, true),
                    other => {
                        return Err(row.error(format!(
                            "position must be before, after or weak, not '{other}'"
                        )))
                    }
                };
                set!(lx.place_cues, row, PlaceCue { kind, after, weak })
            }),
            "titles.tsv" => each!(|row| set!(lx.titles, row, ())),
            "dates.tsv" => each!(|row| {
                let value = row.req("value")?;
                let word = match row.req("type")? {
                    "month" => {
                        DateWord::Month(value.parse().map_err(|_| row.error("month must be 1-12"))?)
                    }
                    "weekday" => DateWord::Weekday(
                        weekday(value).ok_or_else(|| row.error("weekday must be mon..sun"))?,
                    ),
                    "relative" => DateWord::Relative(
                        value
                            .parse()
                            .map_err(|_| row.error("relative must be a day offset"))?,
                    ),
                    other => return Err(row.error(format!("unknown date type '{other}'"))),
                };
                set!(lx.dates, row, word)
            }),
            "units.tsv" => each!(|row| set!(lx.units, row, ())),
            "subtotal_cues.tsv" => each!(|row| set!(lx.subtotal_cues, row, ())),
            "membership_cues.tsv" => each!(|row| set!(lx.membership_cues, row, ())),
            "zero_cues.tsv" => each!(|row| set!(lx.zero_cues, row, ())),
            "detached_cues.tsv" => each!(|row| set!(lx.detached_cues, row, ())),
            "funeral_cues.tsv" => each!(|row| set!(lx.funeral_cues, row, ())),
            "anaphora_cues.tsv" => each!(|row| set!(lx.anaphora_cues, row, ())),
            "negation_cues.tsv" => each!(|row| set!(lx.negation_cues, row, ())),
            "ranges.tsv" => each!(|row| {
                let role = match row.req("role")? {
                    "open" => RangeWord::Open,
                    "join" => RangeWord::Join,
                    "join_after_open" => RangeWord::JoinAfterOpen,
                    other => {
                        return Err(row.error(format!(
                            "role must be open, join or join_after_open, not '{other}'"
                        )))
                    }
                };
                set!(lx.ranges, row, role)
            }),
            "age_cues.tsv" => each!(|row| set!(lx.age_cues, row, ())),
            "locatives.tsv" => each!(|row| set!(lx.locatives, row, ())),
            "local_forces.tsv" => each!(|row| set!(lx.local_forces, row, ())),
            "background_cues.tsv" => {
                each!(|row| set!(lx.background_cues, row, row.get("past_date") == "yes"))
            }
            "tolls.tsv" => each!(|row| {
                let kind = row
                    .parse("kind")?
                    .ok_or_else(|| row.error("column 'kind' is empty"))?;
                set!(lx.tolls, row, TollNoun { kind })
            }),
            "not_names.tsv" => each!(|row| {
                lx.not_names
                    .insert(super::phrases::phrase_key(row.req("phrase")?));
            }),
            "stopwords.tsv" => each!(|row| {
                lx.stopwords
                    .insert(super::phrases::phrase_key(row.req("phrase")?));
            }),
            other => {
                return Err(crate::error::Error::ReferenceData {
                    file: path.to_string(),
                    line: 0,
                    message: format!("unknown lexicon file '{other}'"),
                })
            }
        }
    }
    Ok(lx)
}
