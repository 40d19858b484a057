//! Reference data: the gazetteer, the dictionary of armed groups and the
//! dictionary of outlets and sources (formats in `data/README.md`).

use super::tsv::{for_each_row, Row};
use crate::error::Result;
use crate::model::{Category, GroupKind, LocationKind, Side, SourceKind};
use std::collections::HashMap;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Place {
    pub key: String,
    pub name: String,
    pub kind: LocationKind,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<i64>,
    pub parent_key: Option<String>,
    /// Index of the parent place, resolved after loading.
    pub parent: Option<usize>,
    pub population: Option<i64>,
    pub aliases: Vec<String>,
    pub source: String,
}

/// The generic role a group entry stands for in its country, so that "the
/// army" or "les rebelles" resolve to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GenericRole {
    Army,
    AirForce,
    Navy,
    Police,
    SecurityForces,
    Intelligence,
    Government,
    Rebels,
    Jihadists,
    Militias,
    Opposition,
}

impl FromStr for GenericRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "army" => GenericRole::Army,
            "air_force" => GenericRole::AirForce,
            "navy" => GenericRole::Navy,
            "police" => GenericRole::Police,
            "security_forces" => GenericRole::SecurityForces,
            "intelligence" => GenericRole::Intelligence,
            "government" => GenericRole::Government,
            "rebels" => GenericRole::Rebels,
            "jihadists" => GenericRole::Jihadists,
            "militias" => GenericRole::Militias,
            "opposition" => GenericRole::Opposition,
            _ => return Err(format!("unknown generic role '{s}'")),
        })
    }
}

impl GenericRole {
    pub fn as_str(self) -> &'static str {
        match self {
            GenericRole::Army => "army",
            GenericRole::AirForce => "air_force",
            GenericRole::Navy => "navy",
            GenericRole::Police => "police",
            GenericRole::SecurityForces => "security_forces",
            GenericRole::Intelligence => "intelligence",
            GenericRole::Government => "government",
            GenericRole::Rebels => "rebels",
            GenericRole::Jihadists => "jihadists",
            GenericRole::Militias => "militias",
            GenericRole::Opposition => "opposition",
        }
    }

    /// What a generic group with no country is, and which side it is on.
    pub fn kind_and_side(self) -> (GroupKind, Side) {
        match self {
            GenericRole::Army
            | GenericRole::AirForce
            | GenericRole::Navy
            | GenericRole::Police
            | GenericRole::SecurityForces => (GroupKind::StateForces, Side::Government),
            GenericRole::Intelligence => (GroupKind::StateAgency, Side::Government),
            GenericRole::Government => (GroupKind::Political, Side::Government),
            GenericRole::Rebels => (GroupKind::Rebel, Side::Opposition),
            GenericRole::Jihadists => (GroupKind::Jihadist, Side::Opposition),
            GenericRole::Militias => (GroupKind::ProGovernmentMilitia, Side::Government),
            GenericRole::Opposition => (GroupKind::Political, Side::Opposition),
        }
    }

    /// English name of a generic group when its country is unknown.
    pub fn generic_name(self) -> &'static str {
        match self {
            GenericRole::Army => "army",
            GenericRole::AirForce => "air force",
            GenericRole::Navy => "navy",
            GenericRole::Police => "police",
            GenericRole::SecurityForces => "security forces",
            GenericRole::Intelligence => "intelligence services",
            GenericRole::Government => "government",
            GenericRole::Rebels => "rebels",
            GenericRole::Jihadists => "jihadists",
            GenericRole::Militias => "pro-government militias",
            GenericRole::Opposition => "opposition",
        }
    }
}

#[derive(Debug, Clone)]
pub struct GroupEntry {
    pub key: String,
    pub name: String,
    pub kind: GroupKind,
    pub side: Side,
    pub country: Option<String>,
    pub parent_key: Option<String>,
    pub category: Category,
    pub generic: Option<GenericRole>,
    pub aliases: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct SourceEntry {
    pub key: String,
    pub name: String,
    pub kind: SourceKind,
    pub country: Option<String>,
    pub domains: Vec<String>,
    pub aliases: Vec<String>,
    pub source: String,
}

fn owned(v: Option<&str>) -> Option<String> {
    v.map(str::to_string)
}

fn parse_place(row: &Row) -> Result<Place> {
    Ok(Place {
        key: row.req("key")?.to_string(),
        name: row.get("name").to_string(),
        kind: row
            .parse::<LocationKind>("kind")?
            .unwrap_or(LocationKind::Village),
        country: owned(row.opt("country")).map(|c| c.to_ascii_uppercase()),
        admin1: owned(row.opt("admin1")),
        admin2: owned(row.opt("admin2")),
        lat: row.parse("lat")?,
        lon: row.parse("lon")?,
        geonames_id: row.parse("geonames_id")?,
        parent_key: owned(row.opt("parent")),
        parent: None,
        population: row.parse::<f64>("population")?.map(|p| p as i64),
        aliases: row
            .list("aliases")
            .into_iter()
            .map(str::to_string)
            .collect(),
        source: row.get("source").to_string(),
    })
}

/// Loads every place file. Rows that repeat a key add their aliases to the
/// first row and override its non-empty cells (curated corrections of
/// generated rows).
pub fn load_places(files: &[(&str, &str)]) -> Result<Vec<Place>> {
    let mut places: Vec<Place> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Generated rows first, curated corrections after, whatever the file order.
    let mut ordered: Vec<&(&str, &str)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("places/"))
        .collect();
    ordered.sort_by_key(|(p, _)| (!p.ends_with("geonames.tsv"), p.to_string()));
    for (path, contents) in ordered {
        for_each_row(path, contents, |row| {
            let p = parse_place(&row)?;
            match by_key.get(&p.key) {
                None => {
                    if p.name.is_empty() {
                        return Err(row.error("column 'name' is empty"));
                    }
                    if row.opt("kind").is_none() {
                        return Err(row.error("column 'kind' is empty"));
                    }
                    by_key.insert(p.key.clone(), places.len());
                    places.push(p);
                }
                Some(&i) => merge_place(&mut places[i], p, &row),
            }
            Ok(())
        })?;
    }
    for (i, place) in places.iter_mut().enumerate() {
        if let Some(pk) = &place.parent_key {
            place.parent = by_key.get(pk).copied().filter(|&p| p != i);
        }
    }
    Ok(places)
}

fn merge_place(into: &mut Place, from: Place, row: &Row) {
    if !from.name.is_empty() && from.name != into.name {
        into.aliases
            .push(std::mem::replace(&mut into.name, from.name));
    }
    if row.opt("kind").is_some() {
        into.kind = from.kind;
    }
    macro_rules! take {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f; } )* };
    }
    take!(
        country,
        admin1,
        admin2,
        lat,
        lon,
        geonames_id,
        parent_key,
        population
    );
    into.aliases.extend(from.aliases);
    if !from.source.is_empty() {
        into.source = format!("{}; {}", into.source, from.source);
    }
}

pub fn load_groups(file: &str, contents: &str) -> Result<Vec<GroupEntry>> {
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for_each_row(file, contents, |row| {
        let kind: GroupKind = row.parse("kind")?.unwrap_or(GroupKind::Unknown);
        let g = GroupEntry {
            key: row.req("key")?.to_string(),
            name: row.req("name")?.to_string(),
            kind,
            side: row.parse("side")?.unwrap_or(Side::Unknown),
            country: owned(row.opt("country")).map(|c| c.to_ascii_uppercase()),
            parent_key: owned(row.opt("parent")),
            category: row
                .parse("category")?
                .unwrap_or_else(|| kind.default_category()),
            generic: row.parse("generic")?,
            aliases: row
                .list("aliases")
                .into_iter()
                .map(str::to_string)
                .collect(),
            source: row.get("source").to_string(),
        };
        if seen.insert(g.key.clone(), row.line).is_some() {
            return Err(row.error(format!("duplicate key '{}'", g.key)));
        }
        out.push(g);
        Ok(())
    })?;
    Ok(out)
}

pub fn load_sources(file: &str, contents: &str) -> Result<Vec<SourceEntry>> {
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for_each_row(file, contents, |row| {
        let s = SourceEntry {
            key: row.req("key")?.to_string(),
            name: row.req("name")?.to_string(),
            kind: row.parse("kind")?.unwrap_or(SourceKind::Unknown),
            country: owned(row.opt("country")).map(|c| c.to_ascii_uppercase()),
            domains: row
                .list("domains")
                .into_iter()
                .map(|d| d.to_ascii_lowercase())
                .collect(),
            aliases: row
                .list("aliases")
                .into_iter()
                .map(str::to_string)
                .collect(),
            source: row.get("source").to_string(),
        };
        if seen.insert(s.key.clone(), row.line).is_some() {
            return Err(row.error(format!("duplicate key '{}'", s.key)));
        }
        out.push(s);
        Ok(())
    })?;
    Ok(out)
}
