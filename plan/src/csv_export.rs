//! Exporting a plan as CSV that Excel opens in English and Japanese settings, and that imports back.

use crate::csv_import::Column;
use crate::planner::{Plan, PlanRow};

/// Columns after the input ones: the plan's results (ignored when the file is imported back).
/// `planned_path` is the path planned; the input column `path` keeps the requested one.
const RESULT_COLUMNS: [&str; 14] = [
    "stage",
    "planned_path",
    "provision_on",
    "invite_by",
    "schedule_by",
    "request_transfer_by",
    "auto_renew_off_by",
    "reassign_by",
    "overlap_days",
    "overlap_cost",
    "cancel_today_cost",
    "access_lost_on",
    "data_deleted_on",
    "warnings",
];

/// The plan as CSV: UTF-8 with BOM, CRLF, input columns then result columns.
/// `rows` are the rows the plan was made from, in the same order.
#[must_use]
pub fn export_csv(rows: &[PlanRow], plan: &Plan) -> String {
    let mut out = String::with_capacity(64 + rows.len() * 200);
    out.push('\u{feff}');
    let header = Column::ALL.iter().map(|c| c.name()).chain(RESULT_COLUMNS);
    write_record(&mut out, header);
    let opt = |d: Option<String>| d.unwrap_or_default();
    for (row, s) in rows.iter().zip(&plan.subscriptions) {
        let warnings: Vec<&str> = s.warnings.iter().map(|w| w.code()).collect();
        let cells = [
            s.customer.to_string(),
            s.domain.to_string(),
            s.offer.to_string(),
            s.seats.to_string(),
            s.end_date.to_string(),
            row.channel.code().to_owned(),
            row.auto_renew.to_string(),
            opt(row.monthly_price.map(|p| p.to_string())),
            opt(row.currency.clone()),
            opt(row.target_offer.as_ref().map(|t| t.trim().to_owned())),
            row.relationship.code().to_owned(),
            row.path.code().to_owned(),
            s.stage.code().to_owned(),
            s.path.code().to_owned(),
            s.provision_on.to_string(),
            s.invite_by.to_string(),
            opt(s.schedule_by.map(|d| d.to_string())),
            opt(s.request_transfer_by.map(|d| d.to_string())),
            opt(s.auto_renew_off_by.map(|d| d.to_string())),
            opt(s.reassign_by.map(|d| d.to_string())),
            s.overlap_days.to_string(),
            opt(s.overlap_cost.map(|m| m.to_string())),
            opt(s.cancel_today_cost.map(|m| m.to_string())),
            s.access_lost_on.to_string(),
            s.data_deleted_on.to_string(),
            warnings.join(" "),
        ];
        write_record(&mut out, cells.iter().map(String::as_str));
    }
    out
}

pub(crate) fn write_record<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_cell(out, cell);
    }
    out.push_str("\r\n");
}

/// Cells a spreadsheet would run as a formula: they get a leading `'`. Apostrophes already in
/// front count too, so that import (which drops one) gives back the original.
#[must_use]
pub fn needs_formula_guard(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// One cell, guarded against formulas; quoted when it holds a comma, quote, line break, tab or
/// edge spaces.
fn write_cell(out: &mut String, cell: &str) {
    let guard = needs_formula_guard(cell);
    let quote =
        cell.contains([',', '"', '\r', '\n', '\t']) || cell.starts_with(' ') || cell.ends_with(' ');
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_import::import_csv;
    use crate::date::Date;
    use crate::planner::plan;
    use crate::settings::Settings;

    const INPUT: &str = "customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship\n\
        \"Contoso, Ltd\",contoso.example,\"Microsoft 365 \"\"Standard\"\"\",25,2027-03-31,direct,true,12.5,USD,,invited\n\
        =HYPERLINK(\"x\"),evil.example,+cmd,5,2027-01-15,open,false,4.0001,USD,-Basic,none\n\
        株式会社ファブリカム,fabrikam.example,@E3,120,2027-05-12,ea,false,,,,accepted\n";

    fn today() -> Date {
        Date::parse("2026-11-24").unwrap()
    }

    #[test]
    fn starts_with_bom_and_uses_crlf() {
        let rows = import_csv(INPUT.as_bytes()).unwrap();
        let csv = export_csv(&rows, &plan(&rows, today(), &Settings::default()));
        assert!(csv.starts_with("\u{feff}customer,domain,offer,seats,end_date,"));
        assert!(csv.ends_with("\r\n"));
        assert_eq!(csv.matches("\r\n").count(), 4);
        assert_eq!(csv.matches('\n').count(), 4);
    }

    #[test]
    fn formulas_are_neutralised() {
        let rows = import_csv(INPUT.as_bytes()).unwrap();
        let csv = export_csv(&rows, &plan(&rows, today(), &Settings::default()));
        assert!(
            csv.contains("\r\n\"'=HYPERLINK(\"\"x\"\")\",evil.example,'+cmd,5,"),
            "{csv}"
        );
        assert!(csv.contains(",'-Basic,"));
        assert!(csv.contains(",'@E3,"));
        for line in csv.lines().skip(1) {
            for cell in line.split(',') {
                let c = cell.trim_start_matches('"');
                assert!(!c.starts_with(['=', '+', '-', '@']), "{cell} in {line}");
            }
        }
    }

    #[test]
    fn imports_back_unchanged() {
        let rows = import_csv(INPUT.as_bytes()).unwrap();
        let first = plan(&rows, today(), &Settings::default());
        let csv = export_csv(&rows, &first);
        let again = import_csv(csv.as_bytes()).unwrap();
        assert_eq!(again, rows);
        assert_eq!(plan(&again, today(), &Settings::default()), first);
        assert_eq!(export_csv(&again, &first), csv);
    }

    #[test]
    fn cells_with_edge_spaces_tabs_and_newlines_are_quoted() {
        let mut s = String::new();
        write_cell(&mut s, "\tx");
        assert_eq!(s, "\"'\tx\"");
        let mut s = String::new();
        write_cell(&mut s, "a\nb");
        assert_eq!(s, "\"a\nb\"");
        let mut s = String::new();
        write_cell(&mut s, " a");
        assert_eq!(s, "\" a\"");
    }
}
