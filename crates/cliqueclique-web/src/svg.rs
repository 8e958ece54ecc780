//! The network view: a document's overlay as an SVG picture.
//!
//! Nodes sit on a circle, this installation's first. A filled node holds the body, a thick ring
//! means subscribed, the center (as the local nodes see it) wears a gold ring, and each local
//! node's distance to it is written under its name. Lines are overlay links; an arrow points from
//! a node to the neighbour it follows toward the center.

use crate::render::escape;
use cliqueclique_daemon::api::Network;
use std::fmt::Write;

const SIZE: f64 = 520.0;
const RADIUS: f64 = 190.0;
const NODE: f64 = 18.0;

/// The picture.
pub fn network_svg(network: &Network) -> String {
    let n = network.nodes.len().max(1);
    let center = SIZE / 2.0;
    let position = |i: usize| {
        if n == 1 {
            return (center, center);
        }
        let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        (center + RADIUS * angle.cos(), center + RADIUS * angle.sin())
    };
    let index = |id| network.nodes.iter().position(|node| node.id == id);
    let centers: Vec<_> = network
        .nodes
        .iter()
        .filter_map(|node| node.center)
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SIZE} {SIZE}\" width=\"{SIZE}\" height=\"{SIZE}\" \
         font-family=\"system-ui, sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"overlay network\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" \
         orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5b6b7a\"/></marker></defs>\
         <rect width=\"100%\" height=\"100%\" fill=\"#fbfaf7\"/>"
    );
    for edge in &network.edges {
        let (Some(a), Some(b)) = (index(edge.from), index(edge.to)) else {
            continue;
        };
        let ((x1, y1), (x2, y2)) = (position(a), position(b));
        // Stop the line at the node's edge, so the arrow head shows.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ex, ey) = (x2 - dx / len * (NODE + 3.0), y2 - dy / len * (NODE + 3.0));
        let marker = if edge.upstream {
            " marker-end=\"url(#arrow)\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<line class=\"edge\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{ex:.1}\" y2=\"{ey:.1}\" stroke=\"#5b6b7a\" stroke-width=\"1.5\"{marker}/>"
        );
    }
    for (i, node) in network.nodes.iter().enumerate() {
        let (x, y) = position(i);
        let is_center = centers.contains(&node.id);
        if is_center {
            let _ = write!(
                out,
                "<circle class=\"center\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"#d4a017\" stroke-width=\"4\"/>",
                NODE + 6.0
            );
        }
        let fill = if node.has_body { "#2f7d6d" } else { "#ffffff" };
        let stroke_width = if node.subscribed { 4 } else { 1 };
        let shape = if node.local {
            format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{NODE}\"")
        } else {
            format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{}\" height=\"{}\" rx=\"6\"",
                x - NODE,
                y - NODE,
                NODE * 2.0,
                NODE * 2.0
            )
        };
        let name = node
            .name
            .clone()
            .unwrap_or_else(|| crate::render::short(&node.id));
        let _ = write!(
            out,
            "<g class=\"node\" data-node=\"{id}\"><title>{title}</title>{shape} fill=\"{fill}\" stroke=\"#1f2d3a\" stroke-width=\"{stroke_width}\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1f2d3a\" stroke=\"#fbfaf7\" stroke-width=\"4\" paint-order=\"stroke\">{label}</text>",
            y + NODE + 16.0,
            id = node.id,
            title = escape(&format!("{name} ({})", node.id)),
            label = escape(&name),
        );
        if let Some(distance) = node.distance {
            let _ = write!(
                out,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5b6b7a\" stroke=\"#fbfaf7\" stroke-width=\"4\" paint-order=\"stroke\">d={distance}</text>",
                y + NODE + 30.0
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// The side of an identicon, in pixels.
const ICON: u32 = 20;

/// An identicon of a node id: a 5×5 pattern, mirrored left to right, in one colour, all drawn
/// from the id's bytes, so that the same key always looks the same and two keys almost never
/// do. Inline SVG with presentation attributes only (no style, no script), so it passes the
/// pages' Content-Security-Policy.
pub fn identicon(id: &cliqueclique_doc::NodeId) -> String {
    let bytes = id.as_bytes();
    let hue = u32::from(u16::from_be_bytes([bytes[0], bytes[1]])) % 360;
    let saturation = 45 + u32::from(bytes[2]) % 30;
    let lightness = 35 + u32::from(bytes[3]) % 20;
    let (r, g, b) = hsl_to_rgb(hue, saturation, lightness);
    let cell = ICON / 5;
    let bits = u32::from_be_bytes([0, bytes[4], bytes[5], bytes[6]]);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"identicon\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {ICON} {ICON}\" \
         width=\"{ICON}\" height=\"{ICON}\" aria-hidden=\"true\">\
         <rect width=\"{ICON}\" height=\"{ICON}\" fill=\"#f1efe9\"/>"
    );
    for row in 0..5u32 {
        for col in 0..3u32 {
            if bits >> (row * 3 + col) & 1 == 0 {
                continue;
            }
            for x in [col, 4 - col] {
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{cell}\" height=\"{cell}\" fill=\"#{r:02x}{g:02x}{b:02x}\"/>",
                    x * cell,
                    row * cell
                );
                if x == 2 {
                    break;
                }
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// Converts a colour from hue (degrees), saturation and lightness (percent) to RGB bytes.
fn hsl_to_rgb(hue: u32, saturation: u32, lightness: u32) -> (u8, u8, u8) {
    let s = f64::from(saturation) / 100.0;
    let l = f64::from(lightness) / 100.0;
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let h = f64::from(hue) / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match hue / 60 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (byte(r), byte(g), byte(b))
}

#[cfg(test)]
mod tests {
    use super::network_svg;
    use cliqueclique_daemon::api::{Network, NetworkEdge, NetworkNode};
    use cliqueclique_doc::{DocId, NodeId};

    #[test]
    fn nodes_edges_and_the_center_are_drawn_and_names_escaped() {
        let (a, b) = (NodeId([1; 32]), NodeId([2; 32]));
        let network = Network {
            doc: DocId([3; 32]),
            nodes: vec![
                NetworkNode {
                    id: a,
                    name: Some("<ann>".into()),
                    local: true,
                    has_body: true,
                    subscribed: true,
                    center: Some(b),
                    distance: Some(1),
                },
                NetworkNode {
                    id: b,
                    name: None,
                    local: false,
                    has_body: true,
                    subscribed: false,
                    center: None,
                    distance: None,
                },
            ],
            edges: vec![NetworkEdge {
                from: a,
                to: b,
                upstream: true,
                downstream: false,
            }],
        };
        let svg = network_svg(&network);
        assert_eq!(svg.matches("class=\"node\"").count(), 2);
        assert_eq!(svg.matches("class=\"edge\"").count(), 1);
        assert_eq!(
            svg.matches("class=\"center\"").count(),
            1,
            "b is the center"
        );
        assert!(svg.contains("&lt;ann&gt;") && !svg.contains("<ann>"));
        assert!(svg.contains("d=1"));
        assert!(svg.contains("marker-end"));
    }
}
