//! Tests of the query language: the parser's errors and round trip (with proptest over random
//! input), and evaluation over a small corpus in memory.

mod eval;
mod parse;
