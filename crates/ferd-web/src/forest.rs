//! Two more server-rendered SVG charts, for the outcome report and the evidence page: a forest plot (estimates
//! with 95 % intervals, one row each, a line at no effect) and a histogram (how clients' change is spread).
//! Geometry is computed here as numbers; all text goes through the askama templates (`templates/chart/forest.svg`,
//! `templates/chart/histogram.svg`), so it is escaped. Presentation attributes only, no script: the
//! Content-Security-Policy forbids inline styles.

use askama::Template;

/// One row of a forest plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    /// The row's name (a study arm, the practice).
    pub label: String,
    /// The estimate and interval as text, in the reader's number style, e.g. "1.17 (0.40 to 1.94)".
    pub value_text: String,
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The practice's own row is drawn as a diamond, the published ones as squares.
    pub own: bool,
    /// A heading row above a group (no estimate is drawn).
    pub heading: bool,
}

/// The words of a forest plot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ForestLabels {
    pub title: String,
    pub description: String,
    /// Under the axis, e.g. "Hedges' g (95 % CI)".
    pub axis: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Tick {
    x: f64,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
struct DrawnRow {
    y: f64,
    text_y: f64,
    label: String,
    value_text: String,
    heading: bool,
    x_est: f64,
    x_lo: f64,
    x_hi: f64,
    own: bool,
    /// The diamond's points, for the practice's row.
    diamond: String,
}

#[derive(Template)]
#[template(path = "chart/forest.svg")]
struct ForestSvg {
    id: String,
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    zero_x: Option<f64>,
    title: String,
    description: String,
    axis: String,
    rows: Vec<DrawnRow>,
    ticks: Vec<Tick>,
}

/// A tick step of 1, 2 or 5 × 10ⁿ giving about `target` ticks over `span`.
fn nice_step(span: f64, target: f64) -> f64 {
    let raw = (span / target).max(f64::EPSILON);
    let mag = 10f64.powf(raw.log10().floor());
    let r = raw / mag;
    let m = if r <= 1.0 {
        1.0
    } else if r <= 2.0 {
        2.0
    } else if r <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

fn tick_text(v: f64, step: f64, decimal_comma: bool) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    let s = format!("{v:.decimals$}");
    let s = if s == "-0" { "0".to_string() } else { s };
    let s = s.replace('-', "−");
    if decimal_comma {
        s.replace('.', ",")
    } else {
        s
    }
}

/// Renders a forest plot. `id` must be unique on the page (it names the title and description for screen readers).
/// Rows with non-finite numbers are drawn as text only.
pub fn forest(id: &str, rows: &[ForestRow], labels: &ForestLabels, decimal_comma: bool) -> String {
    let row_h = 30.0;
    // Columns sized from the longest label and value (about 7.6 units a character at 14 px), so the numbers never
    // run into the plot; the plot itself is 320 wide. The SVG scales, so the total width only sets proportions.
    let chars = |s: &str| s.chars().count() as f64;
    let label_w = rows
        .iter()
        .map(|r| chars(&r.label) + if r.heading { 0.0 } else { 1.0 })
        .fold(10.0_f64, f64::max)
        * 7.6;
    let value_w = rows
        .iter()
        .map(|r| chars(&r.value_text))
        .fold(6.0_f64, f64::max)
        * 7.6;
    let left = 16.0 + label_w + 16.0;
    let right = left + 320.0;
    let width = right + 24.0 + value_w + 8.0;
    let top = 16.0;
    let bottom = top + row_h * rows.len().max(1) as f64;
    let height = bottom + 52.0;
    let finite: Vec<&ForestRow> = rows
        .iter()
        .filter(|r| !r.heading && r.ci_low.is_finite() && r.ci_high.is_finite())
        .collect();
    let mut lo = finite.iter().map(|r| r.ci_low).fold(0.0_f64, f64::min);
    let mut hi = finite.iter().map(|r| r.ci_high).fold(0.0_f64, f64::max);
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let step = nice_step(hi - lo, 5.0);
    lo = (lo / step).floor() * step;
    hi = (hi / step).ceil() * step;
    let x = |v: f64| left + (v.clamp(lo, hi) - lo) / (hi - lo) * (right - left);
    let mut ticks = Vec::new();
    let mut t = lo;
    while t <= hi + step / 2.0 {
        ticks.push(Tick {
            x: x(t),
            text: tick_text(t, step, decimal_comma),
        });
        t += step;
    }
    let drawn = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = top + row_h * (i as f64 + 0.5);
            let (xe, xl, xh) = if r.heading || !r.estimate.is_finite() {
                (f64::NAN, f64::NAN, f64::NAN)
            } else {
                (x(r.estimate), x(r.ci_low), x(r.ci_high))
            };
            DrawnRow {
                y,
                text_y: y + 5.0,
                label: r.label.clone(),
                value_text: r.value_text.clone(),
                heading: r.heading,
                x_est: xe,
                x_lo: xl,
                x_hi: xh,
                own: r.own,
                diamond: format!(
                    "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    xe - 8.0,
                    y,
                    xe,
                    y - 8.0,
                    xe + 8.0,
                    y,
                    xe,
                    y + 8.0
                ),
            }
        })
        .collect();
    ForestSvg {
        id: id.to_string(),
        width,
        height,
        left,
        right,
        top,
        bottom,
        zero_x: (lo <= 0.0 && hi >= 0.0).then(|| x(0.0)),
        title: labels.title.clone(),
        description: labels.description.clone(),
        axis: labels.axis.clone(),
        rows: drawn,
        ticks,
    }
    .render()
    .unwrap_or_default()
}

/// The words of a histogram.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistogramLabels {
    pub title: String,
    pub description: String,
    /// Under the axis, e.g. "Change in PCL-5 points (latest − first)".
    pub x_axis: String,
    /// Beside the count axis, e.g. "Clients".
    pub y_axis: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Bar {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    count: usize,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "chart/histogram.svg")]
struct HistogramSvg {
    id: String,
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    zero_x: Option<f64>,
    title: String,
    description: String,
    x_axis: String,
    y_axis: String,
    bars: Vec<Bar>,
    x_ticks: Vec<Tick>,
    y_ticks: Vec<(f64, usize)>,
}

/// How many values fall in each bin of `width`, bins aligned on multiples of the width: (bin start, count).
pub fn bins(values: &[f64], width: f64) -> Vec<(f64, usize)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() || width <= 0.0 {
        return Vec::new();
    }
    let min = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let first = (min / width).floor() as i64;
    let last = (max / width).floor() as i64;
    let mut counts = vec![0usize; (last - first + 1) as usize];
    for v in finite {
        counts[((v / width).floor() as i64 - first) as usize] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, c)| ((first + i as i64) as f64 * width, c))
        .collect()
}

/// Renders a histogram of `values` with bins of `width`.
pub fn histogram(id: &str, values: &[f64], width: f64, labels: &HistogramLabels) -> String {
    let b = bins(values, width);
    let (w, h, left, right, top, bottom) = (760.0, 300.0, 64.0, 740.0, 16.0, 240.0);
    let (lo, hi) = match (b.first(), b.last()) {
        (Some(f), Some(l)) => (f.0.min(0.0), (l.0 + width).max(0.0)),
        _ => (-width, width),
    };
    let x = |v: f64| left + (v - lo) / (hi - lo) * (right - left);
    let max_count = b.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1);
    let y_step = nice_step(max_count as f64, 4.0).max(1.0).round() as usize;
    let y_top = max_count.div_ceil(y_step) * y_step;
    let y = |c: usize| bottom - (c as f64) / (y_top as f64) * (bottom - top);
    let bars = b
        .iter()
        .map(|(start, count)| Bar {
            x: x(*start) + 1.0,
            y: y(*count),
            w: (x(start + width) - x(*start) - 2.0).max(1.0),
            h: bottom - y(*count),
            count: *count,
            from: tick_text(*start, 1.0, false),
            to: tick_text(start + width, 1.0, false),
        })
        .collect();
    let x_step = nice_step(hi - lo, 8.0).max(width);
    let mut x_ticks = Vec::new();
    let mut t = (lo / x_step).ceil() * x_step;
    while t <= hi + 1e-9 {
        x_ticks.push(Tick {
            x: x(t),
            text: tick_text(t, x_step, false),
        });
        t += x_step;
    }
    let y_ticks = (0..=y_top / y_step)
        .map(|k| (y(k * y_step), k * y_step))
        .collect();
    HistogramSvg {
        id: id.to_string(),
        width: w,
        height: h,
        left,
        right,
        top,
        bottom,
        zero_x: (lo < 0.0 && hi > 0.0).then(|| x(0.0)),
        title: labels.title.clone(),
        description: labels.description.clone(),
        x_axis: labels.x_axis.clone(),
        y_axis: labels.y_axis.clone(),
        bars,
        x_ticks,
        y_ticks,
    }
    .render()
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_aligned_on_multiples_of_the_width_and_count_every_value() {
        // −12 and −10 fall in [−15, −10) and [−10, −5); 0 in [0, 5); 4.9 too.
        let b = bins(&[-12.0, -10.0, 0.0, 4.9, f64::NAN], 5.0);
        assert_eq!(b, vec![(-15.0, 1), (-10.0, 1), (-5.0, 0), (0.0, 2)]);
        assert!(bins(&[], 5.0).is_empty());
    }

    #[test]
    fn a_forest_plot_escapes_its_text_and_draws_a_line_at_no_effect() {
        let rows = [ForestRow {
            label: "<script>".into(),
            value_text: "1.17 (0.40 to 1.94)".into(),
            estimate: 1.17,
            ci_low: 0.4,
            ci_high: 1.94,
            own: false,
            heading: false,
        }];
        let svg = forest("f", &rows, &ForestLabels::default(), false);
        assert!(
            svg.contains("&#60;script&#62;") && !svg.contains("<script>"),
            "{svg}"
        );
        assert!(svg.contains("class=\"forest-zero\""));
    }
}
