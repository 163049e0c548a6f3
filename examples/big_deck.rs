//! Writes one deck of N notes (default 1,000,000) in five kinds by turn, to
//! measure `kioku check` on a huge file:
//!
//! ```sh
//! cargo run --release --example big_deck -- 1000000 > /tmp/big.toml
//! /usr/bin/time -f "%e s %M KB" target/release/kioku check /tmp/big.toml
//! ```

use std::io::Write;

fn main() -> std::io::Result<()> {
    let notes: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "[deck]\nid = \"big\"\ntitle = \"Big\"\nsource = \"Generated\"\n"
    )?;
    for i in 0..notes {
        writeln!(out, "[[card]]\nid = \"c{i}\"")?;
        match i % 5 {
            0 => writeln!(out, "q = \"Question number {i}?\"\na = \"Answer {i}\"")?,
            1 => writeln!(
                out,
                "q = \"Which is {i}?\"\na = \"Yes {i}\"\nchoices = [\"No {i}\", \"Maybe {i}\", \"Never {i}\"]"
            )?,
            2 => writeln!(
                out,
                "text = \"The {{{{c1::value}}}} of {i} is {{{{c2::{i}}}}}\""
            )?,
            3 => writeln!(out, "q = \"Is {i} even?\"\na = {}", i % 2 == 0)?,
            _ => writeln!(
                out,
                "q = \"Put {i} in order\"\nitems = [\"one\", \"two\", \"three\"]\ntags = [\"t{}\"]",
                i % 100
            )?,
        }
        writeln!(out)?;
    }
    out.flush()
}
