//! Shards of a build, as CI's own job matrix runs them.
//! `build --shard K/N` builds a stable Kth of the schools into its own
//! output folder and records what it built; `merge` checks that the
//! shards fit together and assembles the output folder a single build
//! would have made, byte for byte.
//!
//! A school's shard is decided by a hash of its id alone, so adding a
//! school never moves another to a different shard.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::build::Standards;

/// The file a shard's output folder records it in.
pub const SHARD_FILE: &str = ".policyc-shard.json";

/// The most shards a build may be split into.
pub const MOST_SHARDS: usize = 10_000;

/// One shard of a build: the `index`th (from 1) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: usize,
    /// How many shards in all.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    /// Reads `K/N`, with 1 ≤ K ≤ N.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage =
            || format!("`{text}` is not a shard: write K/N, such as 2/4 for the second of four");
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| usage())?,
            n.trim().parse().map_err(|_| usage())?,
        );
        if count == 0 || count > MOST_SHARDS {
            return Err(format!(
                "a build splits into 1 to {MOST_SHARDS} shards, not {count}"
            ));
        }
        if index == 0 || index > count {
            return Err(format!(
                "shard {index} of {count} does not exist: K runs from 1 to {count}"
            ));
        }
        Ok(Self { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether school `id` is in this shard.
    pub fn holds(&self, id: &str) -> bool {
        shard_of(id, self.count) == self.index
    }
}

/// The shard (from 1) of `count` that school `id` belongs to: the first
/// eight bytes of the SHA-256 of its id, modulo `count`. It depends on
/// nothing but the id, so it is the same on every machine and stays put
/// when other schools are added.
pub fn shard_of(id: &str, count: usize) -> usize {
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % count.max(1) as u64) as usize + 1
}

/// What a shard's output folder records, for `merge` to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardRecord {
    /// Which shard, from 1.
    pub shard: usize,
    /// Of how many.
    pub of: usize,
    /// The schools it built, by id.
    pub schools: Vec<String>,
    /// A fingerprint of the project and the options it was built from: the
    /// shards of one build share it.
    pub fingerprint: String,
    /// The options of the build, for the merge to finish it with.
    pub options: ShardOptions,
}

/// The build options a shard was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardOptions {
    /// PDFs were written.
    pub pdf: bool,
    /// HTML pages were written.
    pub html: bool,
    /// PDF/A-2b.
    pub archival: bool,
    /// PDF/UA-1.
    pub accessible: bool,
    /// `SOURCE_DATE_EPOCH`, if it was set.
    pub timestamp: Option<i64>,
}

impl ShardOptions {
    /// The PDF standards.
    pub fn standards(&self) -> Standards {
        Standards {
            archival: self.archival,
            accessible: self.accessible,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_reads_as_k_of_n_and_nothing_else() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "1/10001"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_school_is_in_exactly_one_shard_and_stays_there_when_others_come() {
        let ids: Vec<String> = (0..400).map(|i| format!("school-{i:03}")).collect();
        let shards: Vec<Shard> = (1..=4).map(|index| Shard { index, count: 4 }).collect();
        for id in &ids {
            assert_eq!(shards.iter().filter(|s| s.holds(id)).count(), 1, "{id}");
        }
        // Roughly even: each of four shards gets a fair share of 400.
        for shard in &shards {
            let n = ids.iter().filter(|id| shard.holds(id)).count();
            assert!((70..=130).contains(&n), "shard {shard}: {n}");
        }
        // The assignment is a function of the id alone.
        assert_eq!(shard_of("wrenfold", 4), shard_of("wrenfold", 4));
    }
}
