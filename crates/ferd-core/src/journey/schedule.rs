//! A journey's calendar: the sessions and assessments a protocol plans from a start day, and the check that shows
//! when dates have strayed outside the protocol's windows.
//!
//! Every item is measured from an anchor (the previous preparation session, the medicine session it follows …), so
//! a window is always about the *actual* day of the anchor: integration 2.1 belongs to the morning after medicine
//! session 2 wherever that session ends up. Moving a session with [`Schedule::shift`] takes the items measured
//! from it along, which is what a therapist means by "move the medicine session a week".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::protocol::{Planned, Protocol, Window};
use super::session::{Contact, SessionKind};
use crate::calendar::{Day, TimeOfDay};
use crate::instruments::Localized;

/// Choices a practice makes when a journey's calendar is generated.
#[derive(Debug, Clone, Default)]
pub struct ScheduleOptions {
    /// Move in-person and video sessions off Saturdays and Sundays, to the nearest weekday their window allows.
    /// Phone check-ins keep their day: they are daily on purpose.
    pub weekdays_only: bool,
    /// The time of day per session group id (`medicine`, `integration` …), instead of the protocol's. Ids that
    /// name no group of the protocol are ignored.
    pub times: BTreeMap<String, TimeOfDay>,
}

/// The first and last day an item may fall on, given where its anchor is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayWindow {
    pub earliest: Day,
    pub latest: Day,
}

impl DayWindow {
    /// Whether `day` lies inside.
    pub fn contains(self, day: Day) -> bool {
        self.earliest <= day && day <= self.latest
    }
}

/// A session the protocol plans.
///
/// Medicine sessions appear so that the whole course can be seen and agreed with the clinic, but a medicine
/// session is booked only once [`can_schedule_medicine`](super::can_schedule_medicine) allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSession {
    /// Stable key within the protocol: `preparation.2`, `medicine.1`, `integration.1.1`, `check-in.2.5`.
    pub key: String,
    /// The session group's id.
    pub group: String,
    pub kind: SessionKind,
    pub contact: Contact,
    /// The block (the medicine session it follows) for sessions that repeat per medicine session.
    pub block: Option<u32>,
    /// Its number within the group or block, from 1.
    pub number: u32,
    /// "Preparation 2", "Integration 1.1" … in each language the protocol has.
    pub label: Localized,
    pub day: Day,
    pub time: TimeOfDay,
    pub duration_minutes: u16,
    /// The key of the session it is measured from; `None` for the journey's start.
    pub anchor: Option<String>,
    /// Allowed days after the anchor.
    pub allowed: Window,
    /// The same window as dates, from the anchor's current day.
    pub window: DayWindow,
}

/// An assessment the protocol plans: one instrument at one point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAssessment {
    /// Stable key: `<point>@<session key>/<instrument>`, e.g. `before-medicine@medicine.2/pcl-5`.
    pub key: String,
    /// The assessment point's id (`baseline`, `before-medicine` …), stored as the assessment's point.
    pub point: String,
    pub instrument: String,
    pub label: Localized,
    /// The day it is due.
    pub due: Day,
    /// The session it is timed from.
    pub anchor: String,
    pub allowed: Window,
    pub window: DayWindow,
}

/// The planned calendar of one journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub protocol: String,
    pub start: Day,
    /// In calendar order.
    pub sessions: Vec<PlannedSession>,
    /// In calendar order.
    pub assessments: Vec<PlannedAssessment>,
}

/// A planned item's key and the day it is (now) on: what the store keeps and [`check_schedule`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    pub key: String,
    pub day: Day,
}

impl Protocol {
    /// The sessions and assessments of a journey starting (with its intake) on `start`: each item on its planned
    /// number of days after its anchor, so medicine sessions are spaced by the target interval and the first
    /// integration session follows each medicine session the next day.
    pub fn schedule(&self, start: Day, options: &ScheduleOptions) -> Schedule {
        let plan = self.plan();
        let mut days: Vec<Day> = Vec::with_capacity(plan.len());
        let mut sessions = Vec::new();
        let mut assessments = Vec::new();
        for item in plan {
            let anchor_day = item.anchor.map_or(start, |a| days[a]);
            let mut day = anchor_day.plus(item.days);
            let window = DayWindow {
                earliest: anchor_day.plus(item.window.min),
                latest: anchor_day.plus(item.window.max),
            };
            match item.what {
                Planned::Session {
                    group,
                    block,
                    number,
                } => {
                    let g = &self.sessions[group];
                    if options.weekdays_only && g.contact != Contact::Phone {
                        day = nearest_weekday(day, window);
                    }
                    sessions.push(PlannedSession {
                        key: item.key.clone(),
                        group: g.id.clone(),
                        kind: g.kind,
                        contact: g.contact,
                        block,
                        number,
                        label: item.label.clone(),
                        day,
                        time: options.times.get(&g.id).copied().unwrap_or(g.time),
                        duration_minutes: g.duration_minutes,
                        anchor: item.anchor.map(|a| plan[a].key.clone()),
                        allowed: item.window,
                        window,
                    });
                }
                Planned::Assessment { point, instrument } => {
                    let p = &self.assessments[point];
                    assessments.push(PlannedAssessment {
                        key: item.key.clone(),
                        point: p.id.clone(),
                        instrument: p.instruments[instrument].clone(),
                        label: item.label.clone(),
                        due: day,
                        anchor: item.anchor.map(|a| plan[a].key.clone()).unwrap_or_default(),
                        allowed: item.window,
                        window,
                    });
                }
            }
            days.push(day);
        }
        // Stable sorts keep plan order for items on the same day and time.
        sessions.sort_by_key(|s| (s.day, s.time));
        assessments.sort_by_key(|a| a.due);
        Schedule {
            protocol: self.id.clone(),
            start,
            sessions,
            assessments,
        }
    }
}

/// `day` if it is a weekday, otherwise the closest weekday inside `window` (later first on a tie), or `day` itself
/// when the window holds none.
fn nearest_weekday(day: Day, window: DayWindow) -> Day {
    if !day.weekday().is_weekend() {
        return day;
    }
    (1..=3)
        .flat_map(|d| [day.plus(d), day.plus(-d)])
        .find(|d| window.contains(*d) && !d.weekday().is_weekend())
        .unwrap_or(day)
}

/// A key that is not in the schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a session or assessment of this schedule")]
pub struct UnknownItem(pub String);

impl Schedule {
    /// Every item's key and day, sessions first.
    pub fn dated(&self) -> Vec<Dated> {
        self.sessions
            .iter()
            .map(|s| Dated {
                key: s.key.clone(),
                day: s.day,
            })
            .chain(self.assessments.iter().map(|a| Dated {
                key: a.key.clone(),
                day: a.due,
            }))
            .collect()
    }

    /// The session with this key.
    pub fn session(&self, key: &str) -> Option<&PlannedSession> {
        self.sessions.iter().find(|s| s.key == key)
    }

    /// The assessment with this key.
    pub fn assessment(&self, key: &str) -> Option<&PlannedAssessment> {
        self.assessments.iter().find(|a| a.key == key)
    }

    fn day_of(&self, key: &str) -> Option<Day> {
        self.session(key)
            .map(|s| s.day)
            .or_else(|| self.assessment(key).map(|a| a.due))
    }

    /// Moves one item to `day` and every item measured from it (directly or through others) by the same number of
    /// days, so that only the moved item's own window can be broken.
    pub fn shift(&mut self, key: &str, day: Day) -> Result<(), UnknownItem> {
        let old = self
            .day_of(key)
            .ok_or_else(|| UnknownItem(key.to_string()))?;
        let delta = day.days_after(old);
        let mut moved: BTreeSet<String> = BTreeSet::from([key.to_string()]);
        // Anchors form a tree; grow the moved set until no item's anchor is newly in it.
        loop {
            let before = moved.len();
            for s in &self.sessions {
                if s.anchor.as_ref().is_some_and(|a| moved.contains(a)) {
                    moved.insert(s.key.clone());
                }
            }
            for a in &self.assessments {
                if moved.contains(&a.anchor) {
                    moved.insert(a.key.clone());
                }
            }
            if moved.len() == before {
                break;
            }
        }
        for s in &mut self.sessions {
            if moved.contains(&s.key) {
                s.day = s.day.plus(delta);
            }
        }
        for a in &mut self.assessments {
            if moved.contains(&a.key) {
                a.due = a.due.plus(delta);
            }
        }
        self.refresh_windows();
        Ok(())
    }

    /// Moves one item to `day` and nothing else; items measured from it may then stray from their windows.
    pub fn set_day(&mut self, key: &str, day: Day) -> Result<(), UnknownItem> {
        if let Some(s) = self.sessions.iter_mut().find(|s| s.key == key) {
            s.day = day;
        } else if let Some(a) = self.assessments.iter_mut().find(|a| a.key == key) {
            a.due = day;
        } else {
            return Err(UnknownItem(key.to_string()));
        }
        self.refresh_windows();
        Ok(())
    }

    /// Recomputes every window from its anchor's current day, and restores calendar order.
    fn refresh_windows(&mut self) {
        let days: BTreeMap<String, Day> = self
            .sessions
            .iter()
            .map(|s| (s.key.clone(), s.day))
            .collect();
        let start = self.start;
        let at = |anchor: Option<&String>, w: Window| {
            let d = anchor.and_then(|a| days.get(a)).copied().unwrap_or(start);
            DayWindow {
                earliest: d.plus(w.min),
                latest: d.plus(w.max),
            }
        };
        for s in &mut self.sessions {
            s.window = at(s.anchor.as_ref(), s.allowed);
        }
        for a in &mut self.assessments {
            a.window = at(Some(&a.anchor), a.allowed);
        }
        self.sessions.sort_by_key(|s| (s.day, s.time));
        self.assessments.sort_by_key(|a| a.due);
    }

    /// The deviations from the protocol's windows (see [`check_schedule`]).
    pub fn deviations(&self, protocol: &Protocol) -> Vec<Deviation> {
        check_schedule(protocol, &self.dated())
    }
}

/// A planned item that is not where the protocol allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deviation {
    /// The item lies outside its window, measured from its anchor's actual day.
    OutsideWindow {
        key: String,
        label: Localized,
        anchor: String,
        anchor_label: Localized,
        /// Where it is: days after the anchor.
        days_after_anchor: i64,
        allowed: Window,
    },
    /// The key is not one the protocol plans (an item of another protocol or version).
    NotInProtocol { key: String },
}

impl Deviation {
    /// The key of the item that strayed.
    pub fn key(&self) -> &str {
        match self {
            Deviation::OutsideWindow { key, .. } | Deviation::NotInProtocol { key } => key,
        }
    }

    /// Days before the window opens (negative) or after it closes (positive); 0 for an unknown item.
    pub fn days_outside(&self) -> i64 {
        match self {
            Deviation::OutsideWindow {
                days_after_anchor: d,
                allowed,
                ..
            } => {
                if *d < allowed.min {
                    d - allowed.min
                } else {
                    d - allowed.max
                }
            }
            Deviation::NotInProtocol { .. } => 0,
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deviation::OutsideWindow {
                label,
                anchor_label,
                days_after_anchor,
                allowed,
                ..
            } => {
                let outside = self.days_outside();
                let (n, side) = if outside < 0 {
                    (-outside, "early")
                } else {
                    (outside, "late")
                };
                write!(
                    f,
                    "{} is {} days after {}; the protocol allows {}–{} days ({} {} too {})",
                    label.en(),
                    days_after_anchor,
                    anchor_label.en(),
                    allowed.min,
                    allowed.max,
                    n,
                    if n == 1 { "day" } else { "days" },
                    side
                )
            }
            Deviation::NotInProtocol { key } => {
                write!(f, "'{key}' is not part of this protocol")
            }
        }
    }
}

/// Checks items at their actual days against the protocol: each item whose anchor is also listed must lie within
/// its window of the anchor's day. Items whose anchor is missing (a cancelled session) are not checked; keys the
/// protocol does not plan are reported. Deviations come in the order of `items`.
pub fn check_schedule(protocol: &Protocol, items: &[Dated]) -> Vec<Deviation> {
    let days: BTreeMap<&str, Day> = items.iter().map(|i| (i.key.as_str(), i.day)).collect();
    let plan = protocol.plan();
    items
        .iter()
        .filter_map(|item| {
            let Some(rule) = protocol.plan_item(&item.key) else {
                return Some(Deviation::NotInProtocol {
                    key: item.key.clone(),
                });
            };
            let anchor = &plan[rule.anchor?];
            let anchor_day = *days.get(anchor.key.as_str())?;
            let offset = item.day.days_after(anchor_day);
            (!rule.window.contains(offset)).then(|| Deviation::OutsideWindow {
                key: item.key.clone(),
                label: rule.label.clone(),
                anchor: anchor.key.clone(),
                anchor_label: anchor.label.clone(),
                days_after_anchor: offset,
                allowed: rule.window,
            })
        })
        .collect()
}
