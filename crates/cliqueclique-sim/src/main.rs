//! `cliqueclique-sim`: runs a scenario file and prints its figures.
//!
//! `cliqueclique-sim SCENARIO.toml [--json] [--seed N] [--sweep N] [--trace A,B,..]`. A failing run (an invariant
//! violation or a delivery ratio below 1) prints `failing seed: N` on stderr and exits with 1.

use anyhow::Context;
use clap::Parser;
use cliqueclique_sim::run::Runner;
use cliqueclique_sim::{Report, Scenario, Sweep};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs a cliqueclique network simulation scenario.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The scenario file (see scenarios/README.md).
    scenario: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Run N seeds (from the seed on) and print a summary.
    #[arg(long, value_name = "N")]
    sweep: Option<u64>,
    /// Print every batch exchanged among these nodes on stderr (for example `--trace 3,7`).
    #[arg(long, value_name = "NODES", value_delimiter = ',')]
    trace: Vec<usize>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("cliqueclique-sim: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut scenario = Scenario::load(&args.scenario)
        .with_context(|| format!("loading {}", args.scenario.display()))?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let reports: Vec<Report> = match args.sweep {
        None => {
            let mut runner = Runner::new(&scenario)?;
            runner.network_mut().trace(args.trace.iter().copied());
            runner.execute()?;
            vec![runner.report()]
        }
        Some(n) => (0..n)
            .map(|k| {
                let mut s = scenario.clone();
                s.seed = scenario.seed + k;
                cliqueclique_sim::run(&s)
            })
            .collect::<Result<_, _>>()?,
    };
    if args.sweep.is_some() {
        let sweep = Sweep::new(&reports);
        if args.json {
            println!("{}", serde_json::to_string_pretty(&sweep)?);
        } else {
            print!("{}", sweep.table());
        }
    } else if args.json {
        println!("{}", serde_json::to_string_pretty(&reports[0])?);
    } else {
        print!("{}", reports[0].table());
    }
    let failing: Vec<u64> = reports
        .iter()
        .filter(|r| r.is_failing())
        .map(|r| r.seed)
        .collect();
    for seed in &failing {
        eprintln!("failing seed: {seed}");
    }
    Ok(if failing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
