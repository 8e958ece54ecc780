//! Network namespaces for the fault test: a bridge in the test's own namespace and, per
//! installation, a namespace joined to it by a veth pair, whose packets are dropped at random
//! (nftables `numgen random`) and whose sending rate is capped (`tbf`). Everything is removed when
//! the [`Lab`] drops, also after a failure.
//!
//! `tc netem` would add delay and reordering too, but this kernel has no `netem` qdisc (and no
//! modules to load); the relays of `proxy.rs` delay and cut the streams instead.

use std::io::Write;
use std::net::Ipv4Addr;
use std::process::{Command, Stdio};

/// Whether the fault test must run (`CLIQUECLIQUE_FAULT_TESTS`): then missing capabilities fail it
/// instead of skipping it.
pub fn required() -> bool {
    crate::support::required("CLIQUECLIQUE_FAULT_TESTS")
}

/// Runs a command; its standard error on failure.
fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The bridge, the namespaces and their links; removed on drop.
pub struct Lab {
    /// The third octet of the lab's subnet, 10.199.X.0/24.
    subnet: u8,
    bridge: String,
    namespaces: Vec<String>,
}

impl Lab {
    /// Builds a lab of `n` namespaces whose packets are each dropped with probability
    /// `loss_per_mille` / 1000 on the way out and on the way in, and whose sending is capped at
    /// `rate` (a `tc` rate such as `20mbit`).
    pub fn create(n: usize, loss_per_mille: u32, rate: &str) -> Result<Lab, String> {
        let tag = std::process::id() % 100_000;
        let mut lab = Lab {
            subnet: (std::process::id() % 250) as u8,
            bridge: format!("ccb{tag}"),
            namespaces: Vec::new(),
        };
        let gateway = format!("{}/24", lab.gateway());
        run("ip", &["link", "add", &lab.bridge, "type", "bridge"])?;
        run("ip", &["addr", "add", &gateway, "dev", &lab.bridge])?;
        run("ip", &["link", "set", &lab.bridge, "up"])?;
        for i in 0..n {
            let namespace = format!("cc{tag}n{i}");
            run("ip", &["netns", "add", &namespace])?;
            lab.namespaces.push(namespace.clone());
            let veth = format!("cc{tag}v{i}");
            run(
                "ip",
                &[
                    "link", "add", &veth, "type", "veth", "peer", "name", "eth0", "netns",
                    &namespace,
                ],
            )?;
            run("ip", &["link", "set", &veth, "master", &lab.bridge])?;
            run("ip", &["link", "set", &veth, "up"])?;
            let address = format!("{}/24", lab.address(i));
            run(
                "ip",
                &["-n", &namespace, "addr", "add", &address, "dev", "eth0"],
            )?;
            run("ip", &["-n", &namespace, "link", "set", "eth0", "up"])?;
            run("ip", &["-n", &namespace, "link", "set", "lo", "up"])?;
            run(
                "tc",
                &[
                    "-n", &namespace, "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", rate,
                    "burst", "64kb", "latency", "100ms",
                ],
            )?;
            lab.drop_packets(&namespace, loss_per_mille)?;
        }
        Ok(lab)
    }

    /// Drops packets at random in and out of `namespace`, counting them.
    fn drop_packets(&self, namespace: &str, loss_per_mille: u32) -> Result<(), String> {
        let rules = format!(
            "table inet faults {{
                chain output {{
                    type filter hook output priority 0; policy accept;
                    oifname \"eth0\" numgen random mod 1000 < {loss_per_mille} counter drop
                }}
                chain input {{
                    type filter hook input priority 0; policy accept;
                    iifname \"eth0\" numgen random mod 1000 < {loss_per_mille} counter drop
                }}
            }}\n"
        );
        let mut child = Command::new("ip")
            .args(["netns", "exec", namespace, "nft", "-f", "-"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("nft: {e}"))?;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(rules.as_bytes())
            .map_err(|e| format!("nft: {e}"))?;
        let output = child.wait_with_output().map_err(|e| format!("nft: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "nft: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    }

    /// The bridge's address in the test's namespace, where the relays listen.
    pub fn gateway(&self) -> Ipv4Addr {
        Ipv4Addr::new(10, 199, self.subnet, 1)
    }

    /// The address of namespace `i`.
    pub fn address(&self, i: usize) -> Ipv4Addr {
        Ipv4Addr::new(10, 199, self.subnet, 10 + i as u8)
    }

    /// The name of namespace `i`.
    pub fn namespace(&self, i: usize) -> &str {
        &self.namespaces[i]
    }

    /// Packets dropped so far in all namespaces, from the rules' counters.
    pub fn dropped_packets(&self) -> u64 {
        self.namespaces
            .iter()
            .filter_map(|ns| {
                Command::new("ip")
                    .args([
                        "netns", "exec", ns, "nft", "list", "table", "inet", "faults",
                    ])
                    .output()
                    .ok()
            })
            .map(|out| {
                let text = String::from_utf8_lossy(&out.stdout).into_owned();
                let words: Vec<&str> = text.split_whitespace().collect();
                words
                    .windows(2)
                    .filter(|w| w[0] == "packets")
                    .filter_map(|w| w[1].parse::<u64>().ok())
                    .sum::<u64>()
            })
            .sum()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Deleting a namespace deletes its end of the veth pair, and with it ours.
        for namespace in &self.namespaces {
            let _ = run("ip", &["netns", "del", namespace]);
        }
        let _ = run("ip", &["link", "del", &self.bridge]);
    }
}
