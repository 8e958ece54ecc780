//! The cost of posting under a forum's proof of work: for each difficulty, the time to sign one
//! ordinary post until its id carries the work (`cliqueclique_doc::document::work`), over several
//! posts with different texts, as a Markdown table of median, fastest and slowest times.
//!
//! `cargo run --release -p cliqueclique-doc --example work_cost -- [RUNS] [BITS...]`
//! (defaults: 9 runs of 0, 8, 12, 16 and 20 bits).

use cliqueclique_doc::document::work;
use cliqueclique_doc::{DocId, DocumentBuilder, Identity};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args
        .next()
        .map(|a| a.parse().expect("RUNS is a number"))
        .unwrap_or(9);
    let mut bits: Vec<u8> = args.map(|a| a.parse().expect("BITS are numbers")).collect();
    if bits.is_empty() {
        bits = vec![0, 8, 12, 16, 20];
    }
    let identity = Identity::generate(&mut ChaCha8Rng::seed_from_u64(1));
    let text = "A post of a few hundred bytes, as most forum replies are. ".repeat(5);
    println!("| bits | expected signatures | median | fastest | slowest | runs |");
    println!("|---|---|---|---|---|---|");
    for &b in &bits {
        let mut times: Vec<Duration> = (0..runs)
            .map(|run| {
                let builder = DocumentBuilder::new(format!("post {run}"))
                    .parent(DocId::of(b"thread"))
                    .text(text.clone())
                    .date(1_700_000_000);
                let started = Instant::now();
                let document = builder
                    .build_with_work(&identity, b, &mut |_| true)
                    .expect("never given up");
                let took = started.elapsed();
                assert!(work::meets(&document.id(), b));
                took
            })
            .collect();
        times.sort();
        println!(
            "| {b} | {} | {} | {} | {} | {runs} |",
            1u64 << b,
            show(times[times.len() / 2]),
            show(times[0]),
            show(times[times.len() - 1]),
        );
    }
}

fn show(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}
