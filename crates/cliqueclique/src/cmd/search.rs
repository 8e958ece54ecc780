//! `search QUERY`: local search over the API (`docs/query.md`).

use super::{Ctx, encode_query, format_date};
use crate::flags::Search;
use cliqueclique_daemon::api::SearchResults;

pub async fn run(ctx: &Ctx, flags: Search) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let query = flags.query.join(" ");
    let results: SearchResults = ctx
        .client
        .get(&format!(
            "/api/nodes/{node}/search?q={}&limit={}",
            encode_query(&query),
            flags.limit
        ))
        .await?;
    if ctx.json {
        return ctx.print_json(&results);
    }
    if results.hits.is_empty() {
        eprintln!("no documents match {}", results.query);
    }
    for hit in &results.hits {
        let author = super::people::who(&hit.author_info);
        out!(
            "{}  {}  {}  ({author})",
            hit.id,
            format_date(hit.date),
            hit.subject
        );
    }
    if results.total > results.hits.len() {
        eprintln!(
            "{} of {} matches shown; use --limit for more",
            results.hits.len(),
            results.total
        );
    }
    Ok(())
}
