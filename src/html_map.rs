//! A self-contained HTML map of events (`conflictdb export --format html-map`).
//!
//! Users often work offline, so the page makes no network request at all:
//! one file holds the map (an inline SVG), its country outlines, the event
//! data, the styles and a few lines of vanilla JavaScript for pan, zoom,
//! details and table sorting.
//!
//! The map uses an equirectangular projection whose horizontal scale is
//! corrected for the latitude of the events' centre (so the Levant or Yemen
//! keep their shape), fitted to the events' bounding box with a margin.
//! Country outlines come from Natural Earth 1:50m (public domain), embedded
//! at build time from `data/world-countries-50m.txt`; see that file's
//! header for its format and `NOTICE` for its origin. Only the countries
//! around the events are written into the page.
//!
//! Events are circles whose area is proportional to the number killed
//! (best estimate, else the middle of the reported range; a minimum size
//! for none or unknown), coloured by event type. Every piece of event text
//! is HTML-escaped where it is written; the event data for the details
//! panel is embedded as JSON in a `<script type="application/json">` block
//! with `<`, `>` and `&` written as `\u` escapes, so no value can close the
//! block, and it is shown with `textContent`, never as HTML. The page is
//! also well-formed XML (the scripts sit in CDATA-commented sections),
//! which the tests check.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// One event to put on the map. Events without coordinates are left out
/// by the caller; events whose coordinates are not finite or out of range
/// are skipped here.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MapEvent {
    /// The event's id in the database.
    pub id: i64,
    /// Date of the event (ISO `YYYY-MM-DD`, or coarser).
    pub date: Option<String>,
    /// Event type (`battles`, `explosions_remote_violence`, …): the colour.
    pub event_type: String,
    /// Event sub-type (`air_drone_strike`, …).
    pub sub_type: Option<String>,
    /// Name of the place.
    pub location: String,
    /// Country of the place.
    pub country: Option<String>,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Location precision as ACLED's geo-precision: 1 the place itself,
    /// 2 near it or in its district, 3 province or country. Events with 3
    /// get a dashed outline.
    pub precision: Option<i64>,
    /// Killed, best estimate.
    pub killed: Option<i64>,
    /// Killed, low end of the reported range.
    pub killed_low: Option<i64>,
    /// Killed, high end of the reported range.
    pub killed_high: Option<i64>,
    /// Wounded, best estimate.
    pub wounded: Option<i64>,
    /// Actors involved, as one display string.
    pub actors: Option<String>,
    /// Sources reporting the event, as one display string.
    pub sources: Option<String>,
    /// Number of reports (articles) about the event.
    pub reports: i64,
}

/// Width of the map's coordinate space (SVG user units, about pixels at
/// the page's full width).
const MAP_WIDTH: f64 = 1000.0;
/// Height of the map's coordinate space.
const MAP_HEIGHT: f64 = 640.0;
/// Room kept around the events' bounding box, in map units, so that the
/// outermost circles and their neighbourhood show.
const MAP_PADDING: f64 = 60.0;
/// Smallest extent of the fitted view, in degrees: a single event or a
/// single town still shows its surroundings.
const MIN_SPAN_DEG: f64 = 2.0;
/// Radius of an event with no or unknown killed, in map units.
const MIN_RADIUS: f64 = 4.0;
/// Radius of the event with the most killed, in map units.
const MAX_RADIUS: f64 = 28.0;

/// The embedded country outlines (Natural Earth 1:50m, public domain).
static WORLD: &str = include_str!("../data/world-countries-50m.txt");

/// A box on the globe: (min lon, min lat, max lon, max lat) in degrees.
type BBox = (f64, f64, f64, f64);

/// Whether two boxes overlap.
fn intersects(a: BBox, b: BBox) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
}

/// One closed outline (an island, a mainland, or a hole), in degrees.
struct Ring {
    points: Vec<(f64, f64)>,
    bbox: BBox,
}

/// One country's outline.
struct Country {
    name: &'static str,
    rings: Vec<Ring>,
    bbox: BBox,
}

/// The embedded outlines, parsed once. A malformed line (there is none)
/// would be skipped rather than fail the export.
fn countries() -> &'static [Country] {
    static COUNTRIES: OnceLock<Vec<Country>> = OnceLock::new();
    COUNTRIES.get_or_init(|| parse_countries(WORLD))
}

/// Parses the outline format described in the data file's header.
fn parse_countries(text: &'static str) -> Vec<Country> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, rings_text)) = line.split_once('\t') else {
            continue;
        };
        let mut rings = Vec::new();
        let mut country_bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for ring_text in rings_text.split('|') {
            let mut points = Vec::new();
            let mut bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            let (mut x, mut y) = (0i64, 0i64);
            for (i, point) in ring_text.split(' ').enumerate() {
                let Some((a, b)) = point.split_once(',') else {
                    continue;
                };
                let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                    continue;
                };
                if i == 0 {
                    (x, y) = (a, b);
                } else {
                    (x, y) = (x + a, y + b);
                }
                let (lon, lat) = (x as f64 / 100.0, y as f64 / 100.0);
                bbox = (
                    bbox.0.min(lon),
                    bbox.1.min(lat),
                    bbox.2.max(lon),
                    bbox.3.max(lat),
                );
                points.push((lon, lat));
            }
            if points.len() >= 3 {
                country_bbox = (
                    country_bbox.0.min(bbox.0),
                    country_bbox.1.min(bbox.1),
                    country_bbox.2.max(bbox.2),
                    country_bbox.3.max(bbox.3),
                );
                rings.push(Ring { points, bbox });
            }
        }
        if !rings.is_empty() {
            out.push(Country {
                name,
                rings,
                bbox: country_bbox,
            });
        }
    }
    out
}

/// Maps longitude/latitude to map units: equirectangular, with the
/// horizontal scale multiplied by the cosine of the centre latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Projection {
    lon0: f64,
    lat0: f64,
    cos0: f64,
    /// Map units per degree of latitude.
    scale: f64,
}

impl Projection {
    /// The projection that fits the bounding box of `points` (lon, lat)
    /// into the map, centred, with [`MAP_PADDING`] around it.
    fn fit(points: &[(f64, f64)]) -> Self {
        let (mut min_lon, mut min_lat, mut max_lon, mut max_lat) =
            (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(lon, lat) in points {
            min_lon = min_lon.min(lon);
            max_lon = max_lon.max(lon);
            min_lat = min_lat.min(lat);
            max_lat = max_lat.max(lat);
        }
        if points.is_empty() {
            (min_lon, min_lat, max_lon, max_lat) = (-180.0, -60.0, 180.0, 80.0);
        }
        let lon0 = (min_lon + max_lon) / 2.0;
        let lat0 = (min_lat + max_lat) / 2.0;
        let cos0 = lat0.to_radians().cos().max(0.2);
        let span_lon = (max_lon - min_lon).max(MIN_SPAN_DEG);
        let span_lat = (max_lat - min_lat).max(MIN_SPAN_DEG);
        let scale = ((MAP_WIDTH - 2.0 * MAP_PADDING) / (span_lon * cos0))
            .min((MAP_HEIGHT - 2.0 * MAP_PADDING) / span_lat);
        Self {
            lon0,
            lat0,
            cos0,
            scale,
        }
    }

    /// Map coordinates of a point.
    fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            MAP_WIDTH / 2.0 + (lon - self.lon0) * self.cos0 * self.scale,
            MAP_HEIGHT / 2.0 - (lat - self.lat0) * self.scale,
        )
    }

    /// The part of the globe the map shows before any zoom, as
    /// (min lon, min lat, max lon, max lat).
    fn view_bbox(&self) -> BBox {
        let half_lon = MAP_WIDTH / 2.0 / (self.cos0 * self.scale);
        let half_lat = MAP_HEIGHT / 2.0 / self.scale;
        (
            self.lon0 - half_lon,
            self.lat0 - half_lat,
            self.lon0 + half_lon,
            self.lat0 + half_lat,
        )
    }
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON for a `<script type="application/json">` block: `<`, `>` and `&`
/// become `\u` escapes (same value once parsed) so no string can end the
/// block or open a comment, and the page stays well-formed XML.
fn script_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string());
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A number in map units, with one decimal at most.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some("-0") => "0".to_string(),
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// An integer with thousands separators.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// The number killed that sizes an event's circle: the best estimate,
/// else the middle of the reported range, else whichever end is known.
fn killed_estimate(e: &MapEvent) -> Option<i64> {
    e.killed.or(match (e.killed_low, e.killed_high) {
        (Some(lo), Some(hi)) => Some((lo + hi) / 2),
        (lo, hi) => lo.or(hi),
    })
}

/// Killed as shown to readers: "12 (10–15)", "10–15", "12" or "unknown".
fn killed_text(e: &MapEvent) -> String {
    let range = match (e.killed_low, e.killed_high) {
        (Some(lo), Some(hi)) if lo != hi => Some(format!("{}–{}", thousands(lo), thousands(hi))),
        (Some(lo), None) => Some(format!("at least {}", thousands(lo))),
        (None, Some(hi)) => Some(format!("up to {}", thousands(hi))),
        _ => None,
    };
    match (e.killed, range) {
        (Some(best), Some(range)) => format!("{} ({range})", thousands(best)),
        (Some(best), None) => thousands(best),
        (None, Some(range)) => range,
        (None, None) => "unknown".to_string(),
    }
}

/// Colours of the ACLED event types the extractor produces; chosen to stay
/// apart from each other and from the map's land and sea.
const TYPE_COLORS: [(&str, &str); 6] = [
    ("battles", "#c0392b"),
    ("explosions_remote_violence", "#e67e22"),
    ("violence_against_civilians", "#8e44ad"),
    ("protests", "#2e86c1"),
    ("riots", "#138d75"),
    ("strategic_developments", "#5d6d7e"),
];
/// Colours for any other event type, in order of name.
const OTHER_COLORS: [&str; 6] = [
    "#b7950b", "#1f618d", "#a04000", "#27ae60", "#d81b60", "#6e2c00",
];

/// A readable name for an event type or sub-type code.
fn humanize(code: &str) -> String {
    match code {
        "explosions_remote_violence" => return "Explosions/remote violence".to_string(),
        "air_drone_strike" => return "Air/drone strike".to_string(),
        "shelling_artillery_missile_attack" => {
            return "Shelling/artillery/missile attack".to_string()
        }
        "remote_explosive_landmine_ied" => return "Remote explosive/landmine/IED".to_string(),
        "abduction_forced_disappearance" => return "Abduction/forced disappearance".to_string(),
        _ => {}
    }
    let text = code.trim().replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Unknown".to_string(),
    }
}

/// The colour of every event type present, known types first.
fn type_colors(events: &[&MapEvent]) -> BTreeMap<String, &'static str> {
    let mut colors = BTreeMap::new();
    let mut others: Vec<&str> = Vec::new();
    for e in events {
        let t = e.event_type.as_str();
        if let Some((_, c)) = TYPE_COLORS.iter().find(|(name, _)| *name == t) {
            colors.insert(t.to_string(), *c);
        } else if !others.contains(&t) {
            others.push(t);
        }
    }
    others.sort_unstable();
    for (i, t) in others.into_iter().enumerate() {
        colors.insert(t.to_string(), OTHER_COLORS[i % OTHER_COLORS.len()]);
    }
    colors
}

/// Radius of a circle for `killed` when the largest number on the map is
/// `max_killed`: area proportional to killed, never below [`MIN_RADIUS`].
fn radius(killed: Option<i64>, max_killed: i64) -> f64 {
    let k = (MAX_RADIUS / (max_killed.max(1) as f64).sqrt()).min(4.0);
    match killed {
        Some(n) if n > 0 => (k * (n as f64).sqrt()).max(MIN_RADIUS),
        _ => MIN_RADIUS,
    }
}

/// Whether a coordinate pair can be drawn.
fn valid_coords(e: &MapEvent) -> bool {
    e.lat.is_finite() && e.lon.is_finite() && e.lat.abs() <= 90.0 && e.lon.abs() <= 180.0
}

/// The SVG path data of the rings of a country that overlap `near`, or
/// `None` when nothing of it is left after projection and rounding.
fn country_path(country: &Country, proj: &Projection, near: BBox) -> Option<String> {
    let mut d = String::new();
    for ring in country.rings.iter().filter(|r| intersects(r.bbox, near)) {
        let mut points: Vec<(String, String)> = Vec::with_capacity(ring.points.len());
        for &(lon, lat) in &ring.points {
            let (x, y) = proj.project(lon, lat);
            let p = (num(x), num(y));
            if points.last() != Some(&p) {
                points.push(p);
            }
        }
        if points.len() < 3 {
            continue;
        }
        for (i, (x, y)) in points.iter().enumerate() {
            d.push(if i == 0 { 'M' } else { 'L' });
            d.push_str(x);
            d.push(',');
            d.push_str(y);
        }
        d.push('Z');
    }
    (!d.is_empty()).then_some(d)
}

/// Where to write a country's name: the centroid of its largest ring, if
/// that ring is wide enough on the map for a label and the point is in
/// view.
fn country_label(country: &Country, proj: &Projection, view: BBox) -> Option<(f64, f64)> {
    let ring = country.rings.iter().map(|r| &r.points).max_by(|a, b| {
        ring_area(a)
            .abs()
            .partial_cmp(&ring_area(b).abs())
            .unwrap_or(std::cmp::Ordering::Equal)
    })?;
    let (min_x, max_x) = ring
        .iter()
        .map(|&(lon, lat)| proj.project(lon, lat).0)
        .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let label_width = country.name.chars().count() as f64 * 7.5;
    if max_x - min_x < label_width.max(40.0) {
        return None;
    }
    let (lon, lat) = ring_centroid(ring)?;
    let margin_lon = (view.2 - view.0) * 0.04;
    let margin_lat = (view.3 - view.1) * 0.04;
    let inside = lon > view.0 + margin_lon
        && lon < view.2 - margin_lon
        && lat > view.1 + margin_lat
        && lat < view.3 - margin_lat;
    inside.then(|| proj.project(lon, lat))
}

/// Signed area of a ring in square degrees (shoelace formula).
fn ring_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (x0, y0) = ring[i];
            let (x1, y1) = ring[(i + 1) % n];
            x0 * y1 - x1 * y0
        })
        .sum::<f64>()
        / 2.0
}

/// Area-weighted centroid of a ring.
fn ring_centroid(ring: &[(f64, f64)]) -> Option<(f64, f64)> {
    let a = ring_area(ring);
    if a.abs() < 1e-12 {
        return None;
    }
    let n = ring.len();
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (x0, y0) = ring[i];
        let (x1, y1) = ring[(i + 1) % n];
        let f = x0 * y1 - x1 * y0;
        cx += (x0 + x1) * f;
        cy += (y0 + y1) * f;
    }
    Some((cx / (6.0 * a), cy / (6.0 * a)))
}

/// Renders a complete, self-contained HTML page titled `title` that maps
/// `events` (with a legend, a details panel and a sortable table below
/// the map).
///
/// Events must have coordinates: the caller leaves out those without;
/// any whose coordinates are not finite or out of range are skipped. The
/// page says how many events it shows; with none it is a valid page
/// saying there are no events with coordinates.
pub fn render_html_map(title: &str, events: &[MapEvent]) -> String {
    let shown: Vec<&MapEvent> = events.iter().filter(|e| valid_coords(e)).collect();
    let mut html = String::with_capacity(64 * 1024 + shown.len() * 1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    let _ = writeln!(html, "<title>{}</title>", escape(title));
    html.push_str("<style>");
    html.push_str(CSS);
    html.push_str("</style>\n</head>\n<body>\n<header>\n");
    let _ = writeln!(html, "<h1>{}</h1>", escape(title));
    html.push_str(&summary(&shown));
    html.push_str("</header>\n");

    if shown.is_empty() {
        html.push_str(
            "<main>\n<p class=\"empty\">There are no events with coordinates to map.</p>\n</main>\n",
        );
    } else {
        let colors = type_colors(&shown);
        html.push_str("<main>\n<div class=\"layout\">\n");
        html.push_str(&map_svg(&shown, &colors));
        html.push_str(&side_panel(&shown, &colors));
        html.push_str("</div>\n");
        html.push_str(&event_table(&shown, &colors));
        html.push_str("</main>\n");
        html.push_str("<script type=\"application/json\" id=\"event-data\">");
        let data: Vec<EventJson<'_>> = shown
            .iter()
            .map(|e| EventJson {
                event: e,
                type_label: humanize(&e.event_type),
                sub_type_label: e.sub_type.as_deref().map(humanize),
                killed_text: killed_text(e),
            })
            .collect();
        html.push_str(&script_json(&data));
        html.push_str("</script>\n<script>//<![CDATA[\n");
        html.push_str(JS);
        html.push_str("//]]>\n</script>\n");
    }
    html.push_str(
        "<footer>Made by conflictdb. Country outlines: Natural Earth 1:50m \
         (public domain). Event figures are as reported and may be \
         incomplete.</footer>\n</body>\n</html>\n",
    );
    html
}

/// An event as embedded for the details panel: its fields plus the labels
/// the page shows, worked out here once so page and table agree.
#[derive(serde::Serialize)]
struct EventJson<'a> {
    #[serde(flatten)]
    event: &'a MapEvent,
    type_label: String,
    sub_type_label: Option<String>,
    killed_text: String,
}

/// The line under the title: how many events are shown, their casualties
/// and dates.
fn summary(events: &[&MapEvent]) -> String {
    let n = events.len();
    let mut parts = vec![format!(
        "Showing {} event{} with coordinates",
        thousands(n as i64),
        if n == 1 { "" } else { "s" }
    )];
    if n > 0 {
        let killed: i64 = events.iter().filter_map(|e| e.killed).sum();
        let wounded: i64 = events.iter().filter_map(|e| e.wounded).sum();
        parts.push(format!("{} killed", thousands(killed)));
        parts.push(format!("{} wounded (best estimates)", thousands(wounded)));
        let mut dates = events.iter().filter_map(|e| e.date.as_deref());
        if let Some(first) = dates.next() {
            let (lo, hi) = dates.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d)));
            if lo == hi {
                parts.push(escape(lo));
            } else {
                parts.push(format!("{} to {}", escape(lo), escape(hi)));
            }
        }
    }
    format!("<p class=\"summary\">{}</p>\n", parts.join(" · "))
}

/// The inline SVG map: sea, countries, country names and event circles.
fn map_svg(events: &[&MapEvent], colors: &BTreeMap<String, &'static str>) -> String {
    let points: Vec<(f64, f64)> = events.iter().map(|e| (e.lon, e.lat)).collect();
    let proj = Projection::fit(&points);
    let view = proj.view_bbox();
    // Outlines within half a view around the view: what the page shows
    // zoomed out as far as it allows (half scale), and room to pan.
    let (w, h) = (view.2 - view.0, view.3 - view.1);
    let near = (
        view.0 - w / 2.0,
        view.1 - h / 2.0,
        view.2 + w / 2.0,
        view.3 + h / 2.0,
    );

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<div class=\"map-wrap\">\n<svg id=\"map\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Map of {} events\">",
        num(MAP_WIDTH),
        num(MAP_HEIGHT),
        events.len()
    );
    svg.push_str("<g class=\"countries\">\n");
    let mut labels = Vec::new();
    for country in countries() {
        if !intersects(country.bbox, near) {
            continue;
        }
        if let Some(d) = country_path(country, &proj, near) {
            let _ = writeln!(
                svg,
                "<path d=\"{d}\"><title>{}</title></path>",
                escape(country.name)
            );
        }
        if let Some(at) = country_label(country, &proj, view) {
            labels.push((country.name, at));
        }
    }
    svg.push_str("</g>\n<g class=\"country-labels\">\n");
    for (name, (x, y)) in labels {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(y),
            escape(name)
        );
    }
    svg.push_str("</g>\n<g class=\"events\">\n");

    let max_killed = events
        .iter()
        .filter_map(|e| killed_estimate(e))
        .max()
        .unwrap_or(0);
    // Largest circles first, so smaller ones stay on top and clickable.
    let mut order: Vec<(usize, f64)> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (i, radius(killed_estimate(e), max_killed)))
        .collect();
    order.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    for (i, r) in order {
        let e = events[i];
        let (x, y) = proj.project(e.lon, e.lat);
        let color = colors.get(&e.event_type).copied().unwrap_or("#555");
        let approx = if e.precision.is_some_and(|p| p >= 3) {
            " approx"
        } else {
            ""
        };
        let _ = writeln!(
            svg,
            "<circle class=\"ev{approx}\" data-i=\"{i}\" cx=\"{}\" cy=\"{}\" r=\"{}\" \
             data-r=\"{}\" fill=\"{color}\"><title>{}</title></circle>",
            num(x),
            num(y),
            num(r),
            num(r),
            escape(&tooltip(e))
        );
    }
    svg.push_str("</g>\n</svg>\n");
    svg.push_str(
        "<div class=\"controls\"><button type=\"button\" id=\"zoom-in\" title=\"Zoom in\">+</button>\
         <button type=\"button\" id=\"zoom-out\" title=\"Zoom out\">−</button>\
         <button type=\"button\" id=\"zoom-reset\" title=\"Back to all events\">⤢</button></div>\n",
    );
    svg.push_str(
        "<p class=\"hint\">Scroll to zoom, drag to pan, click a circle for details.</p>\n</div>\n",
    );
    svg
}

/// The circle's tooltip: date, type, place and killed, one per line.
fn tooltip(e: &MapEvent) -> String {
    let mut t = String::new();
    if let Some(d) = &e.date {
        t.push_str(d);
        t.push_str(" · ");
    }
    t.push_str(&humanize(&e.event_type));
    t.push('\n');
    t.push_str(&e.location);
    if let Some(c) = &e.country {
        t.push_str(", ");
        t.push_str(c);
    }
    t.push_str("\nKilled: ");
    t.push_str(&killed_text(e));
    t
}

/// Values for the circle-size legend, largest first: the largest round
/// number (1, 2 or 5 times a power of ten) not above `max_killed`, one
/// about a fifth of it or less, and 1.
fn legend_sizes(max_killed: i64) -> Vec<i64> {
    let round_at_most = |v: i64| -> Option<i64> {
        let mut best = None;
        let mut p = 1i64;
        while p <= v {
            for m in [1, 2, 5] {
                if m * p <= v {
                    best = Some(m * p);
                }
            }
            p = p.saturating_mul(10);
        }
        best
    };
    let mut sizes = Vec::new();
    if let Some(top) = round_at_most(max_killed) {
        sizes.push(top);
        if let Some(mid) = round_at_most(top / 5).filter(|m| *m > 1) {
            sizes.push(mid);
        }
        if top > 1 {
            sizes.push(1);
        }
    }
    sizes
}

/// The column beside the map: the legend (types and circle sizes) and the
/// details panel.
fn side_panel(events: &[&MapEvent], colors: &BTreeMap<String, &'static str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in events {
        *counts.entry(e.event_type.as_str()).or_default() += 1;
    }
    let mut s = String::from(
        "<aside class=\"side\">\n<section class=\"legend\">\n<h2>Event types</h2>\n<ul>\n",
    );
    for (t, color) in colors {
        let _ = writeln!(
            s,
            "<li><span class=\"swatch\" style=\"background:{color}\"></span>{} <span class=\"count\">{}</span></li>",
            escape(&humanize(t)),
            counts.get(t.as_str()).copied().unwrap_or(0)
        );
    }
    s.push_str("</ul>\n");

    // Size legend: up to three round numbers (1, 2 or 5 times a power of
    // ten) spread over the range, largest first, as a column of circles.
    let max_killed = events
        .iter()
        .filter_map(|e| killed_estimate(e))
        .max()
        .unwrap_or(0);
    s.push_str("<h2>Killed</h2>\n");
    let sizes = legend_sizes(max_killed);
    if sizes.is_empty() {
        s.push_str("<p class=\"note\">No event reports a number killed.</p>\n");
    } else {
        let big = radius(sizes.first().copied(), max_killed);
        let rows: Vec<(i64, f64)> = sizes
            .iter()
            .map(|v| (*v, radius(Some(*v), max_killed)))
            .collect();
        let height: f64 = rows.iter().map(|(_, r)| 2.0 * r + 6.0).sum();
        let width = 2.0 * big + 110.0;
        let _ = write!(
            s,
            "<svg class=\"sizes\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">",
            num(width),
            num(height),
            num(width),
            num(height)
        );
        let mut y = 0.0;
        for (v, r) in rows {
            let cy = y + r + 3.0;
            let _ = write!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" /><text x=\"{}\" y=\"{}\">{} killed</text>",
                num(big + 1.0),
                num(cy),
                num(r),
                num(2.0 * big + 12.0),
                num(cy),
                thousands(v)
            );
            y += 2.0 * r + 6.0;
        }
        s.push_str("</svg>\n");
    }
    s.push_str(
        "<p class=\"note\">Circle area is proportional to the number killed; \
         the smallest circles are events with none or no figure. A dashed \
         outline marks an approximate location (province or country).</p>\n</section>\n",
    );
    s.push_str(
        "<section id=\"details\" class=\"details\" aria-live=\"polite\">\n<h2>Details</h2>\n\
         <p class=\"note\">Hover over or click an event on the map or in the table.</p>\n</section>\n</aside>\n",
    );
    s
}

/// The table of events under the map; the columns sort on click.
fn event_table(events: &[&MapEvent], colors: &BTreeMap<String, &'static str>) -> String {
    let mut s = String::from(
        "<section class=\"table-wrap\">\n<h2>Events</h2>\n<table id=\"events-table\">\n<thead><tr>\
         <th data-type=\"num\">#</th><th>Date</th><th>Type</th><th>Place</th><th>Country</th>\
         <th data-type=\"num\">Killed</th><th data-type=\"num\">Wounded</th><th>Actors</th>\
         <th>Sources</th><th data-type=\"num\">Reports</th></tr></thead>\n<tbody>\n",
    );
    for (i, e) in events.iter().enumerate() {
        let color = colors.get(&e.event_type).copied().unwrap_or("#555");
        let sub = e
            .sub_type
            .as_deref()
            .map(|t| format!("<br /><span class=\"sub\">{}</span>", escape(&humanize(t))))
            .unwrap_or_default();
        let opt = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
        let _ = writeln!(
            s,
            "<tr data-i=\"{i}\"><td data-v=\"{id}\">{id}</td><td>{date}</td>\
             <td><span class=\"swatch\" style=\"background:{color}\"></span>{ty}{sub}</td>\
             <td>{place}</td><td>{country}</td>\
             <td data-v=\"{kv}\">{killed}</td><td data-v=\"{wv}\">{wounded}</td>\
             <td>{actors}</td><td>{sources}</td><td data-v=\"{reports}\">{reports}</td></tr>",
            id = e.id,
            date = opt(&e.date),
            ty = escape(&humanize(&e.event_type)),
            place = escape(&e.location),
            country = opt(&e.country),
            kv = killed_estimate(e).unwrap_or(-1),
            killed = escape(&killed_text(e)),
            wv = e.wounded.unwrap_or(-1),
            wounded = e.wounded.map(thousands).unwrap_or_default(),
            actors = opt(&e.actors),
            sources = opt(&e.sources),
            reports = e.reports,
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
    s
}

/// The page's styles.
const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #5f6670; --line: #d8dde3; --sea: #dce9f2; --land: #f4f1ea; --border: #a9a294; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
header { padding: 14px 20px 6px; }
h1 { font-size: 21px; margin: 0 0 2px; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 6px; }
.summary { margin: 0; color: var(--muted); }
main { padding: 6px 20px 20px; }
.empty { padding: 40px 0; font-size: 16px; color: var(--muted); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 16px; align-items: start; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
.map-wrap { position: relative; }
#map { display: block; width: 100%; height: auto; aspect-ratio: 1000 / 640; background: var(--sea); border: 1px solid var(--line); border-radius: 4px; cursor: grab; touch-action: none; user-select: none; }
#map.dragging { cursor: grabbing; }
.countries path { fill: var(--land); stroke: var(--border); stroke-width: .8; stroke-linejoin: round; fill-rule: evenodd; vector-effect: non-scaling-stroke; }
.country-labels text { fill: #8d8679; font-size: 11px; letter-spacing: .08em; text-transform: uppercase; text-anchor: middle; pointer-events: none; }
circle.ev { fill-opacity: .72; stroke: #fff; stroke-width: 1; vector-effect: non-scaling-stroke; cursor: pointer; }
circle.ev.approx { stroke: #333; stroke-dasharray: 3 2; }
circle.ev:hover { fill-opacity: .95; stroke: #111; }
circle.ev.sel { fill-opacity: 1; stroke: #000; stroke-width: 2.5; stroke-dasharray: none; }
.controls { position: absolute; top: 10px; left: 10px; display: flex; flex-direction: column; gap: 4px; }
.controls button { width: 30px; height: 30px; font-size: 17px; line-height: 1; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink); cursor: pointer; }
.controls button:hover { background: #f0f3f6; }
.hint { margin: 4px 0 0; font-size: 12px; color: var(--muted); }
.side { display: flex; flex-direction: column; gap: 14px; }
.legend ul { list-style: none; margin: 0 0 10px; padding: 0; }
.legend li { display: flex; align-items: center; gap: 8px; padding: 1px 0; }
.legend .count { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; flex: none; margin-right: 5px; vertical-align: -1px; }
.legend li .swatch { margin-right: 0; }
svg.sizes circle { fill: #9aa3ad; fill-opacity: .5; stroke: #5f6670; stroke-width: 1; }
svg.sizes text { font-size: 11px; fill: var(--muted); dominant-baseline: middle; }
.note { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
.details { border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; min-height: 120px; }
.details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
.details dt { color: var(--muted); }
.details dd { margin: 0; overflow-wrap: anywhere; }
.details .title { font-weight: 600; margin: 0 0 6px; }
.table-wrap { margin-top: 22px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { position: sticky; top: 0; background: #f6f8fa; cursor: pointer; white-space: nowrap; user-select: none; }
th[data-type="num"], td[data-v] { text-align: right; font-variant-numeric: tabular-nums; }
th.asc::after { content: " ▲"; font-size: 10px; }
th.desc::after { content: " ▼"; font-size: 10px; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f6f8fa; }
tbody tr.sel { background: #fff4d6; }
td .sub { color: var(--muted); font-size: 12px; }
footer { padding: 10px 20px 20px; font-size: 12px; color: var(--muted); }
"#;

/// Pan and zoom of the map (by changing its viewBox), the details panel,
/// and table sorting. It sits in a CDATA section (commented out for HTML)
/// so its `<` and `&` keep the page well-formed XML; it must not contain
/// the CDATA end marker.
const JS: &str = r##"
(function () {
  "use strict";
  var svg = document.getElementById("map");
  var dataEl = document.getElementById("event-data");
  if (!svg || !dataEl) return;
  var events = JSON.parse(dataEl.textContent);
  var home = { x: 0, y: 0, w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height };
  var vb = { x: home.x, y: home.y, w: home.w, h: home.h };
  var circles = Array.prototype.slice.call(svg.querySelectorAll("circle.ev"));
  var labels = Array.prototype.slice.call(svg.querySelectorAll(".country-labels text"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("#events-table tbody tr"));
  var byIndex = {};
  circles.forEach(function (c) { byIndex[c.getAttribute("data-i")] = c; });
  var pinned = null;

  function apply() {
    svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h);
    var k = home.w / vb.w;
    circles.forEach(function (c) { c.setAttribute("r", c.getAttribute("data-r") / k); });
    labels.forEach(function (t) { t.style.fontSize = (11 / k) + "px"; });
  }
  function toMap(clientX, clientY) {
    var m = svg.getScreenCTM();
    if (!m) return { x: vb.x + vb.w / 2, y: vb.y + vb.h / 2 };
    var p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  }
  function zoom(factor, at) {
    var k = home.w / vb.w;
    var next = Math.min(400, Math.max(0.5, k * factor));
    factor = next / k;
    vb.x = at.x - (at.x - vb.x) / factor;
    vb.y = at.y - (at.y - vb.y) / factor;
    vb.w /= factor;
    vb.h /= factor;
    apply();
  }
  function centre() { return { x: vb.x + vb.w / 2, y: vb.y + vb.h / 2 }; }

  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoom(Math.pow(1.0015, -e.deltaY * (e.deltaMode === 1 ? 30 : 1)), toMap(e.clientX, e.clientY));
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, vx: vb.x, vy: vb.y, moved: false, id: e.pointerId };
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      try { svg.setPointerCapture(drag.id); } catch (err) { /* pointer already gone */ }
      svg.classList.add("dragging");
    }
    if (!drag.moved) return;
    var m = svg.getScreenCTM();
    var unit = m ? 1 / m.a : 1;
    vb.x = drag.vx - dx * unit;
    vb.y = drag.vy - dy * unit;
    apply();
  });
  function endDrag(e) {
    if (!drag) return;
    var moved = drag.moved;
    drag = null;
    svg.classList.remove("dragging");
    if (moved) {
      svg.addEventListener("click", function stop(ev) { ev.stopPropagation(); ev.preventDefault(); }, { capture: true, once: true });
    } else if (e.type === "pointerup" && !(e.target.classList && e.target.classList.contains("ev"))) {
      unpin();
    }
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  document.getElementById("zoom-in").addEventListener("click", function () { zoom(2, centre()); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(0.5, centre()); });
  document.getElementById("zoom-reset").addEventListener("click", function () {
    vb = { x: home.x, y: home.y, w: home.w, h: home.h };
    apply();
  });

  function fmt(n) { return n === null || n === undefined ? null : Number(n).toLocaleString("en"); }
  var precisionText = { 1: "the place itself", 2: "near the place or in its district", 3: "province or country only" };
  var details = document.getElementById("details");
  function show(i) {
    var e = events[i];
    if (!e) return;
    details.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "Details";
    details.appendChild(h);
    var t = document.createElement("p");
    t.className = "title";
    t.textContent = e.location + (e.country ? ", " + e.country : "");
    details.appendChild(t);
    var dl = document.createElement("dl");
    [
      ["Date", e.date],
      ["Type", e.type_label],
      ["Sub-type", e.sub_type_label],
      ["Killed", e.killed_text],
      ["Wounded", fmt(e.wounded)],
      ["Actors", e.actors],
      ["Sources", e.sources],
      ["Reports", fmt(e.reports)],
      ["Location", e.precision ? (precisionText[e.precision] || "precision " + e.precision) : null],
      ["Coordinates", e.lat.toFixed(3) + ", " + e.lon.toFixed(3)],
      ["Event id", String(e.id)]
    ].forEach(function (kv) {
      if (kv[1] === null || kv[1] === undefined || kv[1] === "") return;
      var dt = document.createElement("dt");
      dt.textContent = kv[0];
      var dd = document.createElement("dd");
      dd.textContent = kv[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    details.appendChild(dl);
  }
  function select(i) {
    circles.forEach(function (c) { c.classList.remove("sel"); });
    rows.forEach(function (r) { r.classList.remove("sel"); });
    if (i === null) return;
    var c = byIndex[i];
    if (c) { c.classList.add("sel"); c.parentNode.appendChild(c); }
    rows.forEach(function (r) { if (r.getAttribute("data-i") === String(i)) r.classList.add("sel"); });
  }
  function pin(i) { pinned = i; select(i); show(i); }
  function unpin() { pinned = null; select(null); }

  circles.forEach(function (c) {
    var i = c.getAttribute("data-i");
    c.addEventListener("mouseenter", function () { if (pinned === null) show(i); });
    c.addEventListener("click", function (e) { e.stopPropagation(); pin(i); });
  });
  rows.forEach(function (r) {
    var i = r.getAttribute("data-i");
    r.addEventListener("mouseenter", function () { if (pinned === null) show(i); });
    r.addEventListener("click", function () {
      pin(i);
      var c = byIndex[i];
      if (!c) return;
      var x = +c.getAttribute("cx"), y = +c.getAttribute("cy");
      if (x < vb.x || x > vb.x + vb.w || y < vb.y || y > vb.y + vb.h) {
        vb.x = x - vb.w / 2;
        vb.y = y - vb.h / 2;
        apply();
      }
      svg.scrollIntoView({ block: "nearest", behavior: "smooth" });
    });
  });

  var headers = Array.prototype.slice.call(document.querySelectorAll("#events-table th"));
  headers.forEach(function (th, col) {
    th.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var asc = !th.classList.contains("asc");
      headers.forEach(function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(asc ? "asc" : "desc");
      var body = document.querySelector("#events-table tbody");
      var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
        var ca = a.cells[col], cb = b.cells[col], r;
        if (numeric) r = Number(ca.getAttribute("data-v")) - Number(cb.getAttribute("data-v"));
        else r = ca.textContent.localeCompare(cb.textContent);
        return asc ? r : -r;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    /// A sample event at `lat`, `lon`.
    fn event(id: i64, location: &str, lat: f64, lon: f64) -> MapEvent {
        MapEvent {
            id,
            date: Some("2024-10-07".to_string()),
            event_type: "explosions_remote_violence".to_string(),
            sub_type: Some("air_drone_strike".to_string()),
            location: location.to_string(),
            country: Some("Lebanon".to_string()),
            lat,
            lon,
            precision: Some(1),
            killed: Some(3),
            killed_low: Some(2),
            killed_high: Some(5),
            wounded: Some(7),
            actors: Some("Israeli Air Force".to_string()),
            sources: Some("NNA".to_string()),
            reports: 2,
        }
    }

    /// Parses the page as XML (it is written to be well formed).
    fn parse(html: &str) -> roxmltree::Document<'_> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        match roxmltree::Document::parse_with_options(html, opts) {
            Ok(doc) => doc,
            Err(e) => panic!("page is not well formed: {e}"),
        }
    }

    fn event_circles<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
        doc.descendants()
            .filter(|n| n.has_tag_name("circle"))
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|w| w == "ev"))
            })
            .collect()
    }

    fn attr_f64(n: &roxmltree::Node<'_, '_>, name: &str) -> f64 {
        n.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    }

    #[test]
    fn event_text_is_escaped() {
        let mut e = event(1, "<script>alert('x')</script> & \"co\"", 33.89, 35.5);
        e.actors = Some("</script><script>alert(1)</script>".to_string());
        e.sources = Some("<!-- <b>bold</b>".to_string());
        e.event_type = "<img src=x onerror=alert(1)>".to_string();
        let html = render_html_map("Title <b>& more</b>", &[e]);
        // Only the page's own two script elements.
        assert_eq!(html.matches("<script").count(), 2, "{html}");
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>"));
        assert!(!html.contains("<!-- <b>"));
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;")
        );
        assert!(html.contains("<title>Title &lt;b&gt;&amp; more&lt;/b&gt;</title>"));
        // The JSON block is intact and gives back the original text.
        let doc = parse(&html);
        let data = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("event-data"))
            .and_then(|n| n.text())
            .unwrap_or("");
        let parsed: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(
            parsed[0]["location"],
            "<script>alert('x')</script> & \"co\""
        );
        assert_eq!(parsed[0]["actors"], "</script><script>alert(1)</script>");
        assert!(!data.contains('<') && !data.contains('&'));
    }

    #[test]
    fn one_circle_per_event_with_valid_coordinates() {
        let events = vec![
            event(1, "Beirut", 33.89, 35.50),
            event(2, "Tyre", 33.27, 35.20),
            event(3, "Baalbek", 34.01, 36.21),
            event(4, "Nowhere", f64::NAN, 35.0),
            event(5, "Off the globe", 95.0, 35.0),
        ];
        let html = render_html_map("Lebanon", &events);
        let doc = parse(&html);
        let circles = event_circles(&doc);
        assert_eq!(circles.len(), 3);
        assert!(html.contains("Showing 3 events with coordinates"));
        let rows = doc
            .descendants()
            .filter(|n| n.has_tag_name("tr") && n.attribute("data-i").is_some())
            .count();
        assert_eq!(rows, 3);
        // Every circle has a tooltip naming its place.
        let titles: Vec<&str> = circles
            .iter()
            .filter_map(|c| c.children().find(|n| n.has_tag_name("title")))
            .filter_map(|t| t.text())
            .collect();
        assert!(titles.iter().any(|t| t.contains("Baalbek")));
        assert_eq!(titles.len(), 3);
    }

    #[test]
    fn the_map_is_fitted_to_the_events() {
        // Aleppo (north), Homs, Damascus, Beirut (west), Deir ez-Zor (east).
        let events = vec![
            event(1, "Aleppo", 36.20, 37.16),
            event(2, "Homs", 34.73, 36.72),
            event(3, "Damascus", 33.51, 36.29),
            event(4, "Beirut", 33.89, 35.50),
            event(5, "Deir ez-Zor", 35.34, 40.14),
        ];
        let html = render_html_map("Syria", &events);
        let doc = parse(&html);
        let pos: BTreeMap<String, (f64, f64)> = event_circles(&doc)
            .iter()
            .map(|c| {
                let i: usize = c
                    .attribute("data-i")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                (
                    events[i].location.clone(),
                    (attr_f64(c, "cx"), attr_f64(c, "cy")),
                )
            })
            .collect();
        let (xs, ys): (Vec<f64>, Vec<f64>) = pos.values().copied().unzip();
        let (min_x, max_x) = (
            xs.iter().copied().fold(f64::MAX, f64::min),
            xs.iter().copied().fold(f64::MIN, f64::max),
        );
        let (min_y, max_y) = (
            ys.iter().copied().fold(f64::MAX, f64::min),
            ys.iter().copied().fold(f64::MIN, f64::max),
        );
        // Everything inside the map, with the padding kept.
        assert!(min_x >= MAP_PADDING - 0.1 && max_x <= MAP_WIDTH - MAP_PADDING + 0.1);
        assert!(min_y >= MAP_PADDING - 0.1 && max_y <= MAP_HEIGHT - MAP_PADDING + 0.1);
        // Fitted: the box fills the map in one direction, centred in both.
        let fills_x = (max_x - min_x - (MAP_WIDTH - 2.0 * MAP_PADDING)).abs() < 1.0;
        let fills_y = (max_y - min_y - (MAP_HEIGHT - 2.0 * MAP_PADDING)).abs() < 1.0;
        assert!(fills_x || fills_y, "{min_x} {max_x} {min_y} {max_y}");
        assert!(((min_x + max_x) / 2.0 - MAP_WIDTH / 2.0).abs() < 1.0);
        assert!(((min_y + max_y) / 2.0 - MAP_HEIGHT / 2.0).abs() < 1.0);
        // Geography: north is up, east is right.
        assert!(pos["Aleppo"].1 < pos["Homs"].1);
        assert!(pos["Homs"].1 < pos["Damascus"].1);
        assert!(pos["Beirut"].0 < pos["Damascus"].0);
        assert!(pos["Deir ez-Zor"].0 > pos["Aleppo"].0);
        // Neighbouring countries are drawn, far ones are not.
        let countries: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .filter_map(|p| p.children().find(|n| n.has_tag_name("title")))
            .filter_map(|t| t.text())
            .collect();
        for near in ["Syria", "Lebanon", "Turkey", "Iraq", "Jordan", "Israel"] {
            assert!(countries.contains(&near), "{near} missing: {countries:?}");
        }
        assert!(!countries.contains(&"Brazil"));
    }

    #[test]
    fn a_single_event_shows_its_surroundings() {
        let html = render_html_map("One", &[event(1, "Beirut", 33.89, 35.50)]);
        let doc = parse(&html);
        let circles = event_circles(&doc);
        assert_eq!(circles.len(), 1);
        assert!((attr_f64(&circles[0], "cx") - MAP_WIDTH / 2.0).abs() < 0.1);
        assert!((attr_f64(&circles[0], "cy") - MAP_HEIGHT / 2.0).abs() < 0.1);
        assert!(html.contains("Showing 1 event with coordinates"));
        assert!(html.contains("<title>Lebanon</title>"));
    }

    #[test]
    fn empty_list_gives_a_page_saying_so() {
        let html = render_html_map("Nothing", &[]);
        let doc = parse(&html);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("There are no events with coordinates to map."));
        assert!(html.contains("Showing 0 events with coordinates"));
        assert!(event_circles(&doc).is_empty());
        assert!(!html.contains("<script"));
    }

    #[test]
    fn circles_grow_with_killed() {
        let mut small = event(1, "A", 33.0, 35.0);
        small.killed = Some(1);
        let mut big = event(2, "B", 34.0, 36.0);
        big.killed = Some(100);
        let mut unknown = event(3, "C", 33.5, 35.5);
        (unknown.killed, unknown.killed_low, unknown.killed_high) = (None, None, None);
        let html = render_html_map("Sizes", &[small, big, unknown]);
        let doc = parse(&html);
        let r: BTreeMap<String, f64> = event_circles(&doc)
            .iter()
            .map(|c| {
                (
                    c.attribute("data-i").unwrap_or("").to_string(),
                    attr_f64(c, "r"),
                )
            })
            .collect();
        assert!((r["1"] - MAX_RADIUS).abs() < 0.1);
        assert!((r["2"] - MIN_RADIUS).abs() < 0.1);
        assert!(r["0"] >= MIN_RADIUS && r["0"] < r["1"]);
        // Area ∝ killed: 100 killed has 100× the area of 1 killed, unless
        // the minimum radius applies.
        assert!((radius(Some(100), 100) / radius(Some(25), 100) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn figures_and_names_read_well() {
        let mut e = event(1, "x", 0.0, 0.0);
        assert_eq!(killed_text(&e), "3 (2–5)");
        e.killed = None;
        assert_eq!(killed_text(&e), "2–5");
        assert_eq!(killed_estimate(&e), Some(3));
        e.killed_high = None;
        assert_eq!(killed_text(&e), "at least 2");
        e.killed_low = None;
        assert_eq!(killed_text(&e), "unknown");
        assert_eq!(
            humanize("violence_against_civilians"),
            "Violence against civilians"
        );
        assert_eq!(
            humanize("explosions_remote_violence"),
            "Explosions/remote violence"
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(-0.01), "0");
        assert_eq!(legend_sizes(84), vec![50, 10, 1]);
        assert_eq!(legend_sizes(3), vec![2, 1]);
        assert_eq!(legend_sizes(1), vec![1]);
        assert!(legend_sizes(0).is_empty());
    }

    #[test]
    fn embedded_outlines_parse() {
        let all = countries();
        assert!(all.len() > 200, "{} countries", all.len());
        let syria = all.iter().find(|c| c.name == "Syria").map(|c| c.bbox);
        let (min_lon, min_lat, max_lon, max_lat) = syria.unwrap_or_default();
        assert!((35.5..36.0).contains(&min_lon) && (42.0..42.5).contains(&max_lon));
        assert!((32.2..32.5).contains(&min_lat) && (37.2..37.5).contains(&max_lat));
    }

    /// Writes a sample map to `$CONFLICTDB_SAMPLE_DIR` (default: the
    /// temporary directory) to look at, e.g. with `scripts/screenshot.sh`:
    /// `cargo test --lib html_map::tests::write_sample -- --ignored`.
    #[test]
    #[ignore]
    fn write_sample() {
        let dir = std::env::var_os("CONFLICTDB_SAMPLE_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        std::fs::write(
            dir.join("map.html"),
            render_html_map("Sample events, October 2024", &sample_events()),
        )
        .unwrap();
        std::fs::write(
            dir.join("map-empty.html"),
            render_html_map("No events", &[]),
        )
        .unwrap();
        let gaza: Vec<MapEvent> = sample_events()
            .into_iter()
            .filter(|e| e.country.as_deref() == Some("Palestine"))
            .collect();
        std::fs::write(dir.join("map-gaza.html"), render_html_map("Gaza", &gaza)).unwrap();
    }

    /// About 30 events at real places in Syria, Lebanon, Iraq, Yemen and
    /// Gaza.
    fn sample_events() -> Vec<MapEvent> {
        #[allow(clippy::type_complexity)]
        let rows: [(
            &str,
            &str,
            f64,
            f64,
            &str,
            &str,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            i64,
        ); 30] = [
            (
                "Beirut (Dahieh)",
                "Lebanon",
                33.853,
                35.505,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(22),
                Some(117),
                Some(1),
                5,
            ),
            (
                "Tyre",
                "Lebanon",
                33.273,
                35.194,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(11),
                Some(29),
                Some(1),
                3,
            ),
            (
                "Nabatieh",
                "Lebanon",
                33.378,
                35.484,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(16),
                Some(52),
                Some(1),
                4,
            ),
            (
                "Baalbek",
                "Lebanon",
                34.006,
                36.211,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(9),
                Some(20),
                Some(1),
                2,
            ),
            (
                "Bint Jbeil",
                "Lebanon",
                33.120,
                35.433,
                "battles",
                "armed_clash",
                Some(4),
                None,
                Some(2),
                2,
            ),
            (
                "Khiam",
                "Lebanon",
                33.326,
                35.612,
                "battles",
                "armed_clash",
                None,
                None,
                Some(1),
                1,
            ),
            (
                "Tripoli",
                "Lebanon",
                34.437,
                35.850,
                "protests",
                "peaceful_protest",
                Some(0),
                Some(0),
                Some(1),
                1,
            ),
            (
                "Aleppo",
                "Syria",
                36.202,
                37.134,
                "battles",
                "non_state_actor_overtakes_territory",
                Some(61),
                Some(90),
                Some(1),
                7,
            ),
            (
                "Homs",
                "Syria",
                34.731,
                36.710,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(3),
                Some(10),
                Some(1),
                1,
            ),
            (
                "Hama",
                "Syria",
                35.131,
                36.758,
                "battles",
                "armed_clash",
                Some(18),
                None,
                Some(1),
                3,
            ),
            (
                "Idlib",
                "Syria",
                35.930,
                36.634,
                "explosions_remote_violence",
                "shelling_artillery_missile_attack",
                Some(7),
                Some(21),
                Some(1),
                2,
            ),
            (
                "Damascus (Mezzeh)",
                "Syria",
                33.503,
                36.250,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(5),
                Some(12),
                Some(1),
                2,
            ),
            (
                "Deir ez-Zor",
                "Syria",
                35.336,
                40.141,
                "violence_against_civilians",
                "attack",
                Some(2),
                None,
                Some(1),
                1,
            ),
            (
                "Al-Bukamal",
                "Syria",
                34.453,
                40.918,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(12),
                Some(6),
                Some(1),
                2,
            ),
            (
                "Raqqa governorate",
                "Syria",
                35.950,
                39.010,
                "strategic_developments",
                "arrests",
                None,
                None,
                Some(3),
                1,
            ),
            (
                "Baghdad",
                "Iraq",
                33.315,
                44.366,
                "protests",
                "peaceful_protest",
                Some(0),
                None,
                Some(1),
                2,
            ),
            (
                "Erbil",
                "Iraq",
                36.191,
                44.009,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(0),
                Some(0),
                Some(1),
                1,
            ),
            (
                "Mosul",
                "Iraq",
                36.340,
                43.130,
                "violence_against_civilians",
                "abduction_forced_disappearance",
                None,
                None,
                Some(2),
                1,
            ),
            (
                "Al-Qaim",
                "Iraq",
                34.370,
                41.095,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(4),
                Some(3),
                Some(1),
                1,
            ),
            (
                "Sanaa",
                "Yemen",
                15.369,
                44.191,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(9),
                Some(41),
                Some(1),
                3,
            ),
            (
                "Hodeidah",
                "Yemen",
                14.798,
                42.954,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(6),
                Some(57),
                Some(1),
                4,
            ),
            (
                "Saada",
                "Yemen",
                16.940,
                43.764,
                "explosions_remote_violence",
                "shelling_artillery_missile_attack",
                Some(2),
                Some(3),
                Some(1),
                1,
            ),
            (
                "Marib",
                "Yemen",
                15.462,
                45.325,
                "battles",
                "armed_clash",
                Some(14),
                Some(9),
                Some(2),
                2,
            ),
            (
                "Taiz",
                "Yemen",
                13.579,
                44.021,
                "violence_against_civilians",
                "attack",
                Some(3),
                Some(4),
                Some(1),
                1,
            ),
            (
                "Gaza City",
                "Palestine",
                31.502,
                34.467,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(84),
                Some(140),
                Some(1),
                9,
            ),
            (
                "Jabalia",
                "Palestine",
                31.528,
                34.483,
                "explosions_remote_violence",
                "shelling_artillery_missile_attack",
                Some(47),
                Some(95),
                Some(1),
                6,
            ),
            (
                "Khan Younis",
                "Palestine",
                31.344,
                34.306,
                "battles",
                "armed_clash",
                Some(21),
                Some(33),
                Some(1),
                4,
            ),
            (
                "Rafah",
                "Palestine",
                31.297,
                34.245,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(13),
                Some(25),
                Some(1),
                3,
            ),
            (
                "Deir al-Balah",
                "Palestine",
                31.418,
                34.351,
                "violence_against_civilians",
                "attack",
                Some(5),
                Some(8),
                Some(1),
                2,
            ),
            (
                "Nuseirat camp",
                "Palestine",
                31.449,
                34.393,
                "explosions_remote_violence",
                "air_drone_strike",
                Some(30),
                None,
                Some(1),
                5,
            ),
        ];
        rows.iter()
            .enumerate()
            .map(|(i, r)| MapEvent {
                id: 100 + i as i64,
                date: Some(format!("2024-10-{:02}", 1 + (i * 7) % 30)),
                event_type: r.4.to_string(),
                sub_type: Some(r.5.to_string()),
                location: r.0.to_string(),
                country: Some(r.1.to_string()),
                lat: r.2,
                lon: r.3,
                precision: r.8,
                killed: r.6,
                killed_low: r.6.map(|k| k * 8 / 10),
                killed_high: r.6.map(|k| k * 12 / 10 + 1),
                wounded: r.7,
                actors: Some(
                    match r.1 {
                        "Lebanon" => "Israel Defense Forces; Hezbollah",
                        "Syria" => "Hay'at Tahrir al-Sham; Syrian Arab Army",
                        "Iraq" => "Islamic Resistance in Iraq",
                        "Yemen" => "Ansar Allah (Houthis); US–UK coalition",
                        _ => "Israel Defense Forces; Hamas",
                    }
                    .to_string(),
                ),
                sources: Some("Al-Manar; NNA; Reuters".to_string()),
                reports: r.9,
            })
            .collect()
    }
}
