//! Descriptive statistics and effect sizes, each with its sampling variance and a 95 % confidence interval.
//!
//! Sources: Borenstein M, Hedges LV, Higgins JPT, Rothstein HR. *Introduction to Meta-Analysis* (Wiley 2009),
//! ch. 4–5 (d, g, variances; log risk ratio, log odds ratio, risk difference); Hedges LV (1981) for the small-sample
//! correction J = 1 − 3/(4·df − 1); Lakens D (2013), Front Psychol 4:863, for d_z and d_av.

use statrs::distribution::{ContinuousCDF, Normal};

/// The two-sided 95 % normal quantile, z₀.₉₇₅ = 1.959964…
pub fn z975() -> f64 {
    Normal::new(0.0, 1.0)
        .expect("standard normal")
        .inverse_cdf(0.975)
}

/// An estimate with its sampling variance and 95 % CI (estimate ± z₀.₉₇₅·√variance).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub estimate: f64,
    pub variance: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Estimate {
    /// An estimate with a normal-theory 95 % CI.
    pub fn new(estimate: f64, variance: f64) -> Estimate {
        let half = z975() * variance.sqrt();
        Estimate {
            estimate,
            variance,
            ci_low: estimate - half,
            ci_high: estimate + half,
        }
    }
}

/// Arithmetic mean; `None` for no values.
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (n − 1 denominator); `None` for fewer than two values.
pub fn sd(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    (xs.len() >= 2)
        .then(|| (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt())
}

/// The 95 % confidence interval of a mean from its SD and n: mean ± t₀.₉₇₅(n − 1)·SD/√n (the one-sample t interval;
/// e.g. Altman DG, *Practical Statistics for Medical Research*, 1991, §8.3). `None` below two observations.
pub fn mean_ci(mean: f64, sd: f64, n: usize) -> Option<(f64, f64)> {
    use statrs::distribution::StudentsT;
    if n < 2 || !sd.is_finite() || sd < 0.0 {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .ok()?
        .inverse_cdf(0.975);
    let half = t * sd / (n as f64).sqrt();
    Some((mean - half, mean + half))
}

/// Pearson correlation; `None` for fewer than three pairs or no variation.
pub fn correlation(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() != ys.len() || xs.len() < 3 {
        return None;
    }
    let (mx, my) = (mean(xs)?, mean(ys)?);
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Hedges' small-sample correction J = 1 − 3/(4·df − 1).
pub fn hedges_j(df: f64) -> f64 {
    1.0 - 3.0 / (4.0 * df - 1.0)
}

/// Two independent groups summarised by mean, SD and n.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Group {
    pub mean: f64,
    pub sd: f64,
    pub n: f64,
}

/// Cohen's d for independent groups: (m₁ − m₂)/s_pooled, s_pooled² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2);
/// V_d = (n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂)) (Borenstein 2009, eq. 4.18–4.20).
pub fn cohens_d(g1: Group, g2: Group) -> Option<Estimate> {
    let df = g1.n + g2.n - 2.0;
    if g1.n < 2.0 || g2.n < 2.0 || g1.sd < 0.0 || g2.sd < 0.0 {
        return None;
    }
    let pooled = (((g1.n - 1.0) * g1.sd.powi(2) + (g2.n - 1.0) * g2.sd.powi(2)) / df).sqrt();
    if pooled <= 0.0 {
        return None;
    }
    let d = (g1.mean - g2.mean) / pooled;
    let v = (g1.n + g2.n) / (g1.n * g2.n) + d * d / (2.0 * (g1.n + g2.n));
    Some(Estimate::new(d, v))
}

/// The sampling variance of a standardised mean difference from the estimate and the two group sizes, for a result
/// published without its own interval: V = (n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂)) (Borenstein 2009, eq. 4.20).
pub fn smd_variance(d: f64, n1: f64, n2: f64) -> Option<f64> {
    (n1 >= 2.0 && n2 >= 2.0 && d.is_finite())
        .then(|| (n1 + n2) / (n1 * n2) + d * d / (2.0 * (n1 + n2)))
}

/// Hedges' g = J·d with J = 1 − 3/(4(n₁+n₂−2) − 1); V_g = J²·V_d (Borenstein 2009, eq. 4.22–4.24).
pub fn hedges_g(g1: Group, g2: Group) -> Option<Estimate> {
    let d = cohens_d(g1, g2)?;
    let j = hedges_j(g1.n + g2.n - 2.0);
    Some(Estimate::new(j * d.estimate, j * j * d.variance))
}

/// Paired (pre/post) change for one group.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PairedChange {
    pub n: usize,
    pub mean_pre: f64,
    pub mean_post: f64,
    /// Mean of post − pre.
    pub mean_change: f64,
    pub sd_pre: f64,
    pub sd_post: f64,
    pub sd_change: f64,
    /// Pre–post correlation.
    pub r: f64,
    /// d_z = mean change / SD of the change; V = 1/n + d_z²/(2n) (Lakens 2013; Borenstein 2009 eq. 4.28 form).
    pub d_z: Estimate,
    /// d_av = mean change / ((SD_pre + SD_post)/2); V = 2(1 − r)/n + d_av²/(2n) (Lakens 2013; Borenstein 2009,
    /// eq. 4.28 with the raw-score standardiser).
    pub d_av: Estimate,
}

/// Paired change from pre/post observations of the same people (at least three pairs, some variation).
pub fn paired_change(pre: &[f64], post: &[f64]) -> Option<PairedChange> {
    if pre.len() != post.len() || pre.len() < 3 {
        return None;
    }
    let n = pre.len() as f64;
    let diff: Vec<f64> = pre.iter().zip(post).map(|(a, b)| b - a).collect();
    let (mean_pre, mean_post, mean_change) = (mean(pre)?, mean(post)?, mean(&diff)?);
    let (sd_pre, sd_post, sd_change) = (sd(pre)?, sd(post)?, sd(&diff)?);
    let r = correlation(pre, post)?;
    if sd_change <= 0.0 || sd_pre + sd_post <= 0.0 {
        return None;
    }
    let dz = mean_change / sd_change;
    let dav = mean_change / ((sd_pre + sd_post) / 2.0);
    Some(PairedChange {
        n: pre.len(),
        mean_pre,
        mean_post,
        mean_change,
        sd_pre,
        sd_post,
        sd_change,
        r,
        d_z: Estimate::new(dz, 1.0 / n + dz * dz / (2.0 * n)),
        d_av: Estimate::new(dav, 2.0 * (1.0 - r) / n + dav * dav / (2.0 * n)),
    })
}

/// A 2×2 table: events and non-events in the treatment (a, b) and control (c, d) groups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoByTwo {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
}

impl TwoByTwo {
    /// The table with 0.5 added to every cell when any cell is 0 (metafor's default "only0"; Borenstein 2009).
    pub fn corrected(self) -> TwoByTwo {
        if [self.a, self.b, self.c, self.d].contains(&0.0) {
            TwoByTwo {
                a: self.a + 0.5,
                b: self.b + 0.5,
                c: self.c + 0.5,
                d: self.d + 0.5,
            }
        } else {
            self
        }
    }

    fn valid(&self) -> bool {
        [self.a, self.b, self.c, self.d]
            .iter()
            .all(|x| x.is_finite() && *x >= 0.0)
            && self.a + self.b > 0.0
            && self.c + self.d > 0.0
    }

    /// log risk ratio ln[(a/(a+b)) / (c/(c+d))], V = 1/a − 1/(a+b) + 1/c − 1/(c+d) (Borenstein 2009 eq. 5.1–5.3).
    pub fn log_risk_ratio(self) -> Option<Estimate> {
        if !self.valid() {
            return None;
        }
        let t = self.corrected();
        let (n1, n2) = (t.a + t.b, t.c + t.d);
        Some(Estimate::new(
            (t.a / n1).ln() - (t.c / n2).ln(),
            1.0 / t.a - 1.0 / n1 + 1.0 / t.c - 1.0 / n2,
        ))
    }

    /// log odds ratio ln(ad/bc), V = 1/a + 1/b + 1/c + 1/d (Borenstein 2009 eq. 5.8–5.10).
    pub fn log_odds_ratio(self) -> Option<Estimate> {
        if !self.valid() {
            return None;
        }
        let t = self.corrected();
        Some(Estimate::new(
            (t.a * t.d / (t.b * t.c)).ln(),
            1.0 / t.a + 1.0 / t.b + 1.0 / t.c + 1.0 / t.d,
        ))
    }

    /// Risk difference p₁ − p₂, V = p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂ (Borenstein 2009 eq. 5.13–5.14). No correction.
    pub fn risk_difference(self) -> Option<Estimate> {
        if !self.valid() {
            return None;
        }
        let (n1, n2) = (self.a + self.b, self.c + self.d);
        let (p1, p2) = (self.a / n1, self.c / n2);
        Some(Estimate::new(
            p1 - p2,
            p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    // Hand-computed: groups (M 103, SD 5.5, n 50) and (M 100, SD 4.5, n 50), Borenstein 2009 §4.2's worked example:
    // s_pooled = √((49·30.25 + 49·20.25)/98) = √25.25 = 5.0249; d = 3/5.0249 = 0.5970; V_d = 100/2500 + 0.3564/200
    // = 0.0418; J = 1 − 3/(4·98 − 1) = 0.9923; g = 0.5924; V_g = 0.9923²·0.041782 = 0.041143 (the book prints
    // 0.0412, from the rounded V_d).
    #[test]
    fn d_and_g_match_borensteins_worked_example() {
        let a = Group {
            mean: 103.0,
            sd: 5.5,
            n: 50.0,
        };
        let b = Group {
            mean: 100.0,
            sd: 4.5,
            n: 50.0,
        };
        let d = cohens_d(a, b).unwrap();
        assert!(close(d.estimate, 0.5970, 5e-5), "{}", d.estimate);
        assert!(close(d.variance, 0.0418, 5e-5), "{}", d.variance);
        let g = hedges_g(a, b).unwrap();
        assert!(close(hedges_j(98.0), 0.992327, 1e-6));
        assert!(close(g.estimate, 0.5924, 5e-5), "{}", g.estimate);
        assert!(close(g.variance, 0.041143, 5e-6), "{}", g.variance);
        assert!(close(
            g.ci_high - g.estimate,
            1.959964 * 0.041143f64.sqrt(),
            1e-5
        ));
    }

    // Hand-computed 2×2: a=4, b=119, c=11, d=128 (the first BCG trial).
    // log RR = ln(4/123) − ln(11/139) = −3.4265 + 2.5365 = −0.8893; V = 1/4 − 1/123 + 1/11 − 1/139 = 0.3256.
    // log OR = ln(4·128/(119·11)) = ln(0.39114) = −0.9387; V = 1/4 + 1/119 + 1/11 + 1/128 = 0.3571.
    // RD = 0.032520 − 0.079137 = −0.046617; V = 0.032520·0.967480/123 + 0.079137·0.920863/139 = 0.00078007.
    #[test]
    fn two_by_two_effects_match_hand_computation() {
        let t = TwoByTwo {
            a: 4.0,
            b: 119.0,
            c: 11.0,
            d: 128.0,
        };
        let rr = t.log_risk_ratio().unwrap();
        assert!(
            close(rr.estimate, -0.889311, 1e-6) && close(rr.variance, 0.325585, 1e-6),
            "{rr:?}"
        );
        let or = t.log_odds_ratio().unwrap();
        assert!(
            close(or.estimate, -0.938694, 1e-6) && close(or.variance, 0.357125, 1e-6),
            "{or:?}"
        );
        let rd = t.risk_difference().unwrap();
        assert!(
            close(rd.estimate, -0.046617, 1e-6) && close(rd.variance, 0.00078007, 1e-8),
            "{rd:?}"
        );
        // A zero cell: 0.5 is added to every cell.
        let z = TwoByTwo {
            a: 0.0,
            b: 10.0,
            c: 2.0,
            d: 8.0,
        }
        .log_odds_ratio()
        .unwrap();
        assert!(close(z.estimate, (0.5f64 * 8.5 / (10.5 * 2.5)).ln(), 1e-12));
        assert!(TwoByTwo {
            a: -1.0,
            b: 1.0,
            c: 1.0,
            d: 1.0
        }
        .log_odds_ratio()
        .is_none());
    }

    // Hand-computed paired example: pre 40, 50, 60, 45; post 30, 35, 50, 40 → changes −10, −15, −10, −5:
    // mean change −10, SD change √(50/3) = 4.0825, d_z = −2.4495; SD pre = SD post = √(218.75/3) = 8.5391,
    // d_av = −10/8.5391 = −1.1711.
    #[test]
    fn paired_change_gives_d_z_and_d_av() {
        let p = paired_change(&[40.0, 50.0, 60.0, 45.0], &[30.0, 35.0, 50.0, 40.0]).unwrap();
        assert!(close(p.mean_change, -10.0, 1e-12));
        assert!(close(p.sd_change, 4.082483, 1e-6));
        assert!(close(p.d_z.estimate, -2.449490, 1e-6));
        assert!(close(p.d_z.variance, 0.25 + 6.0 / 8.0, 1e-9));
        assert!(
            close(p.d_av.estimate, -1.171088, 1e-5),
            "{}",
            p.d_av.estimate
        );
        assert!(paired_change(&[1.0, 2.0], &[1.0, 2.0]).is_none());
        assert_eq!(
            sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).map(|s| (s * 1e6).round()),
            Some(2138090.0)
        );
    }
}
