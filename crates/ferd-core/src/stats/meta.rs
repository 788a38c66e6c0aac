//! Fixed-effect and random-effects meta-analysis of effects yᵢ with sampling variances vᵢ.
//!
//! - Fixed effect: wᵢ = 1/vᵢ, θ = Σwᵢyᵢ/Σwᵢ, SE = 1/√Σwᵢ; Cochran's Q = Σwᵢ(yᵢ − θ)² (Borenstein 2009, ch. 11).
//! - τ² estimators: DerSimonian–Laird τ² = max(0, (Q − (k−1))/(Σw − Σw²/Σw)) (DerSimonian & Laird 1986);
//!   Paule–Mandel, the τ² ≥ 0 at which the generalised Q Σ(yᵢ−θ)²/(vᵢ+τ²) equals k − 1 (Paule & Mandel 1982;
//!   DerSimonian & Kacker 2007); REML, the root of the restricted-likelihood score, by the fixed-point iteration
//!   τ² = Σwᵢ²((yᵢ−θ)² − vᵢ)/Σwᵢ² + 1/Σwᵢ with wᵢ = 1/(vᵢ+τ²), truncated at 0 (Viechtbauer 2005).
//! - Random effects: wᵢ* = 1/(vᵢ+τ²), θ = Σwᵢ*yᵢ/Σwᵢ*, SE = 1/√Σwᵢ*, z = θ/SE, two-sided p, CI θ ± z₀.₉₇₅·SE.
//! - Knapp–Hartung: SE² = Σwᵢ*(yᵢ−θ)² / ((k−1)Σwᵢ*), with t(k−1) for the CI and the test (Knapp & Hartung 2003).
//! - Heterogeneity: for random effects I² = τ²/(τ² + s²) and H² = (τ² + s²)/s² with the typical within-study
//!   variance s² = (k−1)Σw/((Σw)² − Σw²) (Higgins & Thompson 2002, as in metafor); for the fixed effect I² =
//!   max(0, (Q − (k−1))/Q) and H² = Q/(k−1).
//! - 95 % prediction interval θ ± t(k−2)·√(τ² + SE²) (Higgins, Thompson & Spiegelhalter 2009); with Knapp–Hartung
//!   t(k−1) as metafor does. Needs k ≥ 3 (k ≥ 2 with Knapp–Hartung); for the fixed effect it is the CI.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// How τ² is estimated (or the fixed-effect model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Method {
    /// Fixed effect (common effect).
    FE,
    /// DerSimonian–Laird.
    DL,
    /// Restricted maximum likelihood.
    REML,
    /// Paule–Mandel.
    PM,
}

/// The pooled result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetaResult {
    pub method: Method,
    pub knha: bool,
    pub k: usize,
    pub estimate: f64,
    pub se: f64,
    /// z (or t with Knapp–Hartung).
    pub z: f64,
    pub p: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub tau2: f64,
    /// Cochran's Q (fixed-effect weights) and its df and p.
    pub q: f64,
    pub q_df: usize,
    pub q_p: f64,
    pub i2: f64,
    pub h2: f64,
    pub pi_low: Option<f64>,
    pub pi_high: Option<f64>,
    /// Iterations used by an iterative τ² estimator.
    pub iterations: usize,
}

/// Why a meta-analysis cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetaError {
    #[error("a meta-analysis needs at least 2 studies, got {0}")]
    TooFew(usize),
    #[error("study {0}: the effect and its variance must be finite numbers and the variance greater than 0")]
    BadStudy(usize),
    #[error("the {0} estimate of tau² did not converge")]
    NoConvergence(&'static str),
}

fn weighted_mean(y: &[f64], w: &[f64]) -> f64 {
    y.iter().zip(w).map(|(y, w)| y * w).sum::<f64>() / w.iter().sum::<f64>()
}

fn generalised_q(y: &[f64], v: &[f64], tau2: f64) -> f64 {
    let w: Vec<f64> = v.iter().map(|v| 1.0 / (v + tau2)).collect();
    let m = weighted_mean(y, &w);
    y.iter().zip(&w).map(|(y, w)| w * (y - m).powi(2)).sum()
}

fn tau2_dl(y: &[f64], v: &[f64]) -> f64 {
    let w: Vec<f64> = v.iter().map(|v| 1.0 / v).collect();
    let sw: f64 = w.iter().sum();
    let sw2: f64 = w.iter().map(|w| w * w).sum();
    let q = generalised_q(y, v, 0.0);
    ((q - (y.len() as f64 - 1.0)) / (sw - sw2 / sw)).max(0.0)
}

/// Paule–Mandel by bisection on the monotone generalised Q (to full double precision).
fn tau2_pm(y: &[f64], v: &[f64]) -> Result<(f64, usize), MetaError> {
    let df = y.len() as f64 - 1.0;
    if generalised_q(y, v, 0.0) <= df {
        return Ok((0.0, 0));
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64.max(tau2_dl(y, v)));
    let mut n = 0;
    while generalised_q(y, v, hi) > df {
        hi *= 2.0;
        n += 1;
        if n > 200 {
            return Err(MetaError::NoConvergence("Paule–Mandel"));
        }
    }
    for i in 0..2000 {
        let mid = 0.5 * (lo + hi);
        if generalised_q(y, v, mid) > df {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * hi.max(1e-300) {
            return Ok((0.5 * (lo + hi), i + n));
        }
    }
    Err(MetaError::NoConvergence("Paule–Mandel"))
}

/// REML by the fixed-point iteration of the restricted-likelihood score, started at the DL estimate.
fn tau2_reml(y: &[f64], v: &[f64]) -> Result<(f64, usize), MetaError> {
    let mut tau2 = tau2_dl(y, v);
    for i in 1..=10_000 {
        let w: Vec<f64> = v.iter().map(|v| 1.0 / (v + tau2)).collect();
        let m = weighted_mean(y, &w);
        let sw: f64 = w.iter().sum();
        let sw2: f64 = w.iter().map(|w| w * w).sum();
        let num: f64 = y
            .iter()
            .zip(v)
            .zip(&w)
            .map(|((y, v), w)| w * w * ((y - m).powi(2) - v))
            .sum();
        let next = (num / sw2 + 1.0 / sw).max(0.0);
        if (next - tau2).abs() <= 1e-14 * next.max(1e-12) {
            return Ok((next, i));
        }
        tau2 = next;
    }
    Err(MetaError::NoConvergence("REML"))
}

/// Pools effects `y` with sampling variances `v`.
pub fn meta_analysis(
    y: &[f64],
    v: &[f64],
    method: Method,
    knha: bool,
) -> Result<MetaResult, MetaError> {
    let k = y.len();
    if k < 2 || v.len() != k {
        return Err(MetaError::TooFew(k.min(v.len())));
    }
    for (i, (y, v)) in y.iter().zip(v).enumerate() {
        if !y.is_finite() || !v.is_finite() || *v <= 0.0 {
            return Err(MetaError::BadStudy(i + 1));
        }
    }
    let df = (k - 1) as f64;
    let w_fe: Vec<f64> = v.iter().map(|v| 1.0 / v).collect();
    let sw: f64 = w_fe.iter().sum();
    let sw2: f64 = w_fe.iter().map(|w| w * w).sum();
    let q = generalised_q(y, v, 0.0);
    let (tau2, iterations) = match method {
        Method::FE => (0.0, 0),
        Method::DL => (tau2_dl(y, v), 0),
        Method::PM => tau2_pm(y, v)?,
        Method::REML => tau2_reml(y, v)?,
    };
    let w: Vec<f64> = v.iter().map(|v| 1.0 / (v + tau2)).collect();
    let sw_star: f64 = w.iter().sum();
    let estimate = weighted_mean(y, &w);
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    let (se, crit, dist_df) = if knha {
        let s2 = y
            .iter()
            .zip(&w)
            .map(|(y, w)| w * (y - estimate).powi(2))
            .sum::<f64>()
            / (df * sw_star);
        let t = StudentsT::new(0.0, 1.0, df).expect("t distribution");
        (s2.sqrt(), t.inverse_cdf(0.975), Some(df))
    } else {
        ((1.0 / sw_star).sqrt(), normal.inverse_cdf(0.975), None)
    };
    let z = estimate / se;
    let p = match dist_df {
        Some(df) => 2.0 * (1.0 - StudentsT::new(0.0, 1.0, df).expect("t").cdf(z.abs())),
        None => 2.0 * (1.0 - normal.cdf(z.abs())),
    };
    let chi2 = statrs::distribution::ChiSquared::new(df).expect("chi-squared");
    let q_p = 1.0 - chi2.cdf(q);
    let (i2, h2) = if method == Method::FE {
        (((q - df) / q).max(0.0), q / df)
    } else {
        let s2 = df * sw / (sw * sw - sw2);
        (tau2 / (tau2 + s2), (tau2 + s2) / s2)
    };
    let (pi_low, pi_high) = if method == Method::FE {
        (Some(estimate - crit * se), Some(estimate + crit * se))
    } else {
        let pi_df = if knha { df } else { df - 1.0 };
        if pi_df >= 1.0 {
            let t = StudentsT::new(0.0, 1.0, pi_df)
                .expect("t")
                .inverse_cdf(0.975);
            let half = t * (tau2 + se * se).sqrt();
            (Some(estimate - half), Some(estimate + half))
        } else {
            (None, None)
        }
    };
    Ok(MetaResult {
        method,
        knha,
        k,
        estimate,
        se,
        z,
        p,
        ci_low: estimate - crit * se,
        ci_high: estimate + crit * se,
        tau2,
        q,
        q_df: k - 1,
        q_p,
        i2,
        h2,
        pi_low,
        pi_high,
        iterations,
    })
}
