//! Reading level of pupil pledges: the Flesch–Kincaid grade and the mean
//! sentence length, with the limits the library holds itself to.
//!
//! Syllables are counted with the usual vowel-group heuristic: groups of
//! consecutive vowels (`y` included), less a silent final `e` (but not
//! `-le`), at least one per word.

use crate::model::files::Reading;

/// Counts for a body of text.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    /// Words.
    pub words: usize,
    /// Sentences.
    pub sentences: usize,
    /// Syllables.
    pub syllables: usize,
}

impl Stats {
    /// Flesch–Kincaid grade level.
    pub fn grade(&self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        0.39 * self.words_per_sentence() + 11.8 * (self.syllables as f64 / self.words as f64)
            - 15.59
    }

    /// Mean words per sentence.
    pub fn words_per_sentence(&self) -> f64 {
        if self.sentences == 0 {
            0.0
        } else {
            self.words as f64 / self.sentences as f64
        }
    }

    /// Adds another text's counts.
    pub fn add(&mut self, other: Stats) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.syllables += other.syllables;
    }
}

/// The limits for a reading style: (grade, words per sentence).
pub fn limits(reading: Reading) -> Option<(f64, f64)> {
    match reading {
        Reading::Ks1 => Some((3.5, 9.0)),
        Reading::Ks2 => Some((5.5, 14.0)),
        Reading::Secondary => Some((8.0, 16.0)),
        Reading::Adult => None,
    }
}

/// Counts one text. Text without closing punctuation is one sentence.
pub fn stats(text: &str) -> Stats {
    let mut stats = Stats::default();
    for sentence in sentences(text) {
        let words = words(sentence);
        if words.is_empty() {
            continue;
        }
        stats.sentences += 1;
        stats.words += words.len();
        stats.syllables += words.iter().map(|w| syllables(w)).sum::<usize>();
    }
    stats
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', '\n'])
}

fn words(sentence: &str) -> Vec<&str> {
    sentence
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect()
}

/// Syllables in one word, by vowel groups.
pub fn syllables(word: &str) -> usize {
    let lower = word.to_lowercase();
    let is_vowel = |c: char| "aeiouy".contains(c);
    let mut groups = 0;
    let mut previous = false;
    for c in lower.chars() {
        let vowel = is_vowel(c);
        if vowel && !previous {
            groups += 1;
        }
        previous = vowel;
    }
    if lower.ends_with('e') && !lower.ends_with("le") && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_syllables_by_vowel_groups() {
        assert_eq!(syllables("password"), 2);
        assert_eq!(syllables("secret"), 2);
        assert_eq!(syllables("make"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("I"), 1);
        assert_eq!(syllables("rhythm"), 1);
    }

    #[test]
    fn grade_of_a_short_pledge() {
        let s = stats("I keep my password secret.");
        assert_eq!((s.words, s.sentences, s.syllables), (5, 1, 7));
        assert!((s.grade() - 2.882).abs() < 0.01, "{}", s.grade());
    }

    #[test]
    fn long_sentences_score_higher() {
        let short = stats("I will be kind. I will tell an adult.");
        let long = stats("I understand that inappropriate communication undermines institutional confidentiality obligations.");
        assert!(short.grade() < 3.0, "{}", short.grade());
        assert!(long.grade() > 12.0, "{}", long.grade());
        assert_eq!(short.sentences, 2);
    }
}
