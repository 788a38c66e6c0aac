//! Statistics used by the measurement core and, later, the outcome reports. Each function documents its formula and
//! source.

pub mod reliable_change;
