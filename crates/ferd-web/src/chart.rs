//! The server-rendered SVG trajectory chart: one client's total score on one instrument over time.
//!
//! Geometry is computed here as numbers; every piece of text goes through the askama template
//! `templates/chart/trajectory.svg`, so it is escaped. The chart draws the severity bands as labelled
//! stripes, the primary cut-off as a dashed, labelled line, the scores as a line with dots, and
//! reliable-change markers as shapes (ring, double ring, triangle) with a legend, so it still reads in
//! black and white. It uses presentation attributes only (no `style=`), because the
//! Content-Security-Policy forbids inline styles, and no script.

use askama::Template;
use ferd_core::instruments::{Instrument, Threshold};

/// A severity band of the score, as in the instrument definitions: both ends inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The lowest score in the band.
    pub from: f64,
    /// The highest score in the band.
    pub to: f64,
    /// The band's name, shown at the stripe's edge so bands can be told apart without colour.
    pub label: String,
}

/// A reliable-change judgement on one response, drawn as a shape around its dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Reliable improvement since the baseline: a ring.
    ReliableImprovement,
    /// Reliable deterioration since the baseline: a triangle.
    ReliableDeterioration,
    /// Reliable improvement into the functional range: a double ring.
    Recovered,
}

/// One response's total score.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// When the response was given, in milliseconds since the Unix epoch; spacing on the x axis follows it.
    pub at_ms: i64,
    /// The score. Values outside the chart's range are drawn at its edge; non-finite values are left out.
    pub value: f64,
    /// The date as the reader's language writes it; the caller formats it because formats differ per language.
    pub date_label: String,
    /// The reliable-change judgement, if any.
    pub mark: Option<Mark>,
}

/// Every word on the chart, in the reader's language. The chart itself holds no text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Labels {
    /// The accessible name (`<title>`), e.g. "PCL-5 total over time". Not drawn: the page has a heading.
    pub title: String,
    /// One sentence for screen readers (`<desc>`), e.g. "PCL-5 total from 62 to 28 over 5 responses".
    pub description: String,
    /// The y axis' name, e.g. "PCL-5 total (0–80)".
    pub y_axis: String,
    /// The cut-off line's label, e.g. "Cut-off 31–33 → probable PTSD"; `None` draws the line unlabelled.
    pub cutoff: Option<String>,
    /// Legend text for [`Mark::ReliableImprovement`].
    pub improvement: String,
    /// Legend text for [`Mark::ReliableDeterioration`].
    pub deterioration: String,
    /// Legend text for [`Mark::Recovered`].
    pub recovered: String,
    /// Shown in the plot when there are no responses, e.g. "No responses yet".
    pub no_data: String,
}

/// Everything the chart shows. Pure data: the caller reads the store and the instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The bottom of the y axis (the score's minimum).
    pub min: f64,
    /// The top of the y axis (the score's maximum).
    pub max: f64,
    /// Severity bands; may be empty (not every instrument has them).
    pub bands: Vec<Band>,
    /// Where to draw the cut-off line, on the score's scale (see [`primary_cutoff_of`]).
    pub cutoff: Option<f64>,
    /// The responses, in any order; they are drawn in time order.
    pub points: Vec<Point>,
    /// The chart's words.
    pub labels: Labels,
    /// Unique on the page, used for the `aria-labelledby` ids; characters other than `A-Za-z0-9-_` become `-`.
    pub id: String,
}

/// Renders the chart as a standalone `<svg class="chart">` element to place inline in an HTML page; the
/// stylesheet gives `.chart` its width, and the `viewBox` scales the drawing to it.
///
/// Never panics: a NaN or empty range, bands outside the range and non-finite scores are repaired or left out.
pub fn trajectory_svg(t: &Trajectory) -> Result<String, askama::Error> {
    layout(t).render()
}

/// The severity bands of `ins`'s total score, labelled in `lang` (English when there is no such translation).
/// Empty when the instrument has none (PCL-5, PC-PTSD-5, WHO-5).
///
/// The values are on the total's scale: to plot a derived score (the WHO-5 percentage) multiply them.
pub fn bands_of(ins: &Instrument, lang: &str) -> Vec<Band> {
    ins.bands
        .iter()
        .filter(|b| b.score == 0)
        .map(|b| Band {
            from: f64::from(b.min),
            to: f64::from(b.max),
            label: b.label.get(lang).to_string(),
        })
        .collect()
}

/// Where the primary cut-off on `ins`'s total score lies, for [`Trajectory::cutoff`].
///
/// Scores are whole numbers, so the line is drawn halfway between the last score that does not meet the
/// cut-off and the first that does: "at least 33" gives 32.5 and "at most 12" gives 12.5. No response then
/// sits on the line, and the line meets the band boundaries, which are drawn the same way (the PHQ-9's
/// "at least 10" lies on the mild/moderate boundary). For the WHO-5, 12.5 raw × 4 is its well-known 50 %.
pub fn primary_cutoff_of(ins: &Instrument) -> Option<f64> {
    ins.cutoffs
        .iter()
        .find(|c| c.primary && c.score == 0)
        .map(|c| match c.threshold {
            Threshold::AtLeast(n) => f64::from(n) - 0.5,
            Threshold::AtMost(n) => f64::from(n) + 0.5,
        })
}

/// The range of `ins`'s total score, for [`Trajectory::min`] and [`Trajectory::max`].
pub fn total_range_of(ins: &Instrument) -> (f64, f64) {
    let total = ins.total();
    (f64::from(total.min), f64::from(total.max))
}

// The drawing, in viewBox units. A phone shows it at about half size, so text is set large.
const WIDTH: f64 = 600.0;
const PLOT_LEFT: f64 = 60.0;
const PLOT_RIGHT: f64 = 584.0;
const PLOT_TOP: f64 = 12.0;
const PLOT_BOTTOM: f64 = 252.0;
/// Dots keep clear of the axes.
const X_PAD: f64 = 18.0;
const FONT: f64 = 14.0;
/// A generous average glyph width: text is measured without font metrics, so err towards too wide.
const CHAR_W: f64 = FONT * 0.62;
const LINE_H: f64 = FONT + 3.0;
/// Smallest gap between two date labels.
const LABEL_GAP: f64 = 10.0;
const LEGEND_ROW: f64 = 24.0;
const LEGEND_DOT_R: f64 = 3.0;
/// Light stripes, darker with the score, so they differ in grey when printed; labels name them anyway.
const BAND_FILLS: [&str; 6] = [
    "#f1f5f9", "#e2e8f0", "#d5dde8", "#c8d3e0", "#bccad9", "#b0c0d2",
];

/// A point in viewBox units.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Xy {
    x: f64,
    y: f64,
}

#[derive(Debug)]
struct BandView<'a> {
    y: f64,
    height: f64,
    fill: &'static str,
    label: Option<TextAt<'a>>,
}

#[derive(Debug)]
struct TextAt<'a> {
    x: f64,
    y: f64,
    /// SVG `text-anchor`: "start", "middle" or "end".
    anchor: &'static str,
    text: &'a str,
}

#[derive(Debug)]
struct XLabel<'a> {
    /// The point's x, for the tick mark; the text may sit a little inward of it near the edges.
    tick_x: f64,
    text: TextAt<'a>,
}

#[derive(Debug)]
struct TickView {
    y: f64,
    /// The number's baseline, a little below the tick so the digits centre on it.
    text_y: f64,
    text: String,
}

#[derive(Debug)]
struct CutoffView<'a> {
    y: f64,
    lines: Vec<TextAt<'a>>,
}

#[derive(Debug)]
struct DotView<'a> {
    at: Xy,
    date: &'a str,
    value: String,
}

#[derive(Debug)]
struct MarkerView {
    kind: Mark,
    at: Xy,
    /// Radius of the ring, or of the triangle's circumcircle.
    r: f64,
    /// Radius of the double ring's outer ring.
    outer_r: f64,
    triangle: [Xy; 3],
}

#[derive(Debug)]
struct LegendView<'a> {
    dot: Xy,
    marker: MarkerView,
    text: TextAt<'a>,
}

#[derive(Template)]
#[template(path = "chart/trajectory.svg", escape = "html")]
struct TrajectoryView<'a> {
    id: String,
    width: f64,
    height: f64,
    title: &'a str,
    description: &'a str,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    bands: Vec<BandView<'a>>,
    ticks: Vec<TickView>,
    y_axis: TextAt<'a>,
    cutoff: Option<CutoffView<'a>>,
    line: Vec<Xy>,
    dot_r: f64,
    legend_dot_r: f64,
    dots: Vec<DotView<'a>>,
    markers: Vec<MarkerView>,
    x_labels: Vec<XLabel<'a>>,
    legend: Vec<LegendView<'a>>,
    no_data: Option<TextAt<'a>>,
}

/// Maps scores to y: the range's maximum at the top of the plot.
#[derive(Debug, Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
}

impl Scale {
    /// A usable range from the caller's: finite, ordered and not empty.
    fn new(t: &Trajectory) -> Scale {
        let (mut lo, mut hi) = (t.min, t.max);
        if !lo.is_finite() || !hi.is_finite() {
            let values = t.points.iter().map(|p| p.value).filter(|v| v.is_finite());
            lo = values.clone().fold(f64::INFINITY, f64::min);
            hi = values.fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() {
                (lo, hi) = (0.0, 1.0);
            }
        }
        if lo > hi {
            std::mem::swap(&mut lo, &mut hi);
        }
        // An empty range (or one too thin for f64 to subdivide) is widened around its middle.
        let magnitude = lo.abs().max(hi.abs()).max(1.0);
        if hi - lo < magnitude * 1e-9 {
            let middle = lo / 2.0 + hi / 2.0;
            let half = magnitude * 0.01;
            (lo, hi) = (middle - half, middle + half);
        }
        // Whatever is still unusable (a span that overflows) falls back to a unit range.
        if !(hi - lo).is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        Scale { lo, hi }
    }

    fn y(&self, v: f64) -> f64 {
        let v = v.clamp(self.lo, self.hi);
        round(PLOT_BOTTOM - (v - self.lo) / (self.hi - self.lo) * (PLOT_BOTTOM - PLOT_TOP))
    }

    /// "Nice" tick values (steps of 1, 2 or 5 × 10ⁿ), at most seven.
    fn ticks(&self) -> (Vec<f64>, f64) {
        let span = self.hi - self.lo;
        let magnitude = 10f64.powf((span / 5.0).log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|step| span / step <= 6.0)
            .unwrap_or(10.0 * magnitude);
        let mut ticks = Vec::new();
        let mut k = (self.lo / step).ceil();
        // Bounded, in case rounding makes the step useless.
        while ticks.len() < 8 {
            let v = k * step;
            if !v.is_finite() || v > self.hi + step * 1e-9 {
                break;
            }
            ticks.push(v);
            k += 1.0;
        }
        (ticks, step)
    }
}

/// Two decimals are far below a pixel and keep the markup short.
fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The estimated width of `text` at the chart's font size.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_W
}

/// A number as a person reads it: no trailing zeros, at most `decimals` decimals.
fn number_text(v: f64, decimals: usize) -> String {
    if v.abs() >= 1e9 {
        return format!("{v:e}");
    }
    let s = format!("{:.*}", decimals, v + 0.0);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    // "-0" reads oddly on an axis.
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Keeps ids usable in `aria-labelledby` (a space-separated list) and in CSS selectors.
fn clean_id(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "chart".to_string()
    } else {
        id
    }
}

/// Splits `text` into lines of at most `max_chars` characters at spaces (a longer word gets its own line).
fn wrap(text: &str, max_chars: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let cut = match rest.char_indices().nth(max_chars) {
            None => rest.len(),
            Some((limit, _)) if rest[limit..].starts_with(' ') => limit,
            Some((limit, _)) => rest[..limit]
                .rfind(' ')
                .or_else(|| rest.find(' '))
                .unwrap_or(rest.len()),
        };
        // `rest` starts with no space, so `cut` > 0 and the loop advances.
        lines.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    lines
}

/// The stripes of the bands, as (lower, upper) score bounds in the bands' order.
///
/// Band ends are inclusive scores (mild 5–9, moderate 10–14), so each stripe reaches out by half the
/// smallest gap between neighbouring bands (the score's step, 1 for every instrument): mild meets moderate
/// at 9.5 and every score lies inside its own band's stripe. A wider gap stays unshaded, as its scores
/// belong to no band. Everything is clamped to the range, and a stripe left empty is dropped.
fn band_bounds(bands: &[Band], scale: Scale) -> Vec<Option<(f64, f64)>> {
    let ordered = |b: &Band| {
        (b.from.is_finite() && b.to.is_finite()).then(|| (b.from.min(b.to), b.from.max(b.to)))
    };
    let mut sorted: Vec<(f64, f64)> = bands.iter().filter_map(ordered).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let smallest_gap = sorted
        .windows(2)
        .map(|w| w[1].0 - w[0].1)
        .filter(|gap| *gap > 0.0)
        .fold(f64::INFINITY, f64::min);
    let half_step = if smallest_gap.is_finite() {
        smallest_gap / 2.0
    } else {
        0.0
    };
    bands
        .iter()
        .map(|b| {
            let (from, to) = ordered(b)?;
            let lower = (from - half_step).max(scale.lo);
            let upper = (to + half_step).min(scale.hi);
            (upper > lower).then_some((lower, upper))
        })
        .collect()
}

/// x positions for points sorted by time: proportional to time, but never closer than a few units, so
/// responses on the same day stay apart. All at one moment: spread evenly.
fn x_positions(times: &[i64]) -> Vec<f64> {
    let (left, right) = (PLOT_LEFT + X_PAD, PLOT_RIGHT - X_PAD);
    let width = right - left;
    let n = times.len();
    match n {
        0 => return Vec::new(),
        1 => return vec![round((left + right) / 2.0)],
        _ => {}
    }
    let first = i128::from(times[0]);
    let span = (i128::from(times[n - 1]) - first) as f64;
    let even = |i: usize| left + width * i as f64 / (n - 1) as f64;
    let mut xs: Vec<f64> = if span > 0.0 {
        times
            .iter()
            .map(|t| left + (i128::from(*t) - first) as f64 / span * width)
            .collect()
    } else {
        (0..n).map(even).collect()
    };
    let min_gap = (width / (n - 1) as f64).min(6.0);
    for i in 1..n {
        xs[i] = xs[i].max(xs[i - 1] + min_gap);
    }
    let last = xs[n - 1];
    if last > right {
        let squeeze = width / (last - left);
        for x in &mut xs {
            *x = left + (*x - left) * squeeze;
        }
    }
    xs.into_iter().map(round).collect()
}

/// Which date labels to show: as many as fit without overlapping, always the first, and the last when it
/// can replace its neighbour. Returns (point index, centre x).
fn thin_labels(xs: &[f64], labels: &[&str]) -> Vec<(usize, f64)> {
    let extent = |i: usize| {
        let w = text_width(labels[i]);
        // Kept inside the drawing; a label wider than the drawing is centred on it.
        let centre = if w >= WIDTH - 4.0 {
            WIDTH / 2.0
        } else {
            xs[i].clamp(2.0 + w / 2.0, WIDTH - 2.0 - w / 2.0)
        };
        (centre - w / 2.0, centre + w / 2.0, centre)
    };
    let clear = |a: usize, b: usize| extent(a).1 + LABEL_GAP <= extent(b).0;
    let mut chosen: Vec<usize> = Vec::new();
    let shown: Vec<usize> = (0..xs.len()).filter(|i| !labels[*i].is_empty()).collect();
    for &i in &shown {
        if chosen.last().is_none_or(|&j| clear(j, i)) {
            chosen.push(i);
        }
    }
    if let Some(&last) = shown.last() {
        if chosen.last() != Some(&last) {
            while chosen.len() > 1 && !clear(chosen[chosen.len() - 1], last) {
                chosen.pop();
            }
            if chosen.last().is_none_or(|&j| clear(j, last)) {
                chosen.push(last);
            }
        }
    }
    chosen
        .into_iter()
        .map(|i| (i, round(extent(i).2)))
        .collect()
}

impl MarkerView {
    fn new(kind: Mark, at: Xy, dot_r: f64) -> MarkerView {
        let r = match kind {
            Mark::ReliableImprovement | Mark::Recovered => dot_r + 4.0,
            // The triangle's inscribed circle must clear the dot.
            Mark::ReliableDeterioration => 2.0 * dot_r + 5.0,
        };
        let corner = |deg: f64| {
            let a = deg.to_radians();
            Xy {
                x: round(at.x + r * a.cos()),
                y: round(at.y + r * a.sin()),
            }
        };
        MarkerView {
            kind,
            at,
            r,
            outer_r: r + 3.5,
            triangle: [corner(-90.0), corner(30.0), corner(150.0)],
        }
    }
}

/// A rectangle in viewBox units, to keep labels off the data.
#[derive(Debug, Clone, Copy)]
struct Area {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Area {
    /// The estimated box of a line of text.
    fn of_text(t: &TextAt) -> Area {
        let width = text_width(t.text);
        let left = match t.anchor {
            "end" => t.x - width,
            "middle" => t.x - width / 2.0,
            _ => t.x,
        };
        Area {
            left,
            top: t.y - FONT * 0.8,
            right: left + width,
            bottom: t.y + FONT * 0.25,
        }
    }

    fn near(&self, p: Xy, margin: f64) -> bool {
        p.x >= self.left - margin
            && p.x <= self.right + margin
            && p.y >= self.top - margin
            && p.y <= self.bottom + margin
    }

    fn overlaps(&self, o: &Area) -> bool {
        self.left < o.right && o.left < self.right && self.top < o.bottom && o.top < self.bottom
    }

    /// Whether the segment a–b passes through the area (Liang–Barsky clipping).
    fn crossed_by(&self, a: Xy, b: Xy) -> bool {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.x - self.left),
            (dx, self.right - a.x),
            (-dy, a.y - self.top),
            (dy, self.bottom - a.y),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// How much a label made of `lines` would hide: dots weigh most, then other labels, then line segments.
fn clutter(lines: &[TextAt], data: &[Xy], reach: f64, taken: &[Area]) -> usize {
    lines
        .iter()
        .map(Area::of_text)
        .map(|a| {
            data.iter().filter(|p| a.near(**p, reach)).count() * 3
                + taken.iter().filter(|o| a.overlaps(o)).count() * 3
                + data.windows(2).filter(|w| a.crossed_by(w[0], w[1])).count()
        })
        .sum()
}

/// The cut-off's label, wrapped to the plot's width, beside the line where it hides the least data:
/// right or left, above or below (above and right when it makes no difference).
fn cutoff_label<'a>(y: f64, text: &'a str, data: &[Xy], reach: f64) -> Vec<TextAt<'a>> {
    let max_chars = ((PLOT_RIGHT - PLOT_LEFT - 12.0) / CHAR_W).floor() as usize;
    let wrapped = wrap(text, max_chars.max(1));
    let n = wrapped.len() as f64;
    let above = y - 5.0 - (n - 1.0) * LINE_H;
    let below = y + FONT + 3.0;
    let place = |(x, anchor, first): (f64, &'static str, f64)| -> Vec<TextAt<'a>> {
        wrapped
            .iter()
            .enumerate()
            .map(|(i, text)| TextAt {
                x,
                y: round(first + i as f64 * LINE_H),
                anchor,
                text,
            })
            .collect()
    };
    let (right, left) = ((PLOT_RIGHT - 6.0, "end"), (PLOT_LEFT + 6.0, "start"));
    let fits_above = above - FONT >= PLOT_TOP;
    let fits_below = below + (n - 1.0) * LINE_H + 3.0 <= PLOT_BOTTOM;
    let candidates: Vec<Vec<TextAt>> = [
        (right, above, fits_above),
        (right, below, fits_below),
        (left, above, fits_above),
        (left, below, fits_below),
    ]
    .into_iter()
    .filter(|c| c.2)
    .map(|((x, anchor), first, _)| place((x, anchor, first)))
    .collect();
    candidates
        .into_iter()
        .min_by_key(|c| clutter(c, data, reach, &[]))
        .unwrap_or_else(|| place((right.0, right.1, above.max(PLOT_TOP + FONT))))
}

fn layout(t: &Trajectory) -> TrajectoryView<'_> {
    let scale = Scale::new(t);
    let labels = &t.labels;

    // The data first: the labels are placed where they hide the least of it.
    let mut points: Vec<&Point> = t.points.iter().filter(|p| p.value.is_finite()).collect();
    points.sort_by_key(|p| p.at_ms);
    let times: Vec<i64> = points.iter().map(|p| p.at_ms).collect();
    let xs = x_positions(&times);
    let dot_r = match points.len() {
        0..=25 => 4.5,
        26..=60 => 3.5,
        _ => 2.5,
    };
    // Room around a dot that a label should keep clear of, marker included.
    let reach = dot_r + 4.0;
    let line: Vec<Xy> = points
        .iter()
        .zip(&xs)
        .map(|(p, &x)| Xy {
            x,
            y: scale.y(p.value),
        })
        .collect();
    let dots = points
        .iter()
        .zip(&line)
        .map(|(p, &at)| DotView {
            at,
            date: p.date_label.as_str(),
            value: number_text(p.value, 2),
        })
        .collect();
    let markers = points
        .iter()
        .zip(&line)
        .filter_map(|(p, &at)| Some(MarkerView::new(p.mark?, at, dot_r)))
        .collect();

    let cutoff = t
        .cutoff
        .filter(|c| c.is_finite() && (scale.lo..=scale.hi).contains(c))
        .map(|c| {
            let y = scale.y(c);
            let text = labels.cutoff.as_deref().unwrap_or("");
            CutoffView {
                y,
                lines: cutoff_label(y, text, &line, reach),
            }
        });
    let taken: Vec<Area> = cutoff
        .iter()
        .flat_map(|c| c.lines.iter().map(Area::of_text))
        .collect();

    let bands = band_bounds(&t.bands, scale)
        .into_iter()
        .zip(&t.bands)
        .enumerate()
        .filter_map(|(i, (bounds, band))| {
            let (lower, upper) = bounds?;
            let (y, bottom) = (scale.y(upper), scale.y(lower));
            let height = round(bottom - y);
            // Too thin a stripe gets no label rather than one that spills into its neighbour.
            let label = (height >= FONT + 2.0 && !band.label.is_empty()).then(|| {
                let baseline = round(y + (height + FONT).min(2.0 * FONT + 6.0) / 2.0 - 1.0);
                let at = |x: f64, anchor: &'static str| TextAt {
                    x,
                    y: baseline,
                    anchor,
                    text: band.label.as_str(),
                };
                let (left, right) = (at(PLOT_LEFT + 6.0, "start"), at(PLOT_RIGHT - 6.0, "end"));
                let cost = |l: &TextAt| clutter(std::slice::from_ref(l), &line, reach, &taken);
                if cost(&right) < cost(&left) {
                    right
                } else {
                    left
                }
            });
            Some(BandView {
                y,
                height,
                fill: BAND_FILLS[i % BAND_FILLS.len()],
                label,
            })
        })
        .collect();

    let (tick_values, step) = scale.ticks();
    let decimals = (-step.log10()).ceil().clamp(0.0, 6.0) as usize;
    let ticks = tick_values
        .into_iter()
        .map(|v| TickView {
            y: scale.y(v),
            text_y: round(scale.y(v) + FONT * 0.35),
            text: number_text(v, decimals),
        })
        .collect();

    let mid_y = round((PLOT_TOP + PLOT_BOTTOM) / 2.0);
    let y_axis = TextAt {
        x: 16.0,
        y: mid_y,
        anchor: "middle",
        text: labels.y_axis.as_str(),
    };

    let date_labels: Vec<&str> = points.iter().map(|p| p.date_label.as_str()).collect();
    let x_labels = thin_labels(&xs, &date_labels)
        .into_iter()
        .map(|(i, x)| XLabel {
            tick_x: xs[i],
            text: TextAt {
                x,
                y: PLOT_BOTTOM + FONT + 8.0,
                anchor: "middle",
                text: date_labels[i],
            },
        })
        .collect();

    // Only the marks that occur, in a fixed order, wrapping onto new rows as needed.
    let mut legend = Vec::new();
    // It starts at the left edge, not the plot's, so three entries fit on one row.
    const LEGEND_LEFT: f64 = 16.0;
    let (mut x, mut row) = (LEGEND_LEFT, 0.0);
    for (kind, text) in [
        (Mark::ReliableImprovement, &labels.improvement),
        (Mark::Recovered, &labels.recovered),
        (Mark::ReliableDeterioration, &labels.deterioration),
    ] {
        if !points.iter().any(|p| p.mark == Some(kind)) {
            continue;
        }
        let width = 24.0 + text_width(text) + 20.0;
        if x > LEGEND_LEFT && x + width > WIDTH {
            x = LEGEND_LEFT;
            row += 1.0;
        }
        let y = PLOT_BOTTOM + 52.0 + row * LEGEND_ROW;
        let dot = Xy { x: x + 8.0, y };
        legend.push(LegendView {
            dot,
            marker: MarkerView::new(kind, dot, LEGEND_DOT_R),
            text: TextAt {
                x: x + 24.0,
                y: y + FONT * 0.35,
                anchor: "start",
                text: text.as_str(),
            },
        });
        x += width;
    }
    let legend_height = if legend.is_empty() {
        0.0
    } else {
        (row + 1.0) * LEGEND_ROW + 8.0
    };

    let no_data = points.is_empty().then(|| TextAt {
        x: round((PLOT_LEFT + PLOT_RIGHT) / 2.0),
        y: mid_y,
        anchor: "middle",
        text: labels.no_data.as_str(),
    });

    TrajectoryView {
        id: clean_id(&t.id),
        width: WIDTH,
        height: PLOT_BOTTOM + FONT + 18.0 + legend_height,
        title: &labels.title,
        description: &labels.description,
        left: PLOT_LEFT,
        right: PLOT_RIGHT,
        top: PLOT_TOP,
        bottom: PLOT_BOTTOM,
        bands,
        ticks,
        y_axis,
        cutoff,
        line,
        dot_r,
        legend_dot_r: LEGEND_DOT_R,
        dots,
        markers,
        x_labels,
        legend,
        no_data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferd_core::Catalogue;

    fn band(from: f64, to: f64, label: &str) -> Band {
        Band {
            from,
            to,
            label: label.to_string(),
        }
    }

    fn point(day: i64, value: f64, mark: Option<Mark>) -> Point {
        Point {
            at_ms: day * 86_400_000,
            value,
            date_label: format!("d{day}"),
            mark,
        }
    }

    fn labels() -> Labels {
        Labels {
            title: "PHQ-9 total over time".into(),
            description: "PHQ-9 total from 22 to 6 over 5 responses".into(),
            y_axis: "PHQ-9 total (0–27)".into(),
            cutoff: Some("Cut-off 10: probable depression".into()),
            improvement: "Reliable improvement".into(),
            deterioration: "Reliable deterioration".into(),
            recovered: "Recovered".into(),
            no_data: "No responses yet".into(),
        }
    }

    /// A PHQ-9 chart: five bands, the cut-off at 10 (drawn at 9.5), five weekly responses.
    fn phq9() -> Trajectory {
        Trajectory {
            min: 0.0,
            max: 27.0,
            bands: vec![
                band(0.0, 4.0, "None–minimal"),
                band(5.0, 9.0, "Mild"),
                band(10.0, 14.0, "Moderate"),
                band(15.0, 19.0, "Moderately severe"),
                band(20.0, 27.0, "Severe"),
            ],
            cutoff: Some(9.5),
            points: vec![
                point(0, 22.0, None),
                point(7, 18.0, None),
                point(14, 12.0, Some(Mark::ReliableImprovement)),
                point(21, 16.0, Some(Mark::ReliableDeterioration)),
                point(28, 6.0, Some(Mark::Recovered)),
            ],
            labels: labels(),
            id: "phq9-chart".into(),
        }
    }

    fn render(t: &Trajectory) -> String {
        trajectory_svg(t).expect("renders")
    }

    /// The opening tags that start with `start` (e.g. `<rect class="chart-band"`).
    fn tags<'a>(svg: &'a str, start: &str) -> Vec<&'a str> {
        svg.match_indices(start)
            .map(|(i, _)| &svg[i..i + svg[i..].find('>').expect("tag ends")])
            .collect()
    }

    fn attr(tag: &str, name: &str) -> String {
        let key = format!(" {name}=\"");
        let start = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
        tag[start..start + tag[start..].find('"').expect("quote")].to_string()
    }

    fn num(tag: &str, name: &str) -> f64 {
        attr(tag, name).parse().expect("a number")
    }

    /// The text of each `<text ...>` element whose opening tag starts with `start`, with its x.
    fn texts(svg: &str, start: &str) -> Vec<(f64, String)> {
        svg.match_indices(start)
            .map(|(i, _)| {
                let open_end = i + svg[i..].find('>').expect("tag ends");
                let close = open_end + svg[open_end..].find("</text>").expect("closed");
                (
                    num(&svg[i..open_end], "x"),
                    svg[open_end + 1..close].to_string(),
                )
            })
            .collect()
    }

    /// Checks that every element is closed in order: a cheap well-formedness check without an XML parser.
    fn assert_balanced(svg: &str) {
        let mut open: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let end = rest.find('>').expect("every tag ends");
            let tag = &rest[..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop(), Some(name.trim()), "closing tag in order");
            } else if !tag.ends_with('/') {
                open.push(tag.split_whitespace().next().expect("a name"));
            }
            assert!(!tag.contains('<'), "no stray < inside a tag: {tag}");
            rest = &rest[end + 1..];
        }
        assert!(open.is_empty(), "unclosed: {open:?}");
        assert!(svg.trim_start().starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn the_maximum_is_at_the_top_and_the_minimum_at_the_bottom() {
        let scale = Scale::new(&phq9());
        assert_eq!(scale.y(27.0), PLOT_TOP);
        assert_eq!(scale.y(0.0), PLOT_BOTTOM);
        assert_eq!(scale.y(13.5), (PLOT_TOP + PLOT_BOTTOM) / 2.0);
        assert!(
            scale.y(20.0) < scale.y(10.0),
            "a higher score is drawn higher"
        );
    }

    #[test]
    fn each_band_stripe_holds_exactly_its_own_scores() {
        let t = phq9();
        let scale = Scale::new(&t);
        let svg = render(&t);
        let stripes: Vec<(f64, f64)> = tags(&svg, "<rect class=\"chart-band\"")
            .iter()
            .map(|r| (num(r, "y"), num(r, "y") + num(r, "height")))
            .collect();
        assert_eq!(stripes.len(), 5);
        for score in 0..=27 {
            let y = scale.y(f64::from(score));
            let inside: Vec<usize> = (0..5)
                .filter(|&i| stripes[i].0 <= y && y <= stripes[i].1)
                .collect();
            let own = t
                .bands
                .iter()
                .position(|b| b.from <= f64::from(score) && f64::from(score) <= b.to);
            assert_eq!(inside, vec![own.unwrap()], "score {score}");
        }
        // They tile the plot: no gaps, no overlaps.
        assert_eq!(stripes[4].0, PLOT_TOP);
        assert_eq!(stripes[0].1, PLOT_BOTTOM);
        for pair in stripes.windows(2) {
            assert!((pair[0].0 - pair[1].1).abs() < 0.02, "{pair:?}");
        }
        // Boundaries lie halfway between the inclusive ends: mild (5–9) meets moderate (10–14) at 9.5.
        assert_eq!(stripes[1].0, scale.y(9.5));
    }

    #[test]
    fn bands_outside_the_range_are_clamped_or_dropped() {
        let mut t = phq9();
        t.bands = vec![
            band(-10.0, 4.0, "Low"),
            band(5.0, 9.0, "Mild"),
            band(30.0, 40.0, "Off the chart"),
        ];
        let scale = Scale::new(&t);
        let svg = render(&t);
        let stripes = tags(&svg, "<rect class=\"chart-band\"");
        assert_eq!(stripes.len(), 2);
        assert_eq!(
            num(stripes[0], "y") + num(stripes[0], "height"),
            PLOT_BOTTOM
        );
        assert_eq!(num(stripes[0], "y"), scale.y(4.5));
        assert_eq!(
            num(stripes[1], "y"),
            scale.y(9.5),
            "the gap above 9 stays unshaded"
        );
        assert!(!svg.contains("Off the chart"));
    }

    #[test]
    fn the_cutoff_line_is_drawn_dashed_at_its_score_with_its_label() {
        let t = phq9();
        let svg = render(&t);
        let cutoff = svg.find("<g class=\"chart-cutoff\">").expect("a cut-off");
        let line = tags(&svg[cutoff..], "<line")[0];
        assert_eq!(num(line, "y1"), Scale::new(&t).y(9.5));
        assert_eq!(num(line, "y2"), num(line, "y1"));
        assert!(line.contains("stroke-dasharray"));
        assert!(svg.contains("Cut-off 10: probable depression"));
    }

    #[test]
    fn no_cutoff_line_without_a_cutoff_or_outside_the_range() {
        for cutoff in [None, Some(f64::NAN), Some(99.0)] {
            let svg = render(&Trajectory { cutoff, ..phq9() });
            assert!(!svg.contains("chart-cutoff"), "{cutoff:?}");
        }
    }

    #[test]
    fn long_cutoff_labels_wrap_within_the_plot() {
        let mut t = phq9();
        let long = "At or above the cut-off for generalized anxiety disorder (10; sensitivity 89 %, specificity 82 %) and more words";
        t.labels.cutoff = Some(long.into());
        let svg = render(&t);
        let group = &svg[svg.find("<g class=\"chart-cutoff\">").expect("a cut-off")..];
        let lines = texts(&group[..group.find("</g>").expect("closed")], "<text");
        assert!(lines.len() >= 2, "{lines:?}");
        for (_, line) in &lines {
            assert!(text_width(line) <= PLOT_RIGHT - PLOT_LEFT - 12.0, "{line}");
        }
        let joined: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(joined.join(" "), long);
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(
            wrap("  averyveryverylongword x ", 4),
            vec!["averyveryverylongword", "x"]
        );
        assert_eq!(wrap("", 4), Vec::<&str>::new());
    }

    #[test]
    fn reliable_change_marks_get_their_own_shapes_on_their_own_points() {
        let svg = render(&phq9());
        let dots = tags(&svg, "<circle class=\"chart-dot\"");
        assert_eq!(dots.len(), 5);
        let dot_at = |i: usize| (num(dots[i], "cx"), num(dots[i], "cy"));

        let rings = tags(&svg, "<circle class=\"chart-mark chart-mark-improvement\"");
        assert_eq!(rings.len(), 2, "one on the point, one in the legend");
        assert_eq!((num(rings[0], "cx"), num(rings[0], "cy")), dot_at(2));
        assert_eq!(attr(rings[0], "fill"), "none");

        let triangles = tags(
            &svg,
            "<polygon class=\"chart-mark chart-mark-deterioration\"",
        );
        assert_eq!(triangles.len(), 2);
        let corners: Vec<f64> = attr(triangles[0], "points")
            .split([' ', ','])
            .map(|n| n.parse().unwrap())
            .collect();
        let (x, y) = dot_at(3);
        assert!(
            (corners[0] - x).abs() < 0.01 && corners[1] < y,
            "apex above the point"
        );
        let centre_y = (corners[1] + corners[3] + corners[5]) / 3.0;
        assert!((centre_y - y).abs() < 0.05, "centred on the point");

        let recovered = svg
            .find("<g class=\"chart-mark chart-mark-recovered\"")
            .expect("recovered");
        let two_rings = tags(&svg[recovered..], "<circle");
        assert_eq!(
            (num(two_rings[0], "cx"), num(two_rings[0], "cy")),
            dot_at(4)
        );
        assert_eq!(num(two_rings[1], "cx"), dot_at(4).0);
        assert!(num(two_rings[1], "r") > num(two_rings[0], "r"));

        let legend = &svg[svg.find("chart-legend").expect("a legend")..];
        for word in [
            "Reliable improvement",
            "Reliable deterioration",
            "Recovered",
        ] {
            assert!(legend.contains(&format!(">{word}</text>")), "{word}");
        }
    }

    #[test]
    fn the_legend_lists_only_the_marks_that_occur() {
        let mut t = phq9();
        for p in &mut t.points {
            p.mark = None;
        }
        assert!(!render(&t).contains("chart-legend"));
        t.points[1].mark = Some(Mark::Recovered);
        let svg = render(&t);
        assert!(svg.contains(">Recovered</text>"));
        assert!(!svg.contains("Reliable improvement"));
    }

    #[test]
    fn text_from_the_caller_is_escaped() {
        let evil = "<script>alert(\"x\")</script> & 'y'";
        let mut t = phq9();
        t.labels = Labels {
            title: evil.into(),
            description: evil.into(),
            y_axis: evil.into(),
            cutoff: Some(evil.into()),
            improvement: evil.into(),
            deterioration: evil.into(),
            recovered: evil.into(),
            no_data: evil.into(),
        };
        t.bands[2].label = evil.into();
        t.points[0].date_label = evil.into();
        t.id = "x\" onload=\"alert(1)".into();
        let svg = render(&t);
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("onload=\""));
        // askama writes numeric character references, which mean the same as `&lt;` in HTML and XML.
        assert!(
            svg.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;y&#39;")
        );
        assert!(!svg.contains("& '"), "ampersands are escaped");
        assert_balanced(&svg);
        t.points.clear();
        let svg = render(&t);
        assert!(!svg.contains("<script") && svg.contains("&#60;script&#62;"));
    }

    #[test]
    fn the_svg_is_accessible_and_uses_no_inline_style_or_script() {
        let svg = render(&phq9());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let root = tags(&svg, "<svg")[0];
        assert_eq!(attr(root, "role"), "img");
        assert_eq!(attr(root, "class"), "chart");
        let view_box = attr(root, "viewBox");
        let height: f64 = view_box
            .strip_prefix("0 0 600 ")
            .expect("600 wide")
            .parse()
            .expect("a height");
        // Everything, the legend included, lies inside the viewBox.
        for (i, _) in svg.match_indices(" y=\"") {
            let y: f64 = attr(&svg[i..], "y").parse().expect("a number");
            assert!((0.0..height).contains(&y), "{y} in {view_box}");
        }
        assert_eq!(
            attr(root, "aria-labelledby"),
            "phq9-chart-title phq9-chart-desc"
        );
        assert!(svg.contains("<title id=\"phq9-chart-title\">PHQ-9 total over time</title>"));
        assert!(svg.contains(
            "<desc id=\"phq9-chart-desc\">PHQ-9 total from 22 to 6 over 5 responses</desc>"
        ));
        assert!(!svg.contains("style="));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<style"));
        assert_balanced(&svg);
    }

    #[test]
    fn ids_are_made_safe_for_aria_references() {
        assert_eq!(clean_id("client 7/pcl-5"), "client-7-pcl-5");
        assert_eq!(clean_id(""), "chart");
        assert_eq!(clean_id("a_b-9"), "a_b-9");
    }

    #[test]
    fn the_y_axis_has_round_numbered_ticks() {
        let ticks = |min: f64, max: f64| {
            let t = Trajectory { min, max, ..phq9() };
            let (values, step) = Scale::new(&t).ticks();
            let decimals = (-step.log10()).ceil().clamp(0.0, 6.0) as usize;
            values
                .into_iter()
                .map(|v| number_text(v, decimals))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(ticks(0.0, 80.0), "0 20 40 60 80");
        assert_eq!(ticks(0.0, 27.0), "0 5 10 15 20 25");
        assert_eq!(ticks(0.0, 21.0), "0 5 10 15 20");
        assert_eq!(ticks(0.0, 100.0), "0 20 40 60 80 100");
        assert_eq!(ticks(0.0, 4.0), "0 1 2 3 4");
        assert_eq!(ticks(0.0, 0.3), "0 0.05 0.1 0.15 0.2 0.25 0.3");
        assert!(render(&phq9()).contains(">25</text>"));
    }

    #[test]
    fn date_labels_are_thinned_so_they_never_overlap() {
        let mut t = phq9();
        t.points = (0..150).map(|d| point(d, (d % 27) as f64, None)).collect();
        for p in &mut t.points {
            p.date_label = format!("{}. jan. 2025", p.at_ms / 86_400_000);
        }
        let svg = render(&t);
        let labels = texts(&svg, "<text x=");
        let dates: Vec<&(f64, String)> =
            labels.iter().filter(|(_, s)| s.ends_with("2025")).collect();
        assert!(dates.len() > 3 && dates.len() < 20, "{}", dates.len());
        assert_eq!(dates[0].1, "0. jan. 2025", "the first is shown");
        assert_eq!(
            dates.last().unwrap().1,
            "149. jan. 2025",
            "the last is shown"
        );
        for pair in dates.windows(2) {
            let right_edge = pair[0].0 + text_width(&pair[0].1) / 2.0;
            let left_edge = pair[1].0 - text_width(&pair[1].1) / 2.0;
            assert!(right_edge + LABEL_GAP <= left_edge + 0.01, "{pair:?}");
        }
        for (x, s) in &dates {
            assert!(x - text_width(s) / 2.0 >= 0.0 && x + text_width(s) / 2.0 <= WIDTH);
        }
        assert_eq!(tags(&svg, "<circle class=\"chart-dot\"").len(), 150);
        assert_balanced(&svg);
    }

    #[test]
    fn no_responses_show_the_no_data_text_axes_and_bands() {
        let mut t = phq9();
        t.points.clear();
        let svg = render(&t);
        assert!(svg.contains(">No responses yet</text>"));
        assert!(!svg.contains("chart-line") && !svg.contains("chart-dot\""));
        assert_eq!(tags(&svg, "<rect class=\"chart-band\"").len(), 5);
        assert!(svg.contains(">20</text>"), "the y axis is still numbered");
        assert_balanced(&svg);
    }

    #[test]
    fn one_response_is_a_single_dot_in_the_middle() {
        let mut t = phq9();
        t.points = vec![point(3, 12.0, Some(Mark::ReliableImprovement))];
        let svg = render(&t);
        assert!(!svg.contains("<polyline"));
        let dots = tags(&svg, "<circle class=\"chart-dot\"");
        assert_eq!(dots.len(), 1);
        assert_eq!(num(dots[0], "cx"), (PLOT_LEFT + PLOT_RIGHT) / 2.0);
        assert_eq!(num(dots[0], "cy"), Scale::new(&t).y(12.0));
        assert!(svg.contains(">d3</text>"));
        assert!(!svg.contains("No responses yet"));
    }

    #[test]
    fn responses_are_spaced_by_time_and_at_the_same_moment_are_spread_apart() {
        let xs = x_positions(&[0, 10, 20, 100]);
        assert_eq!(xs[0], PLOT_LEFT + X_PAD);
        assert_eq!(xs[3], PLOT_RIGHT - X_PAD);
        assert!((xs[2] - xs[1] - (xs[1] - xs[0])).abs() < 0.02);
        assert!(xs[3] - xs[2] > 4.0 * (xs[2] - xs[1]));

        let same = x_positions(&[5, 5, 5]);
        assert_eq!(
            same,
            vec![
                PLOT_LEFT + X_PAD,
                (PLOT_LEFT + PLOT_RIGHT) / 2.0,
                PLOT_RIGHT - X_PAD
            ]
        );

        let crowded = x_positions(&[0, 0, 0, 1_000_000_000]);
        for pair in crowded.windows(2) {
            assert!(pair[1] - pair[0] >= 5.9, "{crowded:?}");
        }
        assert!(*crowded.last().unwrap() <= PLOT_RIGHT - X_PAD);

        let extremes = x_positions(&[i64::MIN, 0, i64::MAX]);
        assert!(extremes.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn points_are_drawn_in_time_order_whatever_order_they_come_in() {
        let mut t = phq9();
        t.points.reverse();
        let svg = render(&t);
        let dots = tags(&svg, "<circle class=\"chart-dot\"");
        let first = svg.find("<title>d0: 22</title>").unwrap();
        let last = svg.find("<title>d28: 6</title>").unwrap();
        assert!(first < last);
        assert!(num(dots[0], "cx") < num(dots[4], "cx"));
    }

    #[test]
    fn scores_outside_the_range_are_drawn_at_its_edge() {
        let mut t = phq9();
        t.points = vec![point(0, 40.0, None), point(1, -3.0, None)];
        let svg = render(&t);
        let dots = tags(&svg, "<circle class=\"chart-dot\"");
        assert_eq!(num(dots[0], "cy"), PLOT_TOP);
        assert_eq!(num(dots[1], "cy"), PLOT_BOTTOM);
        assert!(
            svg.contains("<title>d0: 40</title>"),
            "the tooltip keeps the value"
        );
    }

    #[test]
    fn odd_input_never_panics_and_never_prints_nan() {
        let odd_ranges = [
            (f64::NAN, f64::NAN),
            (5.0, 5.0),
            (27.0, 0.0),
            (f64::NEG_INFINITY, f64::INFINITY),
            (-f64::MAX, f64::MAX),
            (1e300, 1e300),
            (0.0, 1e-300),
            (-1e12, 1e12),
        ];
        let odd_bands = [
            vec![],
            vec![band(f64::NAN, 3.0, "nan")],
            vec![band(9.0, 5.0, "reversed"), band(5.0, 9.0, "same")],
            vec![band(0.0, 0.0, "one score")],
        ];
        let odd_points = [
            vec![],
            vec![point(0, f64::NAN, Some(Mark::Recovered))],
            vec![point(0, f64::INFINITY, None), point(0, 3.0, None)],
            vec![
                Point {
                    at_ms: i64::MAX,
                    value: 1.0,
                    date_label: String::new(),
                    mark: None,
                },
                Point {
                    at_ms: i64::MIN,
                    value: -1e308,
                    date_label: "x".repeat(500),
                    mark: Some(Mark::ReliableDeterioration),
                },
            ],
        ];
        for (min, max) in odd_ranges {
            for bands in &odd_bands {
                for points in &odd_points {
                    let t = Trajectory {
                        min,
                        max,
                        bands: bands.clone(),
                        cutoff: Some(min),
                        points: points.clone(),
                        labels: Labels::default(),
                        id: String::new(),
                    };
                    let svg = render(&t);
                    assert_balanced(&svg);
                    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{min} {max}");
                }
            }
        }
    }

    #[test]
    fn bands_and_cutoffs_come_from_the_instrument_definitions() {
        let catalogue = Catalogue::builtin();
        let phq9 = catalogue.get("phq-9").expect("PHQ-9");
        let bands = bands_of(phq9, "nb");
        assert_eq!(bands.len(), 5);
        assert_eq!(bands[2], band(10.0, 14.0, "Moderat"));
        assert_eq!(
            bands_of(phq9, "xx")[2].label,
            "Moderate",
            "falls back to English"
        );
        assert_eq!(primary_cutoff_of(phq9), Some(9.5));
        assert_eq!(total_range_of(phq9), (0.0, 27.0));

        let pcl5 = catalogue.get("pcl-5").expect("PCL-5");
        assert!(bands_of(pcl5, "en").is_empty());
        assert_eq!(primary_cutoff_of(pcl5), Some(32.5));
        assert_eq!(total_range_of(pcl5), (0.0, 80.0));

        let who5 = catalogue.get("who-5").expect("WHO-5");
        assert_eq!(primary_cutoff_of(who5), Some(12.5), "at most 12: 50 % × 25");

        let gad7 = catalogue.get("gad-7").expect("GAD-7");
        assert_eq!(bands_of(gad7, "en").last().map(|b| b.to), Some(21.0));
    }
}
