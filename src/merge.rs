//! Merging: one real-world incident reported by several articles becomes one
//! event (an *incident*), so that reports count its dead once.
//!
//! Pure: it takes the article events ("reports") of a country and period
//! with what it needs to know about places and groups, and returns the
//! incidents. The database side (src/db/merge.rs) loads and stores them.
//!
//! Two reports are of the same incident when they come from different
//! articles, their dates overlap given their precision (a day is that day, a
//! week the seven days up to the date, a month its calendar month), their
//! places are the same or one is inside the other, their types are the same
//! or a pair that outlets code either way (an air strike that killed
//! civilians is remote violence to one and violence against civilians to
//! another), and, when both name the attacker, they share one (or one is
//! part of the other, as the army of a state).
//!
//! The result must not depend on the order articles were ingested in, so
//! every choice is made in an order fixed by the reports' stable keys (the
//! article's content hash and the event's id in it), and reports are joined
//! by complete linkage: a report joins an incident only if it is compatible
//! with every report already in it. That stops chains (a report on a whole
//! country joining two different towns' strikes into one). It runs in three
//! passes:
//! 1. precise reports (a day, and a place no coarser than a district) are
//!    joined along their strongest links first;
//! 2. a coarse report (a week or a month, or only a province or country)
//!    joins an incident of pass 1 only if exactly one is compatible with
//!    it; "Israeli strikes on southern Lebanon killed 20" does not join
//!    one of three town strikes of that day at random;
//! 3. the coarse reports left are merged only with reports of the same place
//!    and the same dates.
//!
//! Combined figures (UCDP's low/best/high, and ACLED's conservative figure):
//! - low: the lowest figure any report gives (its low end, for a range);
//! - high: the highest (its high end);
//! - best: the figure of the latest published report that gives an exact
//!   count, because tolls rise as bodies are found and later reports carry
//!   the corrections; when no report is exact ("at least", "dozens"), the
//!   median of the reports' best figures (the lower middle one), which one
//!   outlier cannot move;
//! - conservative: the lowest best figure of any report (ACLED codes the
//!   most conservative figure), offered by `report --fatalities conservative`.

use chrono::{Datelike, Duration, NaiveDate};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::cmp::Reverse;

/// How precisely a report dates its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
}

impl DatePrecision {
    pub fn parse(s: &str) -> Option<DatePrecision> {
        match s {
            "day" => Some(DatePrecision::Day),
            "week" => Some(DatePrecision::Week),
            "month" => Some(DatePrecision::Month),
            "year" => Some(DatePrecision::Year),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }

    /// The days a date of this precision may mean. A week is the seven days
    /// up to the date, because the extractor gives an undated event its
    /// article's reference date with week precision.
    fn interval(self, d: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            DatePrecision::Day => (d, d),
            DatePrecision::Week => (d - Duration::days(6), d),
            DatePrecision::Month => {
                let first = d.with_day(1).unwrap_or(d);
                let next = if first.month() == 12 {
                    NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
                };
                (first, next.map_or(d, |n| n - Duration::days(1)))
            }
            DatePrecision::Year => (
                NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
                NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d),
            ),
        }
    }
}

/// A casualty count as one article gives it (the event's total).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportedCount {
    pub best: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
}

impl ReportedCount {
    /// "12 killed", not "at least 12", "about 12" or "10 to 15".
    fn is_exact(&self) -> bool {
        self.best.is_some() && self.low == self.best && self.high == self.best
    }
}

/// One article's account of an event.
#[derive(Debug, Clone)]
pub struct EventReport {
    /// `events.id`.
    pub id: i64,
    /// Stable across databases and ingest orders: content hash and local id.
    pub key: String,
    pub article_id: i64,
    /// Publication time of the article (Unix seconds), to find the latest report.
    pub published: Option<i64>,
    pub event_type: String,
    pub sub_type: Option<String>,
    pub date: Option<NaiveDate>,
    pub date_precision: Option<DatePrecision>,
    pub place: Option<i64>,
    pub location_precision: Option<i64>,
    /// (group id, role).
    pub actors: Vec<(i64, String)>,
    pub killed: ReportedCount,
    pub wounded: ReportedCount,
}

/// What merging needs to know about a place.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub parent: Option<i64>,
    pub kind: String,
    pub country: Option<String>,
}

/// What merging needs to know about a group.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub parent: Option<i64>,
    /// government, opposition, foreign…
    pub side: String,
    pub country: Option<String>,
}

/// The places and groups reports point to, by id.
#[derive(Debug, Default)]
pub struct MergeContext {
    pub places: HashMap<i64, Place>,
    pub groups: HashMap<i64, Group>,
    /// Pairs of report keys a person kept apart (`conflictdb unmerge`), both orders.
    pub apart: HashSet<(String, String)>,
}

/// Combined figures of an incident and the rule that chose `best`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CombinedCount {
    pub best: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub conservative: Option<i64>,
    pub rule: Option<BestRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BestRule {
    SingleReport,
    LatestExactReport,
    MedianOfReports,
}

impl BestRule {
    pub fn as_str(self) -> &'static str {
        match self {
            BestRule::SingleReport => "single report",
            BestRule::LatestExactReport => "latest exact report",
            BestRule::MedianOfReports => "median of reports",
        }
    }
}

/// A report in an incident: which report it was linked to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub event_id: i64,
    pub merged_with: Option<i64>,
    pub reason: Option<String>,
}

/// One real-world event and the reports of it.
#[derive(Debug, Clone)]
pub struct Incident {
    /// The smallest event id among its reports.
    pub id: i64,
    /// Sorted by event id; the first is the incident's own id.
    pub members: Vec<Member>,
    pub event_type: String,
    pub sub_type: Option<String>,
    pub date: Option<NaiveDate>,
    pub date_precision: Option<DatePrecision>,
    pub place: Option<i64>,
    pub location_precision: Option<i64>,
    pub killed: CombinedCount,
    pub wounded: CombinedCount,
    /// (group id, role), sorted, each once.
    pub actors: Vec<(i64, String)>,
    pub articles: usize,
}

/// Type pairs that outlets code either way for the same incident.
const COMPATIBLE_TYPES: &[(&str, &str)] = &[
    ("explosions_remote_violence", "violence_against_civilians"),
    ("battles", "explosions_remote_violence"),
];

fn types_compatible(a: &str, b: &str) -> bool {
    a == b
        || COMPATIBLE_TYPES
            .iter()
            .any(|&(x, y)| (a == x && b == y) || (a == y && b == x))
}

/// A report with what the comparisons need worked out once.
struct Prepared<'a> {
    r: &'a EventReport,
    /// `None`: the report cannot be merged (no date, no place, no country,
    /// or only a year).
    span: Option<(NaiveDate, NaiveDate)>,
    country: Option<&'a str>,
    /// The place and the places it is inside, innermost first.
    chain: Vec<i64>,
    /// Attackers with the groups they belong to.
    attackers: Vec<i64>,
    coarse: bool,
}

impl Prepared<'_> {
    fn mergeable(&self) -> bool {
        self.span.is_some() && self.country.is_some()
    }
}

fn inside(ctx: &MergeContext, outer: i64, inner: &Prepared) -> bool {
    if inner.chain.contains(&outer) {
        return true;
    }
    // A country contains its places even where the parent chain stops short.
    match ctx.places.get(&outer) {
        Some(p) if p.kind == "country" => p.country.as_deref() == inner.country,
        _ => false,
    }
}

fn place_name(ctx: &MergeContext, id: i64) -> &str {
    ctx.places.get(&id).map_or("?", |p| p.name.as_str())
}

/// How strongly two reports look like the same incident (higher: more
/// alike), or `None` if they cannot be.
fn link(ctx: &MergeContext, a: &Prepared, b: &Prepared) -> Option<u8> {
    if a.r.article_id == b.r.article_id || kept_apart(ctx, a, b) {
        return None;
    }
    link_alike(ctx, a, b)
}

/// A person undid a merge of these two reports (`conflictdb unmerge`).
fn kept_apart(ctx: &MergeContext, a: &Prepared, b: &Prepared) -> bool {
    !ctx.apart.is_empty() && ctx.apart.contains(&(a.r.key.clone(), b.r.key.clone()))
}

/// [`link`] from all it reads but the reports' articles and keys, that is
/// from their [`Profile`]s.
fn link_alike(ctx: &MergeContext, a: &Prepared, b: &Prepared) -> Option<u8> {
    if !a.mergeable() || !b.mergeable() || a.country != b.country {
        return None;
    }
    let ((a0, a1), (b0, b1)) = (a.span?, b.span?);
    if a0 > b1 || b0 > a1 {
        return None;
    }
    if !types_compatible(&a.r.event_type, &b.r.event_type) {
        return None;
    }
    if !a.attackers.is_empty()
        && !b.attackers.is_empty()
        && !a.attackers.iter().any(|g| b.attackers.contains(g))
        && !same_state(ctx, a, b)
    {
        return None;
    }
    let (pa, pb) = (a.chain[0], b.chain[0]);
    let mut strength = if pa == pb {
        3
    } else if inside(ctx, pa, b) || inside(ctx, pb, a) {
        2
    } else {
        return None;
    };
    if a.r.event_type == b.r.event_type {
        strength += if a.r.sub_type == b.r.sub_type { 2 } else { 1 };
    }
    if shared_attacker(ctx, a, b).is_some() {
        strength += 1;
    }
    // Two tolls of one incident are stronger evidence than a mention
    // without one (a background line on the same town).
    if a.r.killed.best.is_some() && b.r.killed.best.is_some() {
        strength += 2;
    }
    Some(strength)
}

/// Both name one state's government side as attacker ("the regime", "the
/// army", "government forces"): outlets name the same attacker differently.
fn same_state(ctx: &MergeContext, a: &Prepared, b: &Prepared) -> bool {
    let state = |g: &i64| {
        ctx.groups
            .get(g)
            .filter(|x| x.side == "government")
            .and_then(|x| x.country.as_deref())
    };
    a.attackers
        .iter()
        .filter_map(state)
        .any(|c| b.attackers.iter().filter_map(state).any(|d| d == c))
}

/// The attacker both reports name (or one of its parts), by name order.
fn shared_attacker(ctx: &MergeContext, a: &Prepared, b: &Prepared) -> Option<i64> {
    a.r.actors
        .iter()
        .filter(|(g, role)| role == "attacker" && b.attackers.contains(g))
        .chain(
            b.r.actors
                .iter()
                .filter(|(g, role)| role == "attacker" && a.attackers.contains(g)),
        )
        .map(|(g, _)| *g)
        .min_by(|x, y| {
            let name = |g: &i64| ctx.groups.get(g).map(|x| x.name.as_str());
            (name(x), x).cmp(&(name(y), y))
        })
}

/// Why two linked reports are taken for the same incident, in words.
fn reason(ctx: &MergeContext, a: &Prepared, b: &Prepared) -> String {
    let (pa, pb) = (a.chain[0], b.chain[0]);
    let place = if pa == pb {
        format!("both at {}", place_name(ctx, pa))
    } else if inside(ctx, pa, b) {
        format!("{} is in {}", place_name(ctx, pb), place_name(ctx, pa))
    } else {
        format!("{} is in {}", place_name(ctx, pa), place_name(ctx, pb))
    };
    let precise = |x: &Prepared| x.span.is_some_and(|(s, e)| s == e);
    let date = match (a.r.date, b.r.date) {
        (Some(x), Some(y)) if x == y && precise(a) && precise(b) => format!("same day {x}"),
        (Some(x), Some(y)) => format!(
            "dates agree ({x} {}, {y} {})",
            a.r.date_precision.map_or("?", DatePrecision::as_str),
            b.r.date_precision.map_or("?", DatePrecision::as_str)
        ),
        _ => String::new(),
    };
    let kind = if a.r.event_type == b.r.event_type && a.r.sub_type == b.r.sub_type {
        format!("both {}", type_label(a.r))
    } else if a.r.event_type == b.r.event_type {
        format!("{} and {}", type_label(a.r), type_label(b.r))
    } else {
        format!(
            "{} and {} (coded either way)",
            type_label(a.r),
            type_label(b.r)
        )
    };
    let actors = match shared_attacker(ctx, a, b) {
        Some(g) => format!(
            "attacker {} in both",
            ctx.groups.get(&g).map_or("?", |x| x.name.as_str())
        ),
        None if same_state(ctx, a, b) => "attackers on the same state's side".to_string(),
        None => "attacker not named in both".to_string(),
    };
    format!("{date}; {place}; {kind}; {actors}")
}

fn type_label(r: &EventReport) -> String {
    match &r.sub_type {
        Some(s) => format!("{}/{s}", r.event_type),
        None => r.event_type.clone(),
    }
}

fn prepare<'a>(ctx: &'a MergeContext, r: &'a EventReport) -> Prepared<'a> {
    let mut chain = Vec::new();
    let mut at = r.place;
    while let Some(id) = at {
        if chain.contains(&id) || chain.len() > 12 {
            break;
        }
        chain.push(id);
        at = ctx.places.get(&id).and_then(|p| p.parent);
    }
    let country = r
        .place
        .and_then(|p| ctx.places.get(&p))
        .and_then(|p| p.country.as_deref());
    let span = match (r.date, r.date_precision) {
        (Some(d), Some(p)) if p != DatePrecision::Year && r.place.is_some() => Some(p.interval(d)),
        _ => None,
    };
    let mut attackers = Vec::new();
    for (g, role) in &r.actors {
        if role != "attacker" {
            continue;
        }
        let mut at = Some(*g);
        while let Some(id) = at {
            if attackers.contains(&id) || attackers.len() > 24 {
                break;
            }
            attackers.push(id);
            at = ctx.groups.get(&id).and_then(|x| x.parent);
        }
    }
    let place_kind = r
        .place
        .and_then(|p| ctx.places.get(&p))
        .map_or("", |p| p.kind.as_str());
    let coarse = r.date_precision != Some(DatePrecision::Day)
        || r.location_precision.is_some_and(|p| p >= 3)
        || matches!(place_kind, "country" | "admin1");
    Prepared {
        r,
        span,
        country,
        chain,
        attackers,
        coarse,
    }
}

/// What [`link_alike`] reads of a report. Reports of one profile link alike
/// with any other report, so merging compares profiles, not every pair of
/// reports: a month of coarse reports on one country can number thousands,
/// of a few profiles.
#[derive(PartialEq, Eq, Hash)]
struct Profile<'a> {
    span: Option<(NaiveDate, NaiveDate)>,
    country: Option<&'a str>,
    event_type: &'a str,
    sub_type: Option<&'a str>,
    chain: &'a [i64],
    attackers: &'a [i64],
    /// The attackers the report names, in its order.
    named_attackers: Vec<i64>,
    killed: bool,
}

/// Links between the reports of one merge, with what they depend on worked
/// out once: each report's profile, the links between profiles (computed
/// on first use), and which reports a person kept apart from another.
struct Linker<'c, 'p> {
    ctx: &'c MergeContext,
    p: &'p [Prepared<'c>],
    profile_of: Vec<u32>,
    /// A report of each profile.
    example: Vec<usize>,
    alike: RefCell<HashMap<(u32, u32), Option<u8>>>,
    /// The report is in a pair kept apart.
    in_apart: Vec<bool>,
}

impl<'c, 'p> Linker<'c, 'p> {
    /// `share_profiles` false gives each report a profile of its own, the
    /// pairwise comparison the shared profiles must agree with (a test
    /// checks it).
    fn new(ctx: &'c MergeContext, p: &'p [Prepared<'c>], share_profiles: bool) -> Self {
        let mut ids: HashMap<Profile, u32> = HashMap::default();
        let mut example = Vec::new();
        let profile_of = p
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let profile = Profile {
                    span: x.span,
                    country: x.country,
                    event_type: &x.r.event_type,
                    sub_type: x.r.sub_type.as_deref(),
                    chain: &x.chain,
                    attackers: &x.attackers,
                    named_attackers: x
                        .r
                        .actors
                        .iter()
                        .filter(|(_, role)| role == "attacker")
                        .map(|(g, _)| *g)
                        .collect(),
                    killed: x.r.killed.best.is_some(),
                };
                if !share_profiles {
                    example.push(i);
                    return example.len() as u32 - 1;
                }
                *ids.entry(profile).or_insert_with(|| {
                    example.push(i);
                    example.len() as u32 - 1
                })
            })
            .collect();
        let kept: HashSet<&str> = ctx.apart.iter().map(|(a, _)| a.as_str()).collect();
        Linker {
            ctx,
            p,
            profile_of,
            example,
            alike: RefCell::default(),
            in_apart: p.iter().map(|x| kept.contains(x.r.key.as_str())).collect(),
        }
    }

    /// [`link_alike`] of two profiles.
    fn alike(&self, a: u32, b: u32) -> Option<u8> {
        if let Some(s) = self.alike.borrow().get(&(a, b)) {
            return *s;
        }
        let (x, y) = (self.example[a as usize], self.example[b as usize]);
        let s = link_alike(self.ctx, &self.p[x], &self.p[y]);
        self.alike.borrow_mut().insert((a, b), s);
        s
    }

    fn kept_apart(&self, i: usize, j: usize) -> bool {
        self.in_apart[i] && self.in_apart[j] && kept_apart(self.ctx, &self.p[i], &self.p[j])
    }

    /// [`link`] of two reports.
    fn link(&self, i: usize, j: usize) -> Option<u8> {
        if self.p[i].r.article_id == self.p[j].r.article_id || self.kept_apart(i, j) {
            return None;
        }
        self.alike(self.profile_of[i], self.profile_of[j])
    }
}

/// Clusters of report indices, joined by complete linkage: every pair of
/// reports across two clusters must link. That holds when the clusters
/// share no article, every pair of their profiles links, and no pair is
/// kept apart, which is what is checked.
struct Clusters {
    of: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// The articles of each cluster's reports, sorted.
    articles: Vec<Vec<i64>>,
    /// The profiles of each cluster's reports, sorted, each once.
    profiles: Vec<Vec<u32>>,
    /// The reports of each cluster that are in a pair kept apart.
    in_apart: Vec<Vec<usize>>,
    /// Pairs of clusters found incompatible: they stay so, since clusters
    /// only grow, so the check is not repeated.
    refused: HashSet<(usize, usize)>,
    /// Accepted links: (report, report, reason).
    tree: Vec<(usize, usize, String)>,
}

impl Clusters {
    fn new(l: &Linker) -> Self {
        let n = l.p.len();
        Clusters {
            of: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
            articles: l.p.iter().map(|x| vec![x.r.article_id]).collect(),
            profiles: l.profile_of.iter().map(|&x| vec![x]).collect(),
            in_apart: (0..n)
                .map(|i| if l.in_apart[i] { vec![i] } else { Vec::new() })
                .collect(),
            refused: HashSet::default(),
            tree: Vec::new(),
        }
    }

    /// Every report of cluster `a` links with every report of cluster `b`.
    fn compatible(&self, l: &Linker, a: usize, b: usize) -> bool {
        let (small, large) = if self.articles[a].len() <= self.articles[b].len() {
            (&self.articles[a], &self.articles[b])
        } else {
            (&self.articles[b], &self.articles[a])
        };
        small.iter().all(|x| large.binary_search(x).is_err())
            && self.profiles[a]
                .iter()
                .all(|&x| self.profiles[b].iter().all(|&y| l.alike(x, y).is_some()))
            && self.in_apart[a]
                .iter()
                .all(|&x| self.in_apart[b].iter().all(|&y| !l.kept_apart(x, y)))
    }

    /// Joins the clusters of `a` and `b` if every pair across them links.
    fn try_join(&mut self, l: &Linker, a: usize, b: usize) -> bool {
        let (ca, cb) = (self.of[a], self.of[b]);
        if ca == cb || self.refused.contains(&(ca.min(cb), ca.max(cb))) {
            return false;
        }
        if !self.compatible(l, ca, cb) {
            self.refused.insert((ca.min(cb), ca.max(cb)));
            return false;
        }
        let moved = std::mem::take(&mut self.members[cb]);
        for &m in &moved {
            self.of[m] = ca;
        }
        self.members[ca].extend(moved);
        let articles = std::mem::take(&mut self.articles[cb]);
        sorted_union(&mut self.articles[ca], articles);
        let profiles = std::mem::take(&mut self.profiles[cb]);
        sorted_union(&mut self.profiles[ca], profiles);
        let kept = std::mem::take(&mut self.in_apart[cb]);
        self.in_apart[ca].extend(kept);
        self.tree.push((a, b, reason(l.ctx, &l.p[a], &l.p[b])));
        true
    }
}

/// Adds the sorted `more` to the sorted `into`, each value once.
fn sorted_union<T: Ord + Copy>(into: &mut Vec<T>, more: Vec<T>) {
    let mut out = Vec::with_capacity(into.len() + more.len());
    let (mut x, mut y) = (into.iter().peekable(), more.iter().peekable());
    while let (Some(&&a), Some(&&b)) = (x.peek(), y.peek()) {
        out.push(a.min(b));
        if a <= b {
            x.next();
        }
        if b <= a {
            y.next();
        }
    }
    out.extend(x.copied());
    out.extend(y.copied());
    *into = out;
}

/// At most this many links from one report to later ones. Real incidents
/// have a handful of reports; a day with hundreds of reports of one place
/// would otherwise make links (and memory) grow with its square. Joins
/// still chain through the kept links.
const LINKS_PER_REPORT: usize = 8;

/// Adds a report's links, only its strongest (ties in key order).
fn keep_strongest(
    links: &mut Vec<(usize, usize, u8)>,
    found: impl Iterator<Item = (usize, usize, u8)>,
) {
    let mut mine: Vec<(usize, usize, u8)> = found.collect();
    mine.sort_by_key(|&(_, j, s)| (Reverse(s), j));
    mine.truncate(LINKS_PER_REPORT);
    links.extend(mine);
}

/// Joins reports along candidate links, strongest first, ties in key order.
fn join_by_links(l: &Linker, clusters: &mut Clusters, mut links: Vec<(usize, usize, u8)>) {
    // Indices are in key order, so (strength, i, j) orders by keys too.
    links.sort_by_key(|&(i, j, strength)| (Reverse(strength), i, j));
    for (a, b, _) in links {
        clusters.try_join(l, a, b);
    }
}

/// Precise reports of one day and one profile: (day, profile, reports).
type DayProfile = (NaiveDate, u32, Vec<usize>);

/// Merges reports into incidents (see the module documentation for the rules).
pub fn merge_reports(ctx: &MergeContext, reports: &[EventReport]) -> Vec<Incident> {
    merge_reports_by(ctx, reports, true)
}

fn merge_reports_by(
    ctx: &MergeContext,
    reports: &[EventReport],
    share_profiles: bool,
) -> Vec<Incident> {
    // Work in key order, so that ids (which depend on ingest order) never
    // decide anything.
    let mut order: Vec<&EventReport> = reports.iter().collect();
    order.sort_by(|a, b| a.key.cmp(&b.key).then(a.id.cmp(&b.id)));
    let p: Vec<Prepared> = order.iter().map(|r| prepare(ctx, r)).collect();
    let l = Linker::new(ctx, &p, share_profiles);
    let mut clusters = Clusters::new(&l);

    // Pass 1: precise reports, bucketed by country and day, and within that
    // by each place of their chain, so only nested places are compared.
    let mut by_day: HashMap<(&str, NaiveDate), Vec<usize>> = HashMap::default();
    for (i, x) in p.iter().enumerate() {
        if x.mergeable() && !x.coarse {
            if let (Some(c), Some((d, _))) = (x.country, x.span) {
                by_day.entry((c, d)).or_default().push(i);
            }
        }
    }
    let mut days: Vec<_> = by_day.into_iter().collect();
    days.sort_by(|a, b| a.0.cmp(&b.0));
    let mut links = Vec::new();
    for (_, idx) in &days {
        let mut under: HashMap<i64, Vec<usize>> = HashMap::default();
        let mut at: HashMap<i64, Vec<usize>> = HashMap::default();
        for &i in idx {
            for &place in &p[i].chain {
                under.entry(place).or_default().push(i);
            }
            at.entry(p[i].chain[0]).or_default().push(i);
        }
        for &i in idx {
            // Same place or inside it (everything under i's place), and the
            // places i is inside (reports at one of i's ancestors).
            let mut candidates: Vec<usize> = under.get(&p[i].chain[0]).cloned().unwrap_or_default();
            for anc in &p[i].chain[1..] {
                if let Some(v) = at.get(anc) {
                    candidates.extend(v.iter().copied());
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let found = candidates
                .into_iter()
                .filter(|&j| j > i)
                .filter_map(|j| link(ctx, &p[i], &p[j]).map(|s| (i, j, s)));
            keep_strongest(&mut links, found);
        }
    }
    join_by_links(&l, &mut clusters, links);

    // Pass 2: a coarse report joins the one precise incident it fits, if
    // there is exactly one. Which clusters fit does not depend on the order
    // they are looked at, so precise reports are looked at by profile (the
    // profiles of each country by day): a profile that cannot link is
    // skipped with all its reports.
    let mut precise: HashMap<(&str, NaiveDate, u32), Vec<usize>> = HashMap::default();
    for (i, x) in p.iter().enumerate() {
        if x.mergeable() && !x.coarse {
            if let (Some(c), Some((day, _))) = (x.country, x.span) {
                precise
                    .entry((c, day, l.profile_of[i]))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut precise_by_country: HashMap<&str, Vec<DayProfile>> = HashMap::default();
    for ((country, day, profile), reports) in precise {
        precise_by_country
            .entry(country)
            .or_default()
            .push((day, profile, reports));
    }
    for v in precise_by_country.values_mut() {
        v.sort_unstable();
    }
    let mut left = Vec::new();
    for (i, x) in p.iter().enumerate() {
        if !(x.mergeable() && x.coarse) {
            continue;
        }
        let (Some(country), Some((s, e))) = (x.country, x.span) else {
            continue;
        };
        let pool = precise_by_country
            .get(country)
            .map_or(&[][..], |v| v.as_slice());
        let from = pool.partition_point(|(day, _, _)| *day < s);
        let mut fitting: Vec<usize> = Vec::new();
        'pool: for (_, profile, reports) in pool[from..].iter().take_while(|(day, _, _)| *day <= e)
        {
            if l.alike(*profile, l.profile_of[i]).is_none() {
                continue;
            }
            for &j in reports {
                let c = clusters.of[j];
                if !fitting.contains(&c)
                    && l.link(j, i).is_some()
                    && clusters.compatible(&l, c, clusters.of[i])
                {
                    fitting.push(c);
                    if fitting.len() > 1 {
                        break 'pool;
                    }
                }
            }
        }
        match fitting.as_slice() {
            [c] => {
                // Link to the member it fits best, for the explanation.
                let best = clusters.members[*c]
                    .iter()
                    .filter_map(|&m| l.link(m, i).map(|s| (m, s)))
                    .max_by_key(|&(m, s)| (s, Reverse(m)));
                match best {
                    Some((m, _)) if clusters.try_join(&l, m, i) => {
                        if let Some(last) = clusters.tree.last_mut() {
                            last.2.push_str("; the only event of those days it fits");
                        }
                    }
                    _ => left.push(i),
                }
            }
            _ => left.push(i),
        }
    }

    // Pass 3: coarse reports left, with others of the same place and dates.
    let mut same: HashMap<(i64, NaiveDate, NaiveDate), Vec<usize>> = HashMap::default();
    for &i in &left {
        if let Some((s, e)) = p[i].span {
            same.entry((p[i].chain[0], s, e)).or_default().push(i);
        }
    }
    let mut groups: Vec<_> = same.into_values().collect();
    groups.sort();
    let mut links = Vec::new();
    for g in &groups {
        // A group's reports by profile, each list in key order: a report's
        // strongest links to one profile are to its first reports after it.
        let mut by_profile: HashMap<u32, Vec<usize>> = HashMap::default();
        for &i in g {
            by_profile.entry(l.profile_of[i]).or_default().push(i);
        }
        let mut by_profile: Vec<(u32, Vec<usize>)> = by_profile.into_iter().collect();
        by_profile.sort_unstable();
        for &i in g {
            let mut found = Vec::new();
            for (profile, reports) in &by_profile {
                let Some(strength) = l.alike(l.profile_of[i], *profile) else {
                    continue;
                };
                let after = reports.partition_point(|&j| j <= i);
                found.extend(
                    reports[after..]
                        .iter()
                        .filter(|&&j| l.link(i, j).is_some())
                        .take(LINKS_PER_REPORT)
                        .map(|&j| (i, j, strength)),
                );
            }
            keep_strongest(&mut links, found.into_iter());
        }
    }
    join_by_links(&l, &mut clusters, links);

    build_incidents(&p, &clusters)
}

fn build_incidents(p: &[Prepared], clusters: &Clusters) -> Vec<Incident> {
    // Each member's link towards the incident's first report, from the tree
    // of accepted links.
    let mut adjacent: HashMap<usize, Vec<(usize, &str)>> = HashMap::default();
    for (a, b, reason) in &clusters.tree {
        adjacent.entry(*a).or_default().push((*b, reason));
        adjacent.entry(*b).or_default().push((*a, reason));
    }
    let mut incidents = Vec::new();
    for members in clusters.members.iter().filter(|m| !m.is_empty()) {
        let root = *members
            .iter()
            .min_by_key(|&&m| p[m].r.id)
            .expect("a cluster has members");
        let mut link_of: HashMap<usize, (usize, String)> = HashMap::default();
        let mut queue = std::collections::VecDeque::from([root]);
        let mut seen: HashSet<usize> = HashSet::from_iter([root]);
        while let Some(x) = queue.pop_front() {
            let mut next: Vec<(usize, &str)> = adjacent.get(&x).cloned().unwrap_or_default();
            next.sort_by_key(|(y, _)| p[*y].r.id);
            for (y, reason) in next {
                if seen.insert(y) {
                    link_of.insert(y, (x, reason.to_string()));
                    queue.push_back(y);
                }
            }
        }
        let mut ms: Vec<Member> = members
            .iter()
            .map(|&m| {
                let l = link_of.get(&m);
                Member {
                    event_id: p[m].r.id,
                    merged_with: l.map(|(x, _)| p[*x].r.id),
                    reason: l.map(|(_, r)| r.clone()),
                }
            })
            .collect();
        ms.sort_by_key(|m| m.event_id);
        let rs: Vec<&Prepared> = members.iter().map(|&m| &p[m]).collect();
        incidents.push(combine(ms, &rs));
    }
    incidents.sort_by_key(|i| i.id);
    incidents
}

/// The incident's own date, place, type, actors and figures from its reports.
fn combine(members: Vec<Member>, rs: &[&Prepared]) -> Incident {
    // Place: the innermost (they are nested), then the finer precision.
    let at = rs
        .iter()
        .max_by(|a, b| {
            (
                a.chain.len(),
                Reverse(a.r.location_precision),
                Reverse(&a.r.key),
            )
                .cmp(&(
                    b.chain.len(),
                    Reverse(b.r.location_precision),
                    Reverse(&b.r.key),
                ))
        })
        .expect("an incident has reports");
    // Date: the narrowest, then the earliest.
    let when = rs
        .iter()
        .min_by(|a, b| {
            let w = |x: &Prepared| x.span.map(|(s, e)| ((e - s).num_days(), s));
            let key = |x: &Prepared| (x.span.is_none(), w(x), x.r.key.clone());
            key(a).cmp(&key(b))
        })
        .expect("an incident has reports");
    // Type: what most reports say; ties to the one with a sub-type, then by name.
    let mut votes: HashMap<(&str, Option<&str>), usize> = HashMap::default();
    for r in rs {
        *votes
            .entry((r.r.event_type.as_str(), r.r.sub_type.as_deref()))
            .or_default() += 1;
    }
    let ((event_type, sub_type), _) = votes
        .into_iter()
        .max_by(|a, b| {
            (a.1, a.0 .1.is_some(), Reverse(a.0)).cmp(&(b.1, b.0 .1.is_some(), Reverse(b.0)))
        })
        .expect("an incident has reports");
    let mut actors: Vec<(i64, String)> =
        rs.iter().flat_map(|r| r.r.actors.iter().cloned()).collect();
    actors.sort();
    actors.dedup();
    let mut articles: Vec<i64> = rs.iter().map(|r| r.r.article_id).collect();
    articles.sort_unstable();
    articles.dedup();
    let killed = combine_counts(
        rs.iter()
            .map(|r| (r.r.killed, r.r.published, r.r.key.as_str())),
    );
    let wounded = combine_counts(
        rs.iter()
            .map(|r| (r.r.wounded, r.r.published, r.r.key.as_str())),
    );
    Incident {
        id: members[0].event_id,
        members,
        event_type: event_type.to_string(),
        sub_type: sub_type.map(str::to_string),
        date: when.r.date,
        date_precision: when.r.date_precision,
        place: at.r.place,
        location_precision: at.r.location_precision,
        killed,
        wounded,
        actors,
        articles: articles.len(),
    }
}

/// Low, best, high and conservative from each report's count (see the module documentation).
pub fn combine_counts<'k>(
    reports: impl Iterator<Item = (ReportedCount, Option<i64>, &'k str)>,
) -> CombinedCount {
    let given: Vec<(ReportedCount, Option<i64>, &str)> =
        reports.filter(|(c, _, _)| c.best.is_some()).collect();
    let bests: Vec<i64> = given.iter().filter_map(|(c, _, _)| c.best).collect();
    let Some(&conservative) = bests.iter().min() else {
        return CombinedCount::default();
    };
    if let [(c, _, _)] = given.as_slice() {
        return CombinedCount {
            best: c.best,
            low: c.low.or(c.best),
            high: c.high,
            conservative: c.best,
            rule: Some(BestRule::SingleReport),
        };
    }
    let low = given.iter().filter_map(|(c, _, _)| c.low.or(c.best)).min();
    let high = given.iter().filter_map(|(c, _, _)| c.high.or(c.best)).max();
    let latest_exact = given
        .iter()
        .filter(|(c, _, _)| c.is_exact())
        .max_by(|a, b| (a.1, Reverse(a.2)).cmp(&(b.1, Reverse(b.2))));
    let (best, rule) = match latest_exact {
        Some((c, _, _)) => (c.best, BestRule::LatestExactReport),
        None => {
            let mut sorted = bests.clone();
            sorted.sort_unstable();
            (
                Some(sorted[(sorted.len() - 1) / 2]),
                BestRule::MedianOfReports,
            )
        }
    };
    CombinedCount {
        best,
        low,
        high,
        conservative: Some(conservative),
        rule: Some(rule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Syria (1) > Aleppo Governorate (2) > Aleppo (3) > Hanano (4);
    /// Aleppo Governorate > Al-Bab (5); Homs (6) in Syria.
    fn ctx() -> MergeContext {
        let mut c = MergeContext::default();
        for (id, name, parent, kind) in [
            (1, "Syria", None, "country"),
            (2, "Aleppo Governorate", Some(1), "admin1"),
            (3, "Aleppo", Some(2), "city"),
            (4, "Hanano", Some(3), "neighbourhood"),
            (5, "Al-Bab", Some(2), "town"),
            (6, "Homs", Some(1), "city"),
        ] {
            c.places.insert(
                id,
                Place {
                    name: name.into(),
                    parent,
                    kind: kind.into(),
                    country: Some("SY".into()),
                },
            );
        }
        for (id, name, parent, side) in [
            (10, "Syrian Arab Army", None, "government"),
            (11, "Syrian Arab Air Force", Some(10), "government"),
            (12, "Islamic State", None, "opposition"),
            (13, "Syrian government", None, "government"),
        ] {
            let group = Group {
                name: name.into(),
                parent,
                side: side.into(),
                country: Some("SY".into()),
            };
            c.groups.insert(id, group);
        }
        c
    }

    fn report(
        id: i64,
        key: &str,
        article: i64,
        date: &str,
        place: i64,
        killed: Option<i64>,
    ) -> EventReport {
        EventReport {
            id,
            key: key.into(),
            article_id: article,
            published: Some(id),
            event_type: "explosions_remote_violence".into(),
            sub_type: Some("air_drone_strike".into()),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
            date_precision: Some(DatePrecision::Day),
            place: Some(place),
            location_precision: Some(1),
            actors: vec![],
            killed: ReportedCount {
                best: killed,
                low: killed,
                high: killed,
            },
            wounded: ReportedCount::default(),
        }
    }

    fn groups_of(incidents: &[Incident]) -> Vec<Vec<i64>> {
        let mut v: Vec<Vec<i64>> = incidents
            .iter()
            .map(|i| i.members.iter().map(|m| m.event_id).collect())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_same_strike_told_by_two_articles_is_one_incident_with_both_figures() {
        let c = ctx();
        let a = report(1, "aaa:e1", 100, "2024-04-26", 4, Some(5));
        let b = report(2, "bbb:e1", 200, "2024-04-26", 3, Some(8));
        let inc = merge_reports(&c, &[a, b]);
        assert_eq!(groups_of(&inc), vec![vec![1, 2]]);
        let i = &inc[0];
        // The incident sits at the inner place (Hanano, inside Aleppo).
        assert_eq!(i.place, Some(4));
        // Both exact: the later report's figure is best; low/high span both.
        assert_eq!(i.killed.best, Some(8));
        assert_eq!(
            (i.killed.low, i.killed.high, i.killed.conservative),
            (Some(5), Some(8), Some(5))
        );
        assert_eq!(i.killed.rule, Some(BestRule::LatestExactReport));
        assert_eq!(i.articles, 2);
        let second = &i.members[1];
        assert_eq!(second.merged_with, Some(1));
        let why = second.reason.as_deref().unwrap_or_default();
        assert!(
            why.contains("same day 2024-04-26") && why.contains("Hanano is in Aleppo"),
            "{why}"
        );
    }

    #[test]
    fn different_days_places_types_attackers_or_the_same_article_stay_apart() {
        let c = ctx();
        let base = report(1, "a:e1", 100, "2024-04-26", 3, Some(5));
        let mut other_day = report(2, "b:e1", 200, "2024-04-27", 3, Some(5));
        let mut other_town = report(3, "c:e1", 300, "2024-04-26", 5, Some(5));
        let mut protest = report(4, "d:e1", 400, "2024-04-26", 3, None);
        protest.event_type = "protests".into();
        protest.sub_type = None;
        // Same attacker as the first, but from the same article.
        let mut same_article = report(5, "a:e2", 100, "2024-04-26", 3, Some(2));
        same_article.actors = vec![(10, "attacker".into())];
        let mut a_attacker = base.clone();
        a_attacker.actors = vec![(10, "attacker".into())];
        // Another attacker, same place and day.
        let mut is_attacker = report(6, "e:e1", 500, "2024-04-26", 3, Some(5));
        is_attacker.actors = vec![(12, "attacker".into())];
        other_day.id = 2;
        other_town.id = 3;
        let inc = merge_reports(
            &c,
            &[
                a_attacker,
                other_day,
                other_town,
                protest,
                same_article,
                is_attacker,
            ],
        );
        assert_eq!(inc.len(), 6, "{:?}", groups_of(&inc));
    }

    #[test]
    fn a_part_of_the_attacker_and_a_compatible_type_still_merge() {
        let c = ctx();
        let mut a = report(1, "a:e1", 100, "2024-04-26", 3, Some(4));
        a.actors = vec![(10, "attacker".into())];
        let mut b = report(2, "b:e1", 200, "2024-04-26", 3, Some(4));
        b.actors = vec![(11, "attacker".into())];
        b.event_type = "violence_against_civilians".into();
        b.sub_type = Some("attack".into());
        let mut c2 = report(3, "c:e1", 300, "2024-04-26", 3, Some(4));
        c2.actors = vec![(13, "attacker".into())];
        let inc = merge_reports(&c, &[a, b, c2]);
        // The government and its army are one side, named differently.
        assert_eq!(groups_of(&inc), vec![vec![1, 2, 3]]);
        let why = inc[0].members[1].reason.clone().unwrap_or_default();
        // The air force is part of the army, which both name.
        assert!(
            why.contains("coded either way") && why.contains("attacker Syrian Arab Army in both"),
            "{why}"
        );
    }

    #[test]
    fn a_report_on_a_whole_country_joins_only_the_one_event_it_fits() {
        let c = ctx();
        let aleppo = report(1, "a:e1", 100, "2024-04-26", 3, Some(5));
        let homs = report(2, "b:e1", 200, "2024-04-26", 6, Some(3));
        let mut country = report(3, "c:e1", 300, "2024-04-26", 1, Some(9));
        country.location_precision = Some(3);
        // Two towns that day: the country-wide report fits both, so it joins neither.
        let inc = merge_reports(&c, &[aleppo.clone(), homs, country.clone()]);
        assert_eq!(groups_of(&inc), vec![vec![1], vec![2], vec![3]]);
        // One town only: it joins it.
        let inc = merge_reports(&c, &[aleppo, country]);
        assert_eq!(groups_of(&inc), vec![vec![1, 3]]);
        assert!(inc[0].members[1]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("the only event"));
    }

    #[test]
    fn a_chain_through_a_broad_place_does_not_join_two_towns() {
        let c = ctx();
        // Hanano and Al-Bab both lie in the governorate, but not in each other.
        let hanano = report(1, "a:e1", 100, "2024-04-26", 4, Some(5));
        let al_bab = report(2, "b:e1", 200, "2024-04-26", 5, Some(3));
        let mut governorate = report(3, "c:e1", 300, "2024-04-26", 2, Some(8));
        governorate.location_precision = Some(2);
        let inc = merge_reports(&c, &[hanano, al_bab, governorate]);
        assert!(inc
            .iter()
            .all(|i| !(i.members.iter().any(|m| m.event_id == 1)
                && i.members.iter().any(|m| m.event_id == 2))));
    }

    #[test]
    fn the_result_does_not_depend_on_ingest_order() {
        let c = ctx();
        let reports = vec![
            report(1, "k3:e1", 100, "2024-04-26", 4, Some(5)),
            report(2, "k1:e1", 200, "2024-04-26", 3, Some(7)),
            report(3, "k2:e1", 300, "2024-04-26", 3, None),
            report(4, "k4:e1", 400, "2024-04-26", 5, Some(2)),
            report(5, "k5:e1", 500, "2024-04-26", 2, Some(9)),
        ];
        let by_key = |inc: Vec<Incident>, rs: &[EventReport]| {
            let key = |id: i64| {
                rs.iter()
                    .find(|r| r.id == id)
                    .map(|r| r.key.clone())
                    .unwrap_or_default()
            };
            let mut v: Vec<(Vec<String>, Option<i64>, Option<i64>)> = inc
                .iter()
                .map(|i| {
                    let mut ks: Vec<String> = i.members.iter().map(|m| key(m.event_id)).collect();
                    ks.sort();
                    (ks, i.killed.best, i.killed.low)
                })
                .collect();
            v.sort();
            v
        };
        let first = by_key(merge_reports(&c, &reports), &reports);
        // The same articles ingested in reverse order get other ids.
        let mut reversed = reports.clone();
        reversed.reverse();
        for (n, r) in reversed.iter_mut().enumerate() {
            r.id = n as i64 + 1;
            r.published = Some(100 - r.published.unwrap_or(0));
        }
        // Publication times stay those of the articles.
        for r in reversed.iter_mut() {
            let orig = reports.iter().find(|o| o.key == r.key).map(|o| o.published);
            r.published = orig.flatten();
        }
        assert_eq!(first, by_key(merge_reports(&c, &reversed), &reversed));
    }

    #[test]
    fn kept_apart_reports_are_not_merged() {
        let mut c = ctx();
        c.apart.insert(("a:e1".into(), "b:e1".into()));
        c.apart.insert(("b:e1".into(), "a:e1".into()));
        let a = report(1, "a:e1", 100, "2024-04-26", 3, Some(5));
        let b = report(2, "b:e1", 200, "2024-04-26", 3, Some(5));
        assert_eq!(merge_reports(&c, &[a, b]).len(), 2);
    }

    #[test]
    fn figures_combine_by_the_documented_rules() {
        let exact = |n| ReportedCount {
            best: Some(n),
            low: Some(n),
            high: Some(n),
        };
        let at_least = |n| ReportedCount {
            best: Some(n),
            low: Some(n),
            high: None,
        };
        // The latest exact report wins, even if lower.
        let c = combine_counts(
            [
                (exact(12), Some(1), "a"),
                (exact(9), Some(2), "b"),
                (at_least(20), Some(3), "c"),
            ]
            .into_iter(),
        );
        assert_eq!(
            (c.best, c.low, c.high, c.conservative),
            (Some(9), Some(9), Some(20), Some(9))
        );
        assert_eq!(c.rule, Some(BestRule::LatestExactReport));
        // None exact: the lower median.
        let c = combine_counts(
            [
                (at_least(10), Some(1), "a"),
                (at_least(30), Some(2), "b"),
                (at_least(12), Some(3), "c"),
                (at_least(40), None, "d"),
            ]
            .into_iter(),
        );
        assert_eq!(
            (c.best, c.rule),
            (Some(12), Some(BestRule::MedianOfReports))
        );
        // Reports without a figure do not count; none at all gives nothing.
        let c = combine_counts(
            [
                (ReportedCount::default(), Some(1), "a"),
                (exact(3), Some(2), "b"),
            ]
            .into_iter(),
        );
        assert_eq!((c.best, c.rule), (Some(3), Some(BestRule::SingleReport)));
        assert_eq!(combine_counts(std::iter::empty()), CombinedCount::default());
    }

    #[test]
    fn dates_of_a_week_or_a_month_overlap_the_days_in_them() {
        let d = NaiveDate::from_ymd_opt(2024, 2, 10).unwrap();
        assert_eq!(
            DatePrecision::Month.interval(d),
            (
                NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
                NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
            )
        );
        assert_eq!(
            DatePrecision::Week.interval(d).0,
            NaiveDate::from_ymd_opt(2024, 2, 4).unwrap()
        );
        let c = ctx();
        let day = report(1, "a:e1", 100, "2024-02-08", 3, Some(5));
        let mut week = report(2, "b:e1", 200, "2024-02-10", 3, Some(6));
        week.date_precision = Some(DatePrecision::Week);
        assert_eq!(merge_reports(&c, &[day, week]).len(), 1);
    }

    /// Many reports of a few kinds: some articles with several events, some
    /// pairs kept apart, days, weeks and months, nested places, attackers
    /// named or not.
    fn crowd(n: i64) -> (MergeContext, Vec<EventReport>) {
        let mut c = ctx();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut draw = |k: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % k
        };
        let mut reports = Vec::new();
        for id in 1..=n {
            let day = 1 + draw(3);
            let mut r = report(
                id,
                &format!("{:04}:e{}", draw(10_000), id),
                100 + draw(n as u64 / 3) as i64,
                &format!("2024-03-{day:02}"),
                [1, 2, 3, 3, 4, 5, 6][draw(7) as usize],
                [None, Some(4), Some(7)][draw(3) as usize],
            );
            r.date_precision = Some(
                [
                    DatePrecision::Day,
                    DatePrecision::Day,
                    DatePrecision::Week,
                    DatePrecision::Month,
                ][draw(4) as usize],
            );
            if draw(3) == 0 {
                r.event_type = "violence_against_civilians".into();
                r.sub_type = None;
            }
            match draw(4) {
                0 => r.actors = vec![(10, "attacker".into())],
                1 => r.actors = vec![(11, "attacker".into())],
                2 => r.actors = vec![(12, "attacker".into()), (13, "target".into())],
                _ => {}
            }
            reports.push(r);
        }
        for pair in reports.windows(2).step_by(17) {
            c.apart.insert((pair[0].key.clone(), pair[1].key.clone()));
            c.apart.insert((pair[1].key.clone(), pair[0].key.clone()));
        }
        (c, reports)
    }

    #[test]
    fn comparing_by_profile_merges_as_comparing_every_pair() {
        let (c, reports) = crowd(1_500);
        let shared = merge_reports(&c, &reports);
        let pairwise = merge_reports_by(&c, &reports, false);
        let links = |incidents: &[Incident]| -> Vec<Vec<Member>> {
            incidents.iter().map(|i| i.members.clone()).collect()
        };
        assert_eq!(links(&shared), links(&pairwise));
        // Complete linkage: every two reports of an incident link.
        let by_id: HashMap<i64, &EventReport> = reports.iter().map(|r| (r.id, r)).collect();
        let mut merged = 0;
        for incident in &shared {
            let p: Vec<Prepared> = incident
                .members
                .iter()
                .map(|m| prepare(&c, by_id[&m.event_id]))
                .collect();
            for (n, a) in p.iter().enumerate() {
                for b in &p[n + 1..] {
                    assert!(link(&c, a, b).is_some(), "{} and {}", a.r.id, b.r.id);
                }
            }
            merged += incident.members.len() - 1;
        }
        assert!(merged > 500, "only {merged} reports merged");
    }
}
