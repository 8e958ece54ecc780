//! Tests of the directory: the tree over an in-memory view (`tree`), and publishers and
//! readers on the simulated network (`sim`). A failing simulator run names its seed.

mod memview;
mod sim;
mod tree;
