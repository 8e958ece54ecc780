//! Bounded outbound queues: per session, and per address while it is being dialed.
//!
//! A queue is bounded in messages and in bytes. When a new message does not fit, the *oldest* messages
//! are dropped and counted: cliqueclique's protocol is state-based and resends whatever is not
//! acknowledged, so the newest state is the one worth keeping.
//! A single message larger than the byte bound still fits in an otherwise empty queue.
//!
//! Keepalive answers do not queue: a pending `Pong` is one flag, however many `Ping`s arrive.

use std::collections::VecDeque;
use std::sync::Mutex;

use bytes::Bytes;
use cliqueclique_doc::NodeId;
use tokio::sync::Notify;

/// One encoded session message waiting to be sent.
#[derive(Clone, Debug)]
pub(crate) struct Queued {
    /// The remote node a batch is addressed to; `None` for messages to the installation (lookups).
    pub(crate) to: Option<NodeId>,
    /// The encoded [`SessionMessage`](crate::SessionMessage).
    pub(crate) message: Bytes,
}

/// A queue bounded in messages and bytes that drops its oldest entries when full.
#[derive(Debug)]
pub(crate) struct Bounded {
    items: VecDeque<Queued>,
    bytes: usize,
    max_items: usize,
    max_bytes: usize,
}

impl Bounded {
    /// An empty queue; `max_items` is at least 1.
    pub(crate) fn new(max_items: usize, max_bytes: usize) -> Bounded {
        Bounded {
            items: VecDeque::new(),
            bytes: 0,
            max_items: max_items.max(1),
            max_bytes,
        }
    }

    /// Appends `item`, first dropping as many of the oldest items as needed; returns how many were dropped.
    pub(crate) fn push(&mut self, item: Queued) -> usize {
        let mut dropped = 0;
        while !self.items.is_empty()
            && (self.items.len() >= self.max_items
                || self.bytes + item.message.len() > self.max_bytes)
        {
            self.pop();
            dropped += 1;
        }
        self.bytes += item.message.len();
        self.items.push_back(item);
        dropped
    }

    /// Takes the oldest item.
    pub(crate) fn pop(&mut self) -> Option<Queued> {
        let item = self.items.pop_front()?;
        self.bytes -= item.message.len();
        Some(item)
    }

    /// Takes every item, oldest first.
    pub(crate) fn drain(&mut self) -> Vec<Queued> {
        self.bytes = 0;
        self.items.drain(..).collect()
    }

    /// Whether every queued item is a lookup (a message to the installation, not to a node).
    pub(crate) fn only_lookups(&self) -> bool {
        self.items.iter().all(|item| item.to.is_none())
    }

    /// The number of queued items.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The bound on the number of items.
    pub(crate) fn max_items(&self) -> usize {
        self.max_items
    }
}

/// A session's outbound queue, shared by the manager (which pushes) and the session's writer (which pops).
#[derive(Debug)]
pub(crate) struct OutQueue {
    inner: Mutex<Inner>,
    notify: Notify,
}

#[derive(Debug)]
struct Inner {
    queue: Bounded,
    pong_due: bool,
}

impl OutQueue {
    /// An empty queue with the given bounds.
    pub(crate) fn new(max_items: usize, max_bytes: usize) -> OutQueue {
        OutQueue {
            inner: Mutex::new(Inner {
                queue: Bounded::new(max_items, max_bytes),
                pong_due: false,
            }),
            notify: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The lock is never held across an await or a panic-prone call, so poisoning cannot happen;
        // recover anyway rather than propagate a panic.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends a message (dropping the oldest when full) and wakes the writer; returns how many were dropped.
    pub(crate) fn push(&self, item: Queued) -> usize {
        let dropped = self.lock().queue.push(item);
        self.notify.notify_one();
        dropped
    }

    /// Asks the writer to send one `Pong`.
    pub(crate) fn push_pong(&self) {
        self.lock().pong_due = true;
        self.notify.notify_one();
    }

    /// Whether a `Pong` is due; clears the flag.
    pub(crate) fn take_pong(&self) -> bool {
        std::mem::take(&mut self.lock().pong_due)
    }

    /// Takes the oldest message.
    pub(crate) fn pop(&self) -> Option<Queued> {
        self.lock().queue.pop()
    }

    /// Takes every queued message, oldest first.
    pub(crate) fn drain(&self) -> Vec<Queued> {
        self.lock().queue.drain()
    }

    /// The number of queued messages, and its bound.
    pub(crate) fn len_and_max(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.queue.len(), inner.queue.max_items())
    }

    /// Waits until something was pushed since the last wait (a push before the wait counts).
    pub(crate) async fn wait(&self) {
        self.notify.notified().await;
    }
}
