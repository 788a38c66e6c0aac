//! Recognising what people write: "ZOLOFT 50mg", " sertralin ", "Selo-Zok", "St. John's wort", "N06AB06".
//!
//! Text is folded to lower-case ASCII words (æ → ae, ø → o, å → a, other accents dropped; punctuation splits words;
//! apostrophes join them). A name matches when the words of some run in the entry, joined without spaces, equal the
//! name's words joined the same way, so "Selo-Zok", "Selo Zok" and "selozok" all match, while "escitalopram" never
//! matches "citalopram". Dose words ("50mg", "100", "mg") simply match nothing.

use std::collections::BTreeMap;

/// Runs longer than this many words are not tried (the longest name in the data has five).
const MAX_RUN: usize = 6;
/// Names this short ("did", "thc") must be the whole entry: inside free text they are too often ordinary words.
const SHORT: usize = 3;

/// The words of `text`, folded.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => word.push(c),
            'æ' => word.push_str("ae"),
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' | 'õ' => word.push('o'),
            'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' => word.push('a'),
            'é' | 'è' | 'ê' | 'ë' => word.push('e'),
            'í' | 'ì' | 'î' | 'ï' => word.push('i'),
            'ú' | 'ù' | 'û' | 'ü' => word.push('u'),
            'ç' => word.push('c'),
            'ñ' => word.push('n'),
            'ß' => word.push_str("ss"),
            // "St. John's wort" and "St Johns wort" are the same name.
            '\'' | '’' | '`' | '´' => {}
            c if c.is_alphanumeric() => word.push(c),
            _ => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The folded words of `text` joined without spaces: the key names are compared by.
pub(crate) fn key(text: &str) -> String {
    words(text).concat()
}

/// Whether a key has the shape of an ATC code or group: a letter, two digits, then optionally one or two letters
/// and two digits (`n06`, `n06a`, `n06ab`, `n06ab06`).
pub(crate) fn looks_like_atc(key: &str) -> bool {
    let b = key.as_bytes();
    let letter = |i: usize| b.get(i).is_some_and(u8::is_ascii_lowercase);
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    match b.len() {
        3 => letter(0) && digit(1) && digit(2),
        4 => letter(0) && digit(1) && digit(2) && letter(3),
        5 => letter(0) && digit(1) && digit(2) && letter(3) && letter(4),
        7 => letter(0) && digit(1) && digit(2) && letter(3) && letter(4) && digit(5) && digit(6),
        _ => false,
    }
}

/// A dictionary from keys to targets (medicine or rule indexes), and the matcher over it.
#[derive(Debug)]
pub(crate) struct Lexicon<T> {
    entries: BTreeMap<String, T>,
}

impl<T> Default for Lexicon<T> {
    fn default() -> Self {
        Lexicon {
            entries: BTreeMap::new(),
        }
    }
}

/// One recognised name in an entry: the words it covers and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit<T> {
    pub start: usize,
    pub end: usize,
    pub target: T,
}

impl<T: Copy + PartialEq> Lexicon<T> {
    /// Adds a name; returns the target already registered under the same key, if any.
    pub fn insert(&mut self, name: &str, target: T) -> Option<T> {
        let k = key(name);
        match self.entries.get(&k) {
            Some(existing) if *existing != target => Some(*existing),
            Some(_) => None,
            None => {
                self.entries.insert(k, target);
                None
            }
        }
    }

    /// The target of a key exactly.
    pub fn get(&self, key: &str) -> Option<T> {
        self.entries.get(key).copied()
    }

    /// Every name recognised in `words`, except one that lies inside a longer recognised name ("hypertension" in
    /// "uncontrolled hypertension", "psykose" in "psykose i familien"). `extra` may recognise a run the dictionary
    /// does not know (ATC codes).
    pub fn find(&self, words: &[String], extra: impl Fn(&str) -> Option<T>) -> Vec<Hit<T>> {
        let mut hits = Vec::new();
        for start in 0..words.len() {
            let mut run = String::new();
            for end in start + 1..=(start + MAX_RUN).min(words.len()) {
                run.push_str(&words[end - 1]);
                let target = self.get(&run).or_else(|| extra(&run));
                if let Some(target) = target {
                    if run.len() <= SHORT && words.len() != end - start {
                        continue;
                    }
                    hits.push(Hit { start, end, target });
                }
            }
        }
        let inside = |h: &Hit<T>, o: &Hit<T>| {
            o.start <= h.start && h.end <= o.end && (o.end - o.start) > (h.end - h.start)
        };
        let kept: Vec<Hit<T>> = hits
            .iter()
            .filter(|h| !hits.iter().any(|o| inside(h, o)))
            .copied()
            .collect();
        let mut unique: Vec<Hit<T>> = Vec::with_capacity(kept.len());
        for h in kept {
            if !unique.iter().any(|u| u.target == h.target) {
                unique.push(h);
            }
        }
        unique
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_handles_case_accents_norwegian_letters_and_punctuation() {
        assert_eq!(words("  SERTRALIN  100mg "), ["sertralin", "100mg"]);
        assert_eq!(words("Selo-Zok®"), ["selo", "zok"]);
        assert_eq!(words("St. John's Wort"), ["st", "johns", "wort"]);
        assert_eq!(
            words("HØYT blodtrykk, Ærlig Å"),
            ["hoyt", "blodtrykk", "aerlig", "a"]
        );
        assert_eq!(key("Selo Zok"), key("selozok"));
    }

    #[test]
    fn atc_shapes_are_recognised_and_doses_are_not() {
        for code in ["n06", "n06a", "n06ab", "n06ab06", "v03ax03"] {
            assert!(looks_like_atc(code), "{code}");
        }
        for not in ["50mg", "n06ab0", "zoloft", "b1", "n0"] {
            assert!(!looks_like_atc(not), "{not}");
        }
    }

    #[test]
    fn a_name_inside_a_longer_name_is_dropped_and_short_names_need_the_whole_entry() {
        let mut lex = Lexicon::default();
        lex.insert("hypertension", 1);
        lex.insert("uncontrolled hypertension", 2);
        lex.insert("did", 3);
        let find = |t: &str| -> Vec<i32> {
            lex.find(&words(t), |_| None)
                .iter()
                .map(|h| h.target)
                .collect()
        };
        assert_eq!(find("Uncontrolled hypertension"), [2]);
        assert_eq!(find("hypertension"), [1]);
        assert_eq!(find("DID"), [3]);
        assert!(find("he did not say").is_empty());
    }
}
