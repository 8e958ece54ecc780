//! Calendar arithmetic for the protocol's dates: `DATE`'s and `NEWNEWS`'s `yyyymmddhhmmss`, and
//! the RFC 5322 dates of overviews. Always UTC; no clock is read here.

use cliqueclique_daemon::api::civil_date;

/// The weekday and month names of RFC 5322 dates.
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The day counted from 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds as `yyyymmddhhmmss` (the answer to `DATE`).
pub fn compact(unix: u64) -> String {
    let (year, month, day) = civil_date(unix);
    let secs = unix % 86_400;
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Unix seconds as an RFC 5322 date in UTC, such as `Thu, 01 Jan 1970 00:00:00 +0000`.
pub fn rfc5322(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let (year, month, day) = civil_date(unix);
    let secs = unix % 86_400;
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The unix seconds of `NEWGROUPS`/`NEWNEWS` arguments: a date `yyyymmdd` (or `yymmdd`, read as
/// the nearest year in RFC 3977's way: within the current century unless more than 50 years
/// ahead of `now`) and a time `hhmmss`, both UTC. `None` if either is malformed.
pub fn parse_date_time(date: &str, time: &str, now: u64) -> Option<u64> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(date) || !digits(time) || time.len() != 6 {
        return None;
    }
    let (year, rest) = match date.len() {
        8 => (date[..4].parse::<i64>().ok()?, &date[4..]),
        6 => {
            let (this_year, _, _) = civil_date(now);
            let century = this_year - this_year.rem_euclid(100);
            let yy = date[..2].parse::<i64>().ok()?;
            let mut year = century + yy;
            if year > this_year + 50 {
                year -= 100;
            }
            (year, &date[2..])
        }
        _ => return None,
    };
    let month: u32 = rest[..2].parse().ok()?;
    let day: u32 = rest[2..].parse().ok()?;
    let (h, m, s): (u64, u64, u64) = (
        time[..2].parse().ok()?,
        time[2..4].parse().ok()?,
        time[4..].parse().ok()?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    u64::try_from(days * 86_400)
        .ok()
        .map(|d| d + h * 3600 + m * 60 + s)
}
