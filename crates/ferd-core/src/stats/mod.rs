//! Statistics used by the measurement core and the outcome reports. Each function documents its formula and
//! source. Distribution functions come from `statrs`.

pub mod effect;
pub mod meta;
pub mod reliable_change;
