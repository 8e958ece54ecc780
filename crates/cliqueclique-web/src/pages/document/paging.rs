//! Long threads in pages: a thread page shows at most [`PAGE_ROWS`] comments, cut only between
//! whole answers to the thread's top (a sub-thread is never split, so every page is a
//! well-formed tree), with links to the pages before and after.

use super::Row;
use std::ops::Range;

/// The most comments one page shows (a single answer with more replies is shown whole).
pub const PAGE_ROWS: usize = 300;

/// The rows of each page, in order; one empty page for a thread without comments.
pub fn pages(rows: &[Row], per_page: usize) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut level = 0usize;
    for (i, row) in rows.iter().enumerate() {
        // A row at level 0 starts an answer to the top: a page may end before it.
        if level == 0 && i > start && i - start >= per_page {
            pages.push(start..i);
            start = i;
        }
        if row.opens {
            level += 1;
        }
        level = level.saturating_sub(row.closes);
    }
    pages.push(start..rows.len());
    pages
}

/// The page (from 0) that shows row `index`.
pub fn page_of(pages: &[Range<usize>], index: usize) -> usize {
    pages.iter().position(|p| p.contains(&index)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row that opens a nested list, or closes `closes` of them.
    fn row(opens: bool, closes: usize) -> Row {
        Row {
            id: String::new(),
            subject: String::new(),
            author: String::new(),
            hidden: false,
            hidden_note: String::new(),
            hidden_by_moderator: false,
            author_id: None,
            tools: None,
            date: String::new(),
            body: String::new(),
            unread: false,
            first_new: false,
            newest: false,
            linked: false,
            retracted: false,
            edited: false,
            opens,
            closes,
        }
    }

    #[test]
    fn pages_are_cut_between_whole_answers_only() {
        // Three answers: one alone, one with two nested replies, one alone.
        let rows = vec![
            row(false, 0),
            row(true, 0),
            row(true, 0),
            row(false, 2),
            row(false, 0),
        ];
        assert_eq!(pages(&rows, 100), vec![0..5]);
        assert_eq!(pages(&rows, 1), vec![0..1, 1..4, 4..5]);
        assert_eq!(pages(&rows, 2), vec![0..4, 4..5]);
        assert_eq!(pages(&[], 10), vec![0..0]);
        let split = pages(&rows, 1);
        assert_eq!(page_of(&split, 3), 1);
        assert_eq!(page_of(&split, 4), 2);
    }
}
