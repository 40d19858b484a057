//! SVG charts for reports (`conflictdb report ... --chart out.svg`).
//!
//! Two chart kinds cover the reports: a horizontal [`bar_chart`] for
//! figures per category (places, groups, event types; several series such as
//! killed and wounded side by side) and a [`timeline_chart`] for figures per
//! period (month, week or day).
//!
//! The charts are drawn with `plotters`' SVG backend built without its
//! font features: nothing is rasterised and no system font is read, so the
//! output is the same on every machine and text stays text (`<text>`
//! elements in a `sans-serif` family, escaped by the backend). Text widths
//! are therefore estimated, not measured; labels are truncated with an
//! ellipsis against that estimate, which errs on the wide side.
//!
//! Both functions are pure: they take the data and return the SVG document
//! as a string, so callers decide where it goes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width of every chart in pixels: fits a report page or a slide.
pub const CHART_WIDTH: u32 = 960;
/// Height of a chart in pixels (a bar chart with many rows grows taller).
pub const CHART_HEIGHT: u32 = 540;
/// A bar chart draws at most this many categories (the first ones given,
/// so callers sort by importance first) and says so in its subtitle:
/// more rows than this are unreadable at report size.
pub const MAX_BAR_CATEGORIES: usize = 25;

/// One named series of values: for a bar chart one value per category, for
/// a timeline one value per period, in the same order.
///
/// A value that is not finite (`NaN`, infinite) counts as missing: no bar is
/// drawn for it and a timeline's line is broken there.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    /// Shown in the legend (e.g. "killed", "wounded").
    pub label: String,
    /// The values, aligned with the categories or periods.
    pub values: Vec<f64>,
}

impl ChartSeries {
    /// A series named `label` with `values`.
    pub fn new(label: impl Into<String>, values: Vec<f64>) -> Self {
        Self {
            label: label.into(),
            values,
        }
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A series does not have one value per category or period: a caller's
    /// mistake, reported rather than guessed around.
    #[error("series {series:?} has {found} values for {expected} categories or periods")]
    SeriesLength {
        /// The series' label.
        series: String,
        /// Number of categories or periods.
        expected: usize,
        /// Number of values the series has.
        found: usize,
    },
    /// The drawing backend failed (it writes to a string, so this is not
    /// expected to happen).
    #[error("cannot draw the chart: {0}")]
    Drawing(String),
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn drawing_error<E: std::error::Error + Send + Sync>(
    e: plotters::drawing::DrawingAreaErrorKind<E>,
) -> ChartError {
    ChartError::Drawing(e.to_string())
}

/// Series colours, in order: dark red for the first series (usually
/// "killed"), orange for the second ("wounded"), then blues, purple, green
/// and grey. Neighbouring colours differ in lightness too, so they stay
/// apart in greyscale and for most colour-blind readers.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0xb2, 0x18, 0x2b),
    RGBColor(0xf0, 0x8c, 0x28),
    RGBColor(0x21, 0x66, 0xac),
    RGBColor(0x7b, 0x32, 0x94),
    RGBColor(0x1b, 0x78, 0x37),
    RGBColor(0x92, 0xc5, 0xde),
    RGBColor(0x54, 0x54, 0x54),
    RGBColor(0xc2, 0xa5, 0xcf),
];

/// Colour of the series at `index`.
fn series_color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);

const FONT: &str = "sans-serif";
/// Margin around the chart, in pixels.
const MARGIN: i32 = 24;

/// Text style whose rendered font size is `px` pixels: the SVG backend
/// divides the requested size by 1.24, this undoes it.
fn text_style(px: f64, color: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from((FONT, px * 1.24).into_font()).color(color)
}

/// Estimated width of `text` in pixels at font size `px`: the average
/// advance of a sans-serif character is a little over half the font size;
/// this errs on the wide side so estimated fits really fit.
fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px * 0.58
}

/// `text` cut to at most `max_chars` characters, the last one an ellipsis
/// when anything was cut.
fn truncate(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let keep = max_chars.saturating_sub(1);
    let mut out: String = text.chars().take(keep).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `text` truncated to fit `width` pixels at font size `px`.
fn fit(text: &str, width: f64, px: f64) -> String {
    let max_chars = (width / (px * 0.58)).floor().max(2.0) as usize;
    truncate(text, max_chars)
}

/// A number as a reader expects it on an axis or a bar: whole numbers
/// without decimals and with thousands separators, others with at most two
/// significant decimals.
fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if (v - v.round()).abs() < 1e-9 {
        let n = v.round() as i64;
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
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The smallest "nice" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
/// power of ten) at least `v`, used as the top of a value axis so its labels are round.
fn nice_ceiling(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    for step in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if step * magnitude >= v * (1.0 - 1e-9) {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// Range of a value axis covering every finite value and zero, rounded out
/// to nice numbers, with `headroom` (a fraction) above the largest value.
fn value_range(series: &[ChartSeries], headroom: f64) -> (f64, f64) {
    let values = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite());
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let hi = if hi > 0.0 {
        nice_ceiling(hi * (1.0 + headroom))
    } else if lo < 0.0 {
        0.0
    } else {
        1.0
    };
    let lo = if lo < 0.0 {
        -nice_ceiling(-lo * (1.0 + headroom))
    } else {
        0.0
    };
    (lo, hi)
}

/// Checks that every series has `expected` values.
fn check_lengths(series: &[ChartSeries], expected: usize) -> Result<(), ChartError> {
    for s in series {
        if s.values.len() != expected {
            return Err(ChartError::SeriesLength {
                series: s.label.clone(),
                expected,
                found: s.values.len(),
            });
        }
    }
    Ok(())
}

/// Whether there is anything to draw: some category and some finite value.
fn has_data(n: usize, series: &[ChartSeries]) -> bool {
    n > 0
        && series
            .iter()
            .any(|s| s.values.iter().any(|v| v.is_finite()))
}

/// Draws the title, the optional subtitle and (with several series) the
/// legend at the top of `root`; returns the height they take.
fn draw_header(
    root: &Area<'_>,
    title: &str,
    subtitle: Option<&str>,
    series: &[ChartSeries],
) -> Result<i32, ChartError> {
    let width = f64::from(CHART_WIDTH) - 2.0 * f64::from(MARGIN);
    let mut y = MARGIN - 4;
    let title_style = TextStyle::from((FONT, 20.0 * 1.24).into_font().style(FontStyle::Bold))
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Top));
    root.draw(&Text::new(
        fit(title, width, 21.0),
        (MARGIN, y),
        title_style,
    ))
    .map_err(drawing_error)?;
    y += 30;
    if let Some(subtitle) = subtitle {
        let style = text_style(13.0, &MUTED).pos(Pos::new(HPos::Left, VPos::Top));
        root.draw(&Text::new(fit(subtitle, width, 13.0), (MARGIN, y), style))
            .map_err(drawing_error)?;
        y += 20;
    }
    if series.len() > 1 {
        y += 4;
        let style = text_style(13.0, &TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        let mut x = MARGIN;
        for (i, s) in series.iter().enumerate() {
            let label = truncate(&s.label, 30);
            let item_width = 18 + text_width(&label, 13.0).ceil() as i32 + 18;
            if x + item_width > CHART_WIDTH as i32 - MARGIN && x > MARGIN {
                x = MARGIN;
                y += 20;
            }
            root.draw(&Rectangle::new(
                [(x, y + 2), (x + 12, y + 14)],
                series_color(i).filled(),
            ))
            .map_err(drawing_error)?;
            root.draw(&Text::new(label, (x + 18, y + 8), style.clone()))
                .map_err(drawing_error)?;
            x += item_width;
        }
        y += 20;
    }
    Ok(y + 10)
}

/// Renders a chart into an SVG string: sets up the white canvas, lets
/// `draw` paint on it, and finishes the document.
fn render(
    height: u32,
    draw: impl FnOnce(&Area<'_>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (CHART_WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        draw(&root)?;
        root.present().map_err(drawing_error)?;
    }
    Ok(svg)
}

/// Draws the "no data" notice in the middle of the chart area.
fn draw_no_data(root: &Area<'_>, top: i32, height: u32) -> Result<(), ChartError> {
    let middle = (top + height as i32) / 2;
    let style = text_style(18.0, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(
        "No data to chart",
        (CHART_WIDTH as i32 / 2, middle),
        style,
    ))
    .map_err(drawing_error)
}

/// A horizontal bar chart of `series` over `categories`, drawn top to
/// bottom in the order given; several series are drawn side by side within
/// each category (e.g. killed and wounded per place), with a legend.
///
/// Bars run horizontally so that long category names (places, armed
/// groups) stay readable; names too long for the label column are cut with
/// an ellipsis. Only the first [`MAX_BAR_CATEGORIES`] categories are drawn
/// and the subtitle says how many were left out, so callers should sort
/// categories by importance first. Each bar carries its value at its end.
/// `value_label` names the value axis (e.g. "people killed").
///
/// With no categories, no series or no finite value the result is a valid
/// SVG saying "No data to chart". A series whose length differs from the
/// number of categories is an error.
pub fn bar_chart(
    title: &str,
    categories: &[String],
    series: &[ChartSeries],
    value_label: &str,
) -> Result<String, ChartError> {
    check_lengths(series, categories.len())?;
    let shown = categories.len().min(MAX_BAR_CATEGORIES);
    let subtitle = (categories.len() > shown).then(|| {
        format!(
            "Showing the first {shown} of {} categories",
            categories.len()
        )
    });
    let series: Vec<ChartSeries> = series
        .iter()
        .map(|s| ChartSeries::new(s.label.clone(), s.values[..shown].to_vec()))
        .collect();

    if !has_data(shown, &series) {
        return render(CHART_HEIGHT, |root| {
            let top = draw_header(root, title, None, &[])?;
            draw_no_data(root, top, CHART_HEIGHT)
        });
    }

    // Each category gets a row tall enough for its bars; the chart grows
    // past the default height when rows would get too thin.
    let bar_px = if series.len() > 1 { 11 } else { 16 };
    let row_px = (bar_px * series.len() as u32 + 8).max(18);
    let header_estimate = 60 + if series.len() > 1 { 24 } else { 0 };
    let height = CHART_HEIGHT.max(header_estimate + 70 + row_px * shown as u32);

    render(height, |root| {
        let top = draw_header(root, title, subtitle.as_deref(), &series)?;
        let label_px = 13.0;
        let longest = categories[..shown]
            .iter()
            .map(|c| text_width(c.trim(), label_px))
            .fold(0.0, f64::max);
        let label_width = longest.clamp(60.0, 250.0);

        let (lo, hi) = value_range(&series, 0.12);
        let n = shown as f64;
        let area = root.margin(top, MARGIN, MARGIN, MARGIN);
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(44)
            .y_label_area_size(label_width as i32 + 12)
            .build_cartesian_2d(lo..hi, 0.0..n)
            .map_err(drawing_error)?;
        let formatter = |v: &f64| format_number(*v);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(8)
            .x_label_formatter(&formatter)
            .max_light_lines(0)
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(AXIS.stroke_width(1))
            .label_style(text_style(12.0, &MUTED))
            .axis_desc_style(text_style(13.0, &TEXT))
            .x_desc(value_label)
            .draw()
            .map_err(drawing_error)?;

        // Rows top to bottom: category i occupies y in [n-i-1, n-i].
        let band = 0.76;
        let bar = band / series.len() as f64;
        let value_style = text_style(11.0, &TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        let label_style = text_style(label_px, &TEXT).pos(Pos::new(HPos::Right, VPos::Center));
        for (i, category) in categories[..shown].iter().enumerate() {
            let row_top = n - i as f64 - (1.0 - band) / 2.0;
            let (x, y) = chart.backend_coord(&(lo, n - i as f64 - 0.5));
            root.draw(&Text::new(
                fit(category, label_width, label_px),
                (x - 8, y),
                label_style.clone(),
            ))
            .map_err(drawing_error)?;
            for (j, s) in series.iter().enumerate() {
                let v = s.values[i];
                if !v.is_finite() {
                    continue;
                }
                let y1 = row_top - j as f64 * bar;
                let y0 = y1 - bar;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y0), (v, y1)],
                        series_color(j).filled(),
                    )))
                    .map_err(drawing_error)?;
                let (bx, by) = chart.backend_coord(&(v.max(0.0), (y0 + y1) / 2.0));
                root.draw(&Text::new(
                    format_number(v),
                    (bx + 4, by),
                    value_style.clone(),
                ))
                .map_err(drawing_error)?;
            }
        }
        Ok(())
    })
}

/// Most periods a timeline marks with a dot; past this the dots would
/// merge into the line, so only the line is drawn.
pub const MAX_TIMELINE_MARKERS: usize = 80;

/// A line chart of `series` over `periods`, one line per series with a dot
/// per period (e.g. events, killed and wounded per week), with a legend
/// when there are several series.
///
/// `periods` are labels already sorted in time order, such as `2024-10`
/// (month) or `2024-10-07` (day, or the first day of a week); they are
/// spaced evenly, so callers should include empty periods with a value of
/// 0 rather than leave them out. The x axis labels as many periods as fit
/// without overlapping, at a regular step, always starting with the first.
/// Past [`MAX_TIMELINE_MARKERS`] periods the dots are left out and only the
/// lines are drawn. `value_label` names the value axis.
///
/// With no periods, no series or no finite value the result is a valid SVG
/// saying "No data to chart". A series whose length differs from the number
/// of periods is an error.
pub fn timeline_chart(
    title: &str,
    periods: &[String],
    series: &[ChartSeries],
    value_label: &str,
) -> Result<String, ChartError> {
    check_lengths(series, periods.len())?;
    if !has_data(periods.len(), series) {
        return render(CHART_HEIGHT, |root| {
            let top = draw_header(root, title, None, &[])?;
            draw_no_data(root, top, CHART_HEIGHT)
        });
    }
    let n = periods.len();
    let subtitle = match (periods.first(), periods.last()) {
        (Some(first), Some(last)) if n > 1 => {
            Some(format!("{} to {} ({n} periods)", first.trim(), last.trim()))
        }
        _ => None,
    };
    render(CHART_HEIGHT, |root| {
        let top = draw_header(root, title, subtitle.as_deref(), series)?;
        let (lo, hi) = value_range(series, 0.08);
        let area = root.margin(top, MARGIN, MARGIN, MARGIN);
        let x_range = -0.5..(n as f64 - 0.5);
        let formatter = |v: &f64| format_number(*v);
        let y_label_width = [lo, hi]
            .iter()
            .map(|v| text_width(&format_number(*v), 12.0))
            .fold(0.0, f64::max) as i32;
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(30)
            .y_label_area_size(y_label_width + 40)
            .build_cartesian_2d(x_range, lo..hi)
            .map_err(drawing_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&formatter)
            .max_light_lines(0)
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(AXIS.stroke_width(1))
            .label_style(text_style(12.0, &MUTED))
            .axis_desc_style(text_style(13.0, &TEXT))
            .y_desc(value_label)
            .draw()
            .map_err(drawing_error)?;

        // Period labels: as many as fit at a regular step.
        let label_px = 12.0;
        let (left, base) = chart.backend_coord(&(-0.5, lo));
        let (right, _) = chart.backend_coord(&(n as f64 - 0.5, lo));
        let plot_width = f64::from((right - left).max(1));
        let widest = periods
            .iter()
            .map(|p| text_width(p.trim(), label_px))
            .fold(0.0, f64::max)
            .min(160.0);
        let slots = (plot_width / (widest + 16.0)).floor().max(1.0) as usize;
        let step = n.div_ceil(slots).max(1);
        let tick_style = text_style(label_px, &MUTED).pos(Pos::new(HPos::Center, VPos::Top));
        for i in (0..n).step_by(step) {
            let (x, _) = chart.backend_coord(&(i as f64, lo));
            root.draw(&PathElement::new(
                vec![(x, base), (x, base + 5)],
                AXIS.stroke_width(1),
            ))
            .map_err(drawing_error)?;
            root.draw(&Text::new(
                fit(&periods[i], widest, label_px),
                (x, base + 8),
                tick_style.clone(),
            ))
            .map_err(drawing_error)?;
        }

        let markers = n <= MAX_TIMELINE_MARKERS;
        for (j, s) in series.iter().enumerate() {
            let color = series_color(j);
            // One line per run of finite values, so missing values show as gaps.
            let mut run: Vec<(f64, f64)> = Vec::new();
            let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
            for (i, v) in s.values.iter().enumerate() {
                if v.is_finite() {
                    run.push((i as f64, *v));
                } else if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
            for run in &runs {
                if run.len() > 1 {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            run.clone(),
                            color.stroke_width(2),
                        )))
                        .map_err(drawing_error)?;
                }
                if markers || run.len() == 1 {
                    chart
                        .draw_series(
                            run.iter()
                                .map(|p| Circle::new(*p, 3, color.filled().stroke_width(1))),
                        )
                        .map_err(drawing_error)?;
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// Parses `svg` as XML, failing the test when it is not well formed.
    fn parse(svg: &str) -> roxmltree::Document<'_> {
        match roxmltree::Document::parse(svg) {
            Ok(doc) => doc,
            Err(e) => panic!("not well-formed XML: {e}\n{svg}"),
        }
    }

    /// Text of every `<text>` element, trimmed.
    fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    }

    /// Number of `<tag>` elements filled with the colour of series `index`.
    fn count_filled(doc: &roxmltree::Document<'_>, tag: &str, index: usize) -> usize {
        let c = series_color(index);
        let fill = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        doc.descendants()
            .filter(|n| n.has_tag_name(tag))
            .filter(|n| {
                n.attribute("fill")
                    .is_some_and(|f| f.eq_ignore_ascii_case(&fill))
            })
            .count()
    }

    #[test]
    fn bar_chart_is_svg_with_title_labels_and_one_bar_per_value() {
        let categories = strings(&["Aleppo", "Homs", "Idlib"]);
        let series = [
            ChartSeries::new("killed", vec![12.0, 3.0, 40.0]),
            ChartSeries::new("wounded", vec![20.0, 0.0, f64::NAN]),
        ];
        let svg = bar_chart("Casualties by place", &categories, &series, "people").unwrap();
        assert!(svg.starts_with("<svg"));
        let doc = parse(&svg);
        let t = texts(&doc);
        for expected in [
            "Casualties by place",
            "Aleppo",
            "Homs",
            "Idlib",
            "killed",
            "wounded",
        ] {
            assert!(t.iter().any(|x| x == expected), "missing {expected}: {t:?}");
        }
        assert!(t.iter().any(|x| x == "people"));
        // Bars plus one legend swatch per series; the NaN has no bar.
        assert_eq!(count_filled(&doc, "rect", 0), 3 + 1);
        assert_eq!(count_filled(&doc, "rect", 1), 2 + 1);
        assert!(t.iter().any(|x| x == "40"));
    }

    #[test]
    fn single_series_bar_chart_has_no_legend() {
        let svg = bar_chart(
            "Events",
            &strings(&["a", "b"]),
            &[ChartSeries::new("killed", vec![1.0, 2.0])],
            "people",
        )
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(count_filled(&doc, "rect", 0), 2);
        assert!(!texts(&doc).iter().any(|x| x == "killed"));
    }

    #[test]
    fn special_characters_are_escaped() {
        let categories = strings(&["<script>alert(1)</script>", "Tom & \"Jerry\" 'x'"]);
        let series = [
            ChartSeries::new("a<b", vec![1.0, 2.0]),
            ChartSeries::new("c&d", vec![3.0, 4.0]),
        ];
        let svg = bar_chart("Fish & <Chips>", &categories, &series, "\"n\"").unwrap();
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<Chips"));
        assert!(svg.contains("&amp;"));
        let doc = parse(&svg);
        let t = texts(&doc);
        assert!(t.iter().any(|x| x == "Fish & <Chips>"));
        assert!(t.iter().any(|x| x == "Tom & \"Jerry\" 'x'"));
        assert!(t.iter().any(|x| x == "a<b"));
        assert!(t.iter().any(|x| x.starts_with("<script>")));

        let periods = strings(&["<2024>", "&"]);
        let svg = timeline_chart("<t>", &periods, &series, "&").unwrap();
        let t = texts(&parse(&svg));
        assert!(t.iter().any(|x| x == "<t>"));
        assert!(t.iter().any(|x| x == "<2024>"));
    }

    #[test]
    fn long_labels_are_truncated_with_an_ellipsis() {
        let long =
            "Islamic Resistance in Iraq – Coordination of the Resistance Factions Operations Room";
        let svg = bar_chart(
            "Groups",
            &strings(&[long, "Short"]),
            &[ChartSeries::new("events", vec![5.0, 1.0])],
            "events",
        )
        .unwrap();
        let t = texts(&parse(&svg));
        let label = t
            .iter()
            .find(|x| x.starts_with("Islamic Resistance"))
            .unwrap();
        assert!(label.ends_with('…'), "{label}");
        assert!(label.chars().count() < long.chars().count());
        assert!(t.iter().any(|x| x == "Short"));
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }

    #[test]
    fn bar_chart_keeps_the_first_categories_and_says_so() {
        let categories: Vec<String> = (0..40).map(|i| format!("place {i}")).collect();
        let values: Vec<f64> = (0..40).map(|i| f64::from(40 - i)).collect();
        let svg = bar_chart(
            "Top places",
            &categories,
            &[ChartSeries::new("killed", values)],
            "killed",
        )
        .unwrap();
        let doc = parse(&svg);
        let t = texts(&doc);
        assert!(t
            .iter()
            .any(|x| x == "Showing the first 25 of 40 categories"));
        assert!(t.iter().any(|x| x == "place 0"));
        assert!(t.iter().any(|x| x == "place 24"));
        assert!(!t.iter().any(|x| x == "place 25"));
        assert_eq!(count_filled(&doc, "rect", 0), 25);
    }

    #[test]
    fn empty_input_gives_a_no_data_chart() {
        for svg in [
            bar_chart("Nothing", &[], &[], "killed").unwrap(),
            bar_chart("Nothing", &strings(&["a"]), &[], "killed").unwrap(),
            bar_chart(
                "Nothing",
                &strings(&["a"]),
                &[ChartSeries::new("k", vec![f64::NAN])],
                "k",
            )
            .unwrap(),
            timeline_chart("Nothing", &[], &[ChartSeries::new("k", vec![])], "killed").unwrap(),
        ] {
            assert!(svg.starts_with("<svg"));
            let t = texts(&parse(&svg));
            assert!(t.iter().any(|x| x == "Nothing"));
            assert!(
                t.iter().any(|x| x.to_lowercase().contains("no data")),
                "{t:?}"
            );
        }
    }

    #[test]
    fn mismatched_series_length_is_an_error() {
        let err = bar_chart(
            "x",
            &strings(&["a", "b"]),
            &[ChartSeries::new("k", vec![1.0])],
            "k",
        );
        assert!(matches!(
            err,
            Err(ChartError::SeriesLength {
                expected: 2,
                found: 1,
                ..
            })
        ));
        let err = timeline_chart("x", &strings(&["a"]), &[ChartSeries::new("k", vec![])], "k");
        assert!(matches!(err, Err(ChartError::SeriesLength { .. })));
    }

    #[test]
    fn timeline_draws_one_marker_per_value_and_a_readable_subset_of_periods() {
        let periods: Vec<String> = (1..=30).map(|d| format!("2024-10-{d:02}")).collect();
        let killed: Vec<f64> = (0..30).map(|i| f64::from(i % 7)).collect();
        let mut wounded: Vec<f64> = (0..30).map(|i| f64::from(i % 5 * 2)).collect();
        wounded[10] = f64::NAN;
        let series = [
            ChartSeries::new("killed", killed),
            ChartSeries::new("wounded", wounded),
        ];
        let svg = timeline_chart("Casualties per day", &periods, &series, "people").unwrap();
        let doc = parse(&svg);
        assert_eq!(count_filled(&doc, "circle", 0), 30);
        assert_eq!(count_filled(&doc, "circle", 1), 29);
        let t = texts(&doc);
        assert!(t.iter().any(|x| x == "Casualties per day"));
        assert!(t.iter().any(|x| x == "2024-10-01"));
        let shown = t
            .iter()
            .filter(|x| x.starts_with("2024-10-") && x.len() == 10)
            .count();
        assert!((4..30).contains(&shown), "{shown} period labels");
        // The killed line is one polyline through all 30 points; the
        // wounded one breaks at the gap.
        let lines: Vec<usize> = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .map(|n| {
                n.attribute("points")
                    .unwrap_or("")
                    .split_whitespace()
                    .count()
            })
            .collect();
        assert!(lines.contains(&30), "{lines:?}");
        assert!(lines.contains(&10) && lines.contains(&19), "{lines:?}");
    }

    #[test]
    fn timeline_with_many_periods_or_one_period() {
        let periods: Vec<String> = (0..200).map(|i| format!("p{i:03}")).collect();
        let values: Vec<f64> = (0..200).map(f64::from).collect();
        let svg = timeline_chart(
            "Long",
            &periods,
            &[ChartSeries::new("events", values)],
            "events",
        )
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(count_filled(&doc, "circle", 0), 0);
        assert!(texts(&doc).iter().any(|x| x == "p000"));

        let svg = timeline_chart(
            "One",
            &strings(&["2024-10"]),
            &[ChartSeries::new("events", vec![3.0])],
            "events",
        )
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(count_filled(&doc, "circle", 0), 1);
        assert!(texts(&doc).iter().any(|x| x == "2024-10"));
    }

    /// Writes sample charts to `$CONFLICTDB_SAMPLE_DIR` (default: the
    /// temporary directory) to look at, e.g. with `scripts/screenshot.sh`:
    /// `cargo test --lib chart::tests::write_samples -- --ignored`.
    #[test]
    #[ignore]
    fn write_samples() {
        let dir = std::env::var_os("CONFLICTDB_SAMPLE_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let places = strings(&[
            "Gaza City",
            "Khan Younis",
            "Rafah",
            "Jabalia refugee camp",
            "Nabatieh",
            "Bint Jbeil",
            "Dahieh (Beirut southern suburbs, Haret Hreik)",
            "Aleppo",
            "Deir ez-Zor",
            "Idlib",
            "Sanaa",
            "Hodeidah",
            "Al-Qaim (Anbar Governorate, Iraq–Syria border crossing)",
            "Tyre",
        ]);
        let killed = vec![
            412.0, 288.0, 190.0, 160.0, 74.0, 51.0, 48.0, 33.0, 29.0, 21.0, 17.0, 14.0, 9.0, 6.0,
        ];
        let wounded = vec![
            960.0,
            610.0,
            402.0,
            377.0,
            203.0,
            95.0,
            120.0,
            64.0,
            41.0,
            58.0,
            40.0,
            22.0,
            15.0,
            f64::NAN,
        ];
        let svg = bar_chart(
            "Casualties by place, October 2024",
            &places,
            &[
                ChartSeries::new("killed", killed),
                ChartSeries::new("wounded", wounded),
            ],
            "people (best estimate)",
        )
        .unwrap();
        std::fs::write(dir.join("chart-bar.svg"), svg).unwrap();

        let periods: Vec<String> = (0..26)
            .map(|w| {
                let day = 1 + 7 * w;
                let (month, day) = match day {
                    d if d <= 31 => (10, d),
                    d if d <= 61 => (11, d - 31),
                    d if d <= 92 => (12, d - 61),
                    d if d <= 123 => (1, d - 92),
                    d if d <= 151 => (2, d - 123),
                    d => (3, d - 151),
                };
                let year = if month >= 10 { 2024 } else { 2025 };
                format!("{year}-{month:02}-{day:02}")
            })
            .collect();
        let events: Vec<f64> = (0..26).map(|i| f64::from(20 + (i * 37 % 23) + i)).collect();
        let killed: Vec<f64> = (0..26).map(|i| f64::from((i * 53 % 41) * 3 + 5)).collect();
        let wounded: Vec<f64> = (0..26).map(|i| f64::from((i * 29 % 31) * 5 + 12)).collect();
        let svg = timeline_chart(
            "Events and casualties per week",
            &periods,
            &[
                ChartSeries::new("events", events),
                ChartSeries::new("killed", killed),
                ChartSeries::new("wounded", wounded),
            ],
            "count",
        )
        .unwrap();
        std::fs::write(dir.join("chart-timeline.svg"), svg).unwrap();

        let svg = bar_chart("Nothing here", &[], &[], "killed").unwrap();
        std::fs::write(dir.join("chart-empty.svg"), svg).unwrap();
    }

    #[test]
    fn numbers_are_formatted_for_readers() {
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(1234567.0), "1,234,567");
        assert_eq!(format_number(-1200.0), "-1,200");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(nice_ceiling(43.0), 50.0);
        assert_eq!(nice_ceiling(101.0), 120.0);
        assert_eq!(nice_ceiling(1075.0), 1200.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }
}
