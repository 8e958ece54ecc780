//! `cliqueclique node create NAME` and `node list`.

use super::Ctx;
use crate::flags::NodeCommand;
use cliqueclique_daemon::api::{CreateNode, NodeInfo};

pub async fn run(ctx: &Ctx, command: NodeCommand) -> anyhow::Result<()> {
    match command {
        NodeCommand::Create { name } => {
            let node: NodeInfo = ctx.client.post("/api/nodes", &CreateNode { name }).await?;
            if ctx.json {
                return ctx.print_json(&node);
            }
            out!("created node {} ({})", node.name, node.id);
        }
        NodeCommand::List => {
            let nodes: Vec<NodeInfo> = ctx.client.get("/api/nodes").await?;
            if ctx.json {
                return ctx.print_json(&nodes);
            }
            if nodes.is_empty() {
                out!("no nodes yet: create one with `cliqueclique node create NAME`");
            }
            for node in nodes {
                out!("{:<16} {}", node.name, node.id);
            }
        }
    }
    Ok(())
}
