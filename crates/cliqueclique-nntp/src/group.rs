//! Newsgroup names and wildmats (RFC 3977 §4), the patterns `LIST`, `NEWNEWS` and newsreaders
//! use to pick groups. How a forum is named (its directory name, else `cc.` and a prefix of its
//! root id, unless renamed locally) is the daemon's, which keeps the names: [`group_name`].

pub use cliqueclique_daemon::handle::{group_name, valid_group_name};

/// Whether `text` matches the wildmat `pattern`: comma-separated patterns of `*`, `?` and
/// literal characters, where a pattern starting with `!` excludes; the last pattern that
/// matches decides.
pub fn wildmat(pattern: &str, text: &str) -> bool {
    let mut matched = false;
    for part in pattern.split(',') {
        let (negated, part) = match part.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, part),
        };
        if glob(part.as_bytes(), text.as_bytes()) {
            matched = !negated;
        }
    }
    matched
}

/// `*` and `?` globbing without backtracking blow-up (one remembered star).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}
