//! A response: the answers to one instrument, checked against its definition.

use super::{Instrument, MAX_ITEMS};

/// A complete, in-range set of answers to one instrument. Only [`Instrument::response`] makes one, so holding a
/// `Response` means every required item is answered with an allowed value.
#[derive(Debug, Clone, Copy)]
pub struct Response<'i> {
    pub(super) instrument: &'i Instrument,
    pub(super) values: [u8; MAX_ITEMS],
    pub(super) answered: u64,
    pub(super) gate_closed: bool,
}

/// Why a set of answers is not a valid response. Each message is one line naming the item and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// A positional answer list has too few or too many entries.
    #[error("{instrument} has {expected} items, but {got} answers were given")]
    WrongCount {
        instrument: String,
        expected: String,
        got: usize,
    },
    /// An answer is not one of the item's values.
    #[error("{instrument} item {item}: {value} is not an allowed answer (allowed: {allowed})")]
    OutOfRange {
        instrument: String,
        item: String,
        value: String,
        allowed: String,
    },
    /// Required items are unanswered. Nothing is prorated.
    #[error("{instrument} response is incomplete: item{} {} not answered (no score is computed from an incomplete response)", if .missing.len() == 1 { "" } else { "s" }, .missing.join(", "))]
    Incomplete {
        instrument: String,
        missing: Vec<String>,
    },
    /// Items were answered although the gate question ended the instrument.
    #[error("{instrument} items {} must be left unanswered when item {gate} is answered '{answer}'", .items.join(", "))]
    NotAsked {
        instrument: String,
        gate: String,
        answer: String,
        items: Vec<String>,
    },
    /// A positional answer is not a whole number.
    #[error("answer {position}: '{text}' is not a whole number")]
    NotANumber { position: usize, text: String },
}

/// Parses a comma-separated answer list such as `3,3,4,2`: an empty entry is an unanswered item.
pub fn parse_positional(text: &str) -> Result<Vec<Option<i64>>, ResponseError> {
    text.split(',')
        .enumerate()
        .map(|(i, part)| {
            let part = part.trim();
            if part.is_empty() {
                Ok(None)
            } else {
                part.parse::<i64>()
                    .map(Some)
                    .map_err(|_| ResponseError::NotANumber {
                        position: i + 1,
                        text: part.chars().take(40).collect(),
                    })
            }
        })
        .collect()
}

impl Instrument {
    /// Checks answers given in item order (`None` = unanswered). Fewer entries than items means the trailing items
    /// are unanswered; that is accepted only for optional items, or after a closing gate answer.
    pub fn response(&self, answers: &[Option<i64>]) -> Result<Response<'_>, ResponseError> {
        let wrong_count = || ResponseError::WrongCount {
            instrument: self.id.clone(),
            expected: self.answer_count_text(),
            got: answers.len(),
        };
        if answers.len() > self.items.len() {
            return Err(wrong_count());
        }
        let mut values = [0u8; MAX_ITEMS];
        let mut answered = 0u64;
        for (i, answer) in answers.iter().enumerate() {
            if let Some(v) = *answer {
                let item = &self.items[i];
                let set = self.answers_of(item);
                match u8::try_from(v).ok().filter(|v| set.option(*v).is_some()) {
                    Some(v) => {
                        values[i] = v;
                        answered |= 1 << i;
                    }
                    None => {
                        return Err(ResponseError::OutOfRange {
                            instrument: self.id.clone(),
                            item: item.key.clone(),
                            value: v.to_string(),
                            allowed: set.range_text(),
                        })
                    }
                }
            }
        }
        let gate_closed = self
            .gate
            .as_ref()
            .is_some_and(|g| answered & (1 << g.item) != 0 && values[g.item] == g.closes_when);
        if gate_closed {
            let gate = self.gate.as_ref().expect("gate_closed implies a gate");
            let others = answered & !(1 << gate.item);
            if others != 0 {
                return Err(ResponseError::NotAsked {
                    instrument: self.id.clone(),
                    gate: self.items[gate.item].key.clone(),
                    answer: self
                        .answers_of(&self.items[gate.item])
                        .option(gate.closes_when)
                        .map_or_else(
                            || gate.closes_when.to_string(),
                            |o| o.label.en().to_string(),
                        ),
                    items: self.keys_of(others).into_iter().map(String::from).collect(),
                });
            }
        } else if answers.len() < self.positional_required {
            return Err(wrong_count());
        }
        let needed = if gate_closed {
            self.required & (1 << self.gate.as_ref().map_or(0, |g| g.item))
        } else {
            self.required
        };
        let missing = needed & !answered;
        if missing != 0 {
            return Err(ResponseError::Incomplete {
                instrument: self.id.clone(),
                missing: self
                    .keys_of(missing)
                    .into_iter()
                    .map(String::from)
                    .collect(),
            });
        }
        Ok(Response {
            instrument: self,
            values,
            answered,
            gate_closed,
        })
    }
}

impl<'i> Response<'i> {
    /// The instrument answered.
    pub fn instrument(&self) -> &'i Instrument {
        self.instrument
    }

    /// The answer to item `index`, if answered.
    pub fn value(&self, index: usize) -> Option<u8> {
        (index < self.instrument.items.len() && self.answered & (1 << index) != 0)
            .then(|| self.values[index])
    }

    /// True when the gate question ended the instrument (PC-PTSD-5 without trauma exposure).
    pub fn gate_closed(&self) -> bool {
        self.gate_closed
    }
}
