//! Turning due work into batches: one batch per peer per step, split only when too large.
//!
//! The founding design's sender loop ("while serial != serialcopy: send (local, serial); wait time;
//! time *= 2") becomes one timer per unacknowledged link, with the interval doubling from
//! `resend_initial` up to `resend_max`. A body travels only when the peer is believed to lack it;
//! resends carry no body, and a peer that still lacks it asks with `NeedBody`.

use super::Node;
use crate::message::{Advert, Batch, Part};
use crate::node::Transmit;
use crate::store::Store;
use crate::subscription::LinkState;
use crate::time::Time;
use cliqueclique_doc::NodeId;
use std::time::Duration;

/// Bytes counted for a part besides its body when splitting batches (ids, advert, framing).
const PART_OVERHEAD: usize = 192;

impl<S: Store> Node<S> {
    pub(super) fn flush(&mut self, now: Time) {
        let max_distance = self.config.max_distance;
        let initial = self.config.resend_initial.as_millis() as u64;
        let max = self.config.resend_max.as_millis() as u64;
        // Goodbyes that shed a link carry suggestions, picked once the loop is done.
        let mut dropping = Vec::new();
        for (doc, peer) in std::mem::take(&mut self.send_due) {
            if !self.peers.get(&peer).is_some_and(|p| p.up) {
                continue;
            }
            // A body about to leave takes its thread's claim along, and so does an offer without
            // the body on a link the neighbour has not acknowledged yet (§6.1).
            let sending = |body: bool| {
                self.subs.get(&doc).is_some_and(|s| {
                    s.has_body()
                        && s.links.get(&peer).is_some_and(|l| {
                            l.state == LinkState::Active
                                && l.acked != s.serial
                                && l.body_due == body
                                && (body || l.acked == 0)
                                && l.next_send.is_none_or(|t| t <= now)
                        })
                })
            };
            let body_going = sending(true);
            let offering = !body_going && sending(false);
            let claim = if body_going {
                self.claim_for(&doc, &peer)
            } else if offering {
                self.offer_claim_for(&doc, &peer)
            } else {
                None
            };
            let send_budget = self.send_budget(now, &peer);
            let Some(sub) = self.subs.get_mut(&doc) else {
                continue;
            };
            let serial = sub.serial;
            let center = sub.route.center;
            let is_center = sub.is_center();
            let has_body = sub.has_body();
            let advert = sub.advert_for(&peer);
            let route_dist = sub.route.dist;
            let Some(link) = sub.links.get_mut(&peer) else {
                continue;
            };
            let mut due = link.next_send.is_none_or(|t| t <= now);
            if due
                && link.state == LinkState::Active
                && link.acked != serial
                && link.body_due
                && has_body
                && let Err(until) = send_budget
            {
                // Beyond the neighbour's budget: the update waits for the next window (budget.rs).
                due = false;
                link.next_send = Some(until);
                self.timers.insert((until, doc, peer));
            }
            let mut parts = Vec::new();
            let mut resend = false;
            match link.state {
                LinkState::Leaving => {
                    if due {
                        parts.push(Part::Goodbye {
                            doc,
                            serial,
                            suggestions: Vec::new(),
                        });
                        resend = true;
                    }
                }
                LinkState::Dropping => {
                    if due {
                        dropping.push((doc, peer, serial));
                        resend = true;
                    }
                }
                LinkState::Active => {
                    if link.acked != serial && due {
                        let body = if link.body_due && has_body {
                            link.body_due = false;
                            link.body_sent = true;
                            self.store.document(&doc)
                        } else {
                            None
                        };
                        if body.is_some() {
                            self.stats.bodies_sent += 1;
                            if self.config.push_budget > 0 {
                                self.sent
                                    .entry(peer)
                                    .or_default()
                                    .take(now, self.config.push_window);
                            }
                        }
                        link.sent = serial;
                        let thread = if body.is_some() || offering {
                            claim
                        } else {
                            None
                        };
                        parts.push(Part::Update {
                            doc,
                            serial,
                            advert,
                            body,
                            thread,
                        });
                        resend = true;
                        // A center's heirs ride with its updates until acknowledged.
                        if is_center
                            && !sub.named_heirs.is_empty()
                            && link.heirs_acked != sub.named_heirs
                        {
                            let cards: Vec<_> = sub
                                .named_heirs
                                .iter()
                                .filter_map(|h| self.peers.get(h).and_then(|p| p.card.clone()))
                                .collect();
                            if !cards.is_empty() {
                                parts.push(Part::Heirs { doc, cards });
                                link.heirs_sent = Some((sub.named_heirs.clone(), serial));
                            }
                        }
                        // So do the deputies: up to the center, or down the tree (succession.rs).
                        let deputies = if sub.route.upstream == Some(peer) {
                            &sub.named_deputies.up
                        } else if is_center || link.is_downstream() {
                            &sub.named_deputies.down
                        } else {
                            &Vec::new()
                        };
                        if !deputies.is_empty() && link.deputies_acked != *deputies {
                            let cards: Vec<_> = deputies
                                .iter()
                                .filter_map(|d| self.peers.get(d).and_then(|p| p.card.clone()))
                                .collect();
                            if !cards.is_empty() {
                                parts.push(Part::Deputies { doc, cards });
                                link.deputies_sent = Some((deputies.clone(), serial));
                            }
                        }
                    }
                    if link.ack_owed {
                        link.ack_owed = false;
                        parts.push(Part::Ack {
                            doc,
                            serial: link.peer_serial,
                            has_body,
                        });
                    }
                    // A neighbour following our center without holding its card gets the card
                    // with every update and ack, until its advert says it holds it.
                    // So does a neighbour that cannot take our route because it would be longer
                    // than max_distance: with the card it links to the center directly.
                    let unanchored = link.advert.is_some_and(|a| {
                        (a.center == center && !a.has(Advert::ANCHORED))
                            || (a.center != center && route_dist >= max_distance)
                    });
                    let card = if center == self.id {
                        Some(&self.card)
                    } else {
                        self.peers.get(&center).and_then(|p| p.card.as_ref())
                    };
                    if let Some(card) = card.filter(|_| unanchored && center != peer)
                        && !parts.is_empty()
                    {
                        parts.push(Part::Center {
                            doc,
                            card: card.clone(),
                        });
                    }
                }
            }
            if resend {
                link.backoff_ms = if link.backoff_ms == 0 {
                    initial
                } else {
                    (link.backoff_ms * 2).min(max)
                };
                let next = now.after(Duration::from_millis(link.backoff_ms));
                link.next_send = Some(next);
                self.timers.insert((next, doc, peer));
            }
            self.outbox.entry(peer).or_default().extend(parts);
        }
        for (doc, peer, serial) in dropping {
            let suggestions = self.suggestions(doc, peer);
            self.outbox.entry(peer).or_default().push(Part::Goodbye {
                doc,
                serial,
                suggestions,
            });
        }
        for (peer, parts) in std::mem::take(&mut self.outbox) {
            self.emit(peer, parts);
        }
    }

    /// Wraps the parts for one peer into batches no larger than `max_batch_bytes`.
    fn emit(&mut self, peer: NodeId, mut parts: Vec<Part>) {
        if parts.is_empty() {
            return;
        }
        // A link document travels before the document it attaches: the receiver accepts the
        // attached document because of the link.
        let carries_link = |part: &Part| match part {
            Part::Update {
                doc, body: Some(_), ..
            } => self
                .subs
                .get(doc)
                .and_then(|s| s.meta)
                .is_some_and(|m| m.link_child.is_some()),
            _ => false,
        };
        parts.sort_by_key(|part| !carries_link(part));
        match self.peers.get_mut(&peer) {
            // Everything is state-based and resent when the session comes back.
            Some(entry) if !entry.up => return,
            Some(entry) => {
                if !entry.card_sent {
                    entry.card_sent = true;
                    parts.insert(
                        0,
                        Part::Card {
                            card: self.card.clone(),
                        },
                    );
                }
            }
            // The sender of the batch being handled is answered (a decline, a request for the
            // body) though it has no record (peers.rs).
            None if self.sender == Some(peer) => {}
            None => return,
        }
        let mut batch = Vec::new();
        let mut size = 0;
        for part in parts {
            let part_size = part.body_len() + PART_OVERHEAD;
            if !batch.is_empty() && size + part_size > self.config.max_batch_bytes {
                self.transmit(peer, std::mem::take(&mut batch));
                size = 0;
            }
            size += part_size;
            batch.push(part);
        }
        self.transmit(peer, batch);
    }

    fn transmit(&mut self, to: NodeId, parts: Vec<Part>) {
        self.stats.batches_sent += 1;
        self.stats.parts_sent += parts.len() as u64;
        self.transmits.push_back(Transmit {
            to,
            batch: Batch {
                from: self.id,
                to,
                parts,
            },
        });
    }
}
