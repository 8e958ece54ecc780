//! Catch-up cost after a restart, for a range of missed comments: the figures of
//! `docs/BENCHMARKS.md` ("Catch-up after a restart").
//!
//! `cargo run --release -p cliqueclique-sim --example catch_up -- [SHARED] [MISSED,...]`
//! (default 10000 shared comments, 0,1,100,1000 missed, one after the other on the same two
//! nodes). Prints one JSON object per line.

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let shared: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let missed: Vec<usize> = match args.next() {
        Some(list) => list.split(',').map(str::parse).collect::<Result<_, _>>()?,
        None => vec![0, 1, 100, 1000],
    };
    for figures in cliqueclique_sim::catch_up::catch_ups(shared, &missed, 1, 0.0)? {
        println!("{}", serde_json::to_string(&figures)?);
    }
    Ok(())
}
