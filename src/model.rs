//! The domain: what an article is, and what the extractor says about it.
//!
//! The serialised form of [`Extraction`] is the fixed contract of
//! `spec/extraction.md`: field names and vocabularies must not change. Extra
//! fields are allowed and used for provenance (`duplicate_of`, `part_of`,
//! `sentence`, …).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a vocabulary enum whose serialised names are the contract's.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $s)] $variant),+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($s => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} '{}' (expected one of: {})",
                        stringify!($name), s, [$($s),+].join(", ")
                    )),
                }
            }
        }
    };
}

vocabulary!(LocationKind {
    Country => "country", Admin1 => "admin1", Admin2 => "admin2", City => "city",
    Town => "town", Village => "village", Neighbourhood => "neighbourhood",
    Site => "site", Region => "region",
});

impl LocationKind {
    /// Smaller is more specific: an event is located at its most specific place.
    pub fn specificity(self) -> u8 {
        match self {
            LocationKind::Site => 0,
            LocationKind::Neighbourhood => 1,
            LocationKind::Village => 2,
            LocationKind::Town => 3,
            LocationKind::City => 4,
            LocationKind::Admin2 => 5,
            LocationKind::Region => 6,
            LocationKind::Admin1 => 7,
            LocationKind::Country => 8,
        }
    }
}

vocabulary!(GroupKind {
    StateForces => "state_forces", StateAgency => "state_agency",
    ProGovernmentMilitia => "pro_government_militia", Rebel => "rebel", Jihadist => "jihadist",
    Political => "political", ForeignState => "foreign_state", International => "international",
    Civilians => "civilians", Unknown => "unknown",
});

vocabulary!(Side {
    Government => "government", Opposition => "opposition", Foreign => "foreign",
    Neutral => "neutral", Unknown => "unknown",
});

vocabulary!(SourceKind {
    Newspaper => "newspaper", Tv => "tv", Website => "website", NewsAgency => "news_agency",
    Monitor => "monitor", Official => "official", Witness => "witness", Ngo => "ngo",
    SocialMedia => "social_media", Person => "person", Unknown => "unknown",
});

impl SourceKind {
    /// Media and monitors are sources whenever they are named; officials,
    /// people and social media only when the text attributes something to them.
    pub fn is_media(self) -> bool {
        matches!(
            self,
            SourceKind::Newspaper
                | SourceKind::Tv
                | SourceKind::Website
                | SourceKind::NewsAgency
                | SourceKind::Monitor
        )
    }
}

vocabulary!(EventType {
    Battles => "battles", ExplosionsRemoteViolence => "explosions_remote_violence",
    ViolenceAgainstCivilians => "violence_against_civilians", Protests => "protests",
    Riots => "riots", StrategicDevelopments => "strategic_developments",
});

vocabulary!(SubType {
    ArmedClash => "armed_clash", GovernmentRegainsTerritory => "government_regains_territory",
    NonStateActorOvertakesTerritory => "non_state_actor_overtakes_territory",
    ShellingArtilleryMissileAttack => "shelling_artillery_missile_attack",
    AirDroneStrike => "air_drone_strike", RemoteExplosiveLandmineIed => "remote_explosive_landmine_ied",
    SuicideBomb => "suicide_bomb", Grenade => "grenade", ChemicalWeapon => "chemical_weapon",
    Attack => "attack", AbductionForcedDisappearance => "abduction_forced_disappearance",
    SexualViolence => "sexual_violence",
    PeacefulProtest => "peaceful_protest", ProtestWithIntervention => "protest_with_intervention",
    ViolentDemonstration => "violent_demonstration", MobViolence => "mob_violence",
    Agreement => "agreement", Arrests => "arrests", ChangeToGroupActivity => "change_to_group_activity",
    HeadquartersOrBaseEstablished => "headquarters_or_base_established",
    NonViolentTransferOfTerritory => "non_violent_transfer_of_territory", LootingPropertyDestruction => "looting_property_destruction",
    Other => "other",
});

impl SubType {
    /// The event type a sub-type belongs to.
    pub fn event_type(self) -> EventType {
        use SubType::*;
        match self {
            ArmedClash | GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => {
                EventType::Battles
            }
            ShellingArtilleryMissileAttack
            | AirDroneStrike
            | RemoteExplosiveLandmineIed
            | SuicideBomb
            | Grenade
            | ChemicalWeapon => EventType::ExplosionsRemoteViolence,
            Attack | AbductionForcedDisappearance | SexualViolence => {
                EventType::ViolenceAgainstCivilians
            }
            PeacefulProtest | ProtestWithIntervention => EventType::Protests,
            ViolentDemonstration | MobViolence => EventType::Riots,
            Agreement
            | Arrests
            | ChangeToGroupActivity
            | HeadquartersOrBaseEstablished
            | NonViolentTransferOfTerritory
            | LootingPropertyDestruction
            | Other => EventType::StrategicDevelopments,
        }
    }
}

vocabulary!(DatePrecision { Day => "day", Week => "week", Month => "month", Year => "year" });

vocabulary!(ActorRole { Attacker => "attacker", Target => "target", Associated => "associated", Victim => "victim" });

vocabulary!(CasualtyKind {
    Killed => "killed", Wounded => "wounded", Captured => "captured", Missing => "missing",
    Kidnapped => "kidnapped", Arrested => "arrested", Displaced => "displaced",
});

vocabulary!(Qualifier {
    Exact => "exact", AtLeast => "at_least", MoreThan => "more_than", About => "about",
    UpTo => "up_to", LessThan => "less_than", Vague => "vague",
});

impl Qualifier {
    /// How much a wording says: an exact figure says more than "about",
    /// which says more than a vague amount. Used to keep the most precise
    /// wording of a restated figure.
    pub fn precision_rank(self) -> u8 {
        match self {
            Qualifier::Exact => 5,
            Qualifier::AtLeast | Qualifier::MoreThan => 4,
            Qualifier::UpTo | Qualifier::LessThan => 3,
            Qualifier::About => 2,
            Qualifier::Vague => 0,
        }
    }
}

vocabulary!(Category {
    Civilian => "civilian", Combatant => "combatant", SecurityForces => "security_forces", Unknown => "unknown",
});

impl GroupKind {
    /// The casualty category of a group's members when the data says nothing else.
    pub fn default_category(self) -> Category {
        match self {
            GroupKind::StateForces | GroupKind::StateAgency | GroupKind::ProGovernmentMilitia => {
                Category::SecurityForces
            }
            GroupKind::Rebel | GroupKind::Jihadist | GroupKind::Political => Category::Combatant,
            GroupKind::Civilians => Category::Civilian,
            GroupKind::ForeignState => Category::SecurityForces,
            GroupKind::International | GroupKind::Unknown => Category::Unknown,
        }
    }
}

/// One article as read from its input, before extraction.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// The input as named on the command line (with `:LINE` for JSON Lines).
    pub input: String,
    pub title: String,
    pub body: String,
    pub published: Option<DateTime<FixedOffset>>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    /// ISO 639-1 code when the input says it.
    pub language: Option<String>,
}

/// A span of character offsets `[start, end)` into the article text.
pub type Span = [usize; 2];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleMeta {
    pub title: String,
    pub published: Option<String>,
    pub language: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    /// The date relative days were resolved against, and where it came from
    /// (`published`, `url`), when the article has one.
    pub reference_date: Option<NaiveDate>,
    pub reference_date_from: Option<String>,
    /// Characters of the article text (title + body) that spans index into.
    pub text_chars: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LocationOut {
    pub id: String,
    pub name: String,
    pub canonical: String,
    pub kind: LocationKind,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<i64>,
    pub spans: Vec<Span>,
    /// Stable reference-data key (`gn:170063`, `sy/aleppo/hanano-barracks`),
    /// or `null` for a place the gazetteer lacks.
    pub key: Option<String>,
    /// Key of the place it lies in (a neighbourhood's city), when known.
    pub parent: Option<String>,
    /// `true` when the place is not in the gazetteer and its coordinates are
    /// those of the nearest known parent.
    pub approximate: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GroupOut {
    pub id: String,
    pub name: String,
    pub canonical: String,
    pub kind: GroupKind,
    pub side: Side,
    pub country: Option<String>,
    pub spans: Vec<Span>,
    pub key: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceOut {
    pub id: String,
    pub name: String,
    pub canonical: String,
    pub kind: SourceKind,
    pub spans: Vec<Span>,
    pub key: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ActorOut {
    pub group: String,
    pub role: ActorRole,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Fatalities {
    pub best: Option<u64>,
    pub low: Option<u64>,
    pub high: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EventOut {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub sub_type: Option<SubType>,
    pub date: Option<NaiveDate>,
    pub date_precision: Option<DatePrecision>,
    pub location: Option<String>,
    /// How closely `location` places the event, as ACLED's geo-precision:
    /// 1 the place itself (a town, a neighbourhood, a site), 2 near it or in
    /// a district or region (a place the gazetteer lacks, borrowing its
    /// parent's coordinates), 3 only the province or the country.
    pub location_precision: Option<u8>,
    pub actors: Vec<ActorOut>,
    pub fatalities: Fatalities,
    /// Best total of people wounded, counted the same way as fatalities.
    pub wounded: Fatalities,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CasualtyOut {
    pub kind: CasualtyKind,
    pub count: Option<u64>,
    pub qualifier: Qualifier,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub victims: Option<String>,
    pub category: Category,
    pub group: Option<String>,
    pub event: Option<String>,
    pub location: Option<String>,
    pub source: Option<String>,
    pub span: Span,
    /// The sentence the figure was read from.
    pub sentence: Span,
    /// Index (in this list) of the figure this one restates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<usize>,
    /// Index of the figure this one is a part of ("dont 5 enfants").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<usize>,
    /// ACLED's conventional number for a vague amount ("dozens" → 12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conventional_count: Option<u64>,
    /// A background toll recalled by the article (a war's, a year's): it
    /// belongs to no event and no total.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
}

/// Everything extracted from one article: the contract of `extract`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Extraction {
    pub input: String,
    pub article: ArticleMeta,
    pub locations: Vec<LocationOut>,
    pub groups: Vec<GroupOut>,
    pub sources: Vec<SourceOut>,
    pub events: Vec<EventOut>,
    pub casualties: Vec<CasualtyOut>,
    pub extractor_version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_through_their_contract_names() {
        for k in CasualtyKind::ALL {
            assert_eq!(k.as_str().parse::<CasualtyKind>().unwrap(), *k);
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert!("dead".parse::<CasualtyKind>().is_err());
        assert_eq!(Qualifier::AtLeast.as_str(), "at_least");
        assert_eq!(
            SubType::AirDroneStrike.event_type(),
            EventType::ExplosionsRemoteViolence
        );
    }
}
