//! No input makes the history reader panic: thousands of byte-level mutations of real
//! journals and snapshots (deterministic, so a failure reproduces), fed to
//! `parse_snapshot` and to `load` + `snapshot` on a temp folder.

mod fuzz_support;
mod history_support;

use drizzle_drift::sources::history;
use fuzz_support::Rng;
use history_support::*;
use std::path::{Path, PathBuf};

const INSERTS: &[&[u8]] = &[
    b"{",
    b"}",
    b"\"",
    b"]",
    b"[",
    b",",
    b":",
    b"null",
    b"-",
    b"1e999",
    b"\\u0000",
    b"\xff",
    b"\"entityType\": \"columns\"",
    b"\"prevIds\": [\"x\"]",
    b"\"version\": \"9\"",
    b"\"type\": \"diff\"",
];

fn mutate(rng: &mut Rng, original: &[u8]) -> Vec<u8> {
    let mut b = original.to_vec();
    for _ in 0..1 + rng.below(3) {
        let len = b.len();
        match rng.below(6) {
            0 => b.truncate(rng.below(len + 1)),
            1 if len > 0 => {
                let at = rng.below(len);
                b[at] ^= 1 << rng.below(8);
            }
            2 => {
                let at = rng.below(len + 1);
                let what = INSERTS[rng.below(INSERTS.len())];
                b.splice(at..at, what.iter().copied());
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(64)).min(len);
                b.drain(at..end);
            }
            4 if len > 0 => {
                // Duplicate a slice somewhere else (repeated keys, nested copies).
                let at = rng.below(len);
                let end = (at + 1 + rng.below(200)).min(len);
                let piece = b[at..end].to_vec();
                let to = rng.below(len + 1);
                b.splice(to..to, piece);
            }
            _ if len > 0 => {
                // Swap one structural character for another.
                let at = rng.below(len);
                b[at] = b"{}[]\",:0 ntf"[rng.below(12)];
            }
            _ => {}
        }
    }
    b
}

fn sources() -> Vec<PathBuf> {
    let v1 = |name: &str, folder: usize| {
        let h = load_pg(&drizzle(name));
        h.migrations[folder].snapshot_path.clone().unwrap()
    };
    vec![
        drizzle("kitchen").join("meta/_journal.json"),
        drizzle("kitchen").join("meta/0000_snapshot.json"),
        drizzle("kitchen").join("meta/0002_snapshot.json"),
        drizzle("legacy-v5").join("meta/0001_snapshot.json"),
        drizzle("legacy-v6").join("meta/0000_snapshot.json"),
        v1("v1-rc4", 2),
        v1("v1-rc5", 0),
        v1("v1-rc5", 2),
        v1("v1-rc5-kitchen", 1),
    ]
}

#[test]
fn parse_snapshot_never_panics() {
    let originals: Vec<Vec<u8>> = sources()
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut errors = 0;
    for round in 0..3000 {
        let source = &originals[round % originals.len()];
        let bytes = mutate(&mut rng, source);
        let text = String::from_utf8_lossy(&bytes);
        match history::parse_snapshot_with_notes(&text, "mutated.json") {
            Ok(converted) => {
                for note in &converted.notes {
                    assert!(
                        note.location.is_empty() || note.location == "mutated.json",
                        "{note}"
                    );
                }
            }
            Err(d) => {
                errors += 1;
                assert_eq!(d.location, "mutated.json", "round {round}: {d}");
                if d.message.contains("not valid JSON") {
                    assert!(d.line.is_some() && d.column.is_some(), "round {round}: {d}");
                }
            }
        }
    }
    // The mutations must actually break files (or this test proves nothing).
    assert!(
        errors > 1000,
        "only {errors} of 3000 mutations were rejected"
    );
}

/// Mutate one file of a temp copy at a time, load the folder and convert every snapshot.
fn fuzz_folder(fixture_name: &str, files: &[&str], rounds: usize, seed: u64) {
    let (_tmp, dir) = temp_copy(fixture_name);
    let originals: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|f| {
            let p = dir.join(f);
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let mut rng = Rng(seed);
    let mut diagnosed = 0;
    for round in 0..rounds {
        let (path, original) = &originals[round % originals.len()];
        std::fs::write(path, mutate(&mut rng, original)).unwrap();
        let h = load_pg(&dir);
        for d in &h.diagnostics {
            assert!(
                Path::new(&d.location) == path.as_path(),
                "round {round}: diagnostic names {} instead of {}",
                d.location,
                path.display()
            );
            diagnosed += 1;
        }
        for p in &h.problems {
            assert!(!p.message.is_empty() && !p.fix.is_empty(), "round {round}");
        }
        for i in 0..h.migrations.len() {
            if let Err(d) = history::snapshot(&h, i) {
                assert!(
                    Path::new(&d.location).starts_with(&dir) || h.migrations[i].tag == d.location,
                    "round {round}: {d}"
                );
            }
        }
        std::fs::write(path, original).unwrap();
    }
    assert!(
        diagnosed > rounds / 4,
        "{fixture_name}: only {diagnosed} diagnostics"
    );
}

#[test]
fn load_never_panics_on_a_mutated_journal_layout() {
    fuzz_folder(
        "kitchen",
        &[
            "meta/_journal.json",
            "meta/0000_snapshot.json",
            "meta/0001_snapshot.json",
            "meta/0002_snapshot.json",
        ],
        400,
        0xdead_beef_cafe_f00d,
    );
}

#[test]
fn load_never_panics_on_a_mutated_folder_layout() {
    let h = load_pg(&drizzle("v1-rc5-kitchen"));
    let files: Vec<String> = h
        .migrations
        .iter()
        .map(|m| format!("{}/snapshot.json", m.tag))
        .collect();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    fuzz_folder("v1-rc5-kitchen", &files, 300, 0x0123_4567_89ab_cdef);
}
