//! The monthly analysis report (经营分析报告, SPEC §13.4) as its seven parts
//! of typed blocks — paragraphs and tables — which the report screen draws,
//! and which are written as a Word document (`.docx`, what the offices
//! circulate) or an XLSX workbook.
//!
//! Both files are written to a temporary file in the target's folder and
//! renamed over the target only when complete (the XLSX through
//! [`TableFile`], the DOCX here), private to their owner on Unix.

use std::io::{Seek, Write};
use std::path::Path;

use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Style, StyleType, Table, TableCell, TableRow, WidthType};

use super::table::{Cell, FileFormat, RowStyle, TableError, TableFile};
use crate::db::analysis_report::{CustomerRow, QuarterFigures, Report, ReportFigures, WrittenTexts};
use crate::domain::analysis_report::{ReportPart, ReportStatus, WrittenPart};
use crate::domain::money::Money;
use crate::domain::revenue::{change, percent, share};
use crate::i18n::{Lang, choice_label, fill, tier_label};

/// One piece of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Label and value lines (the headline figures).
    Fields(Vec<(String, Cell)>),
    Table {
        headings: Vec<String>,
        rows: Vec<Vec<Cell>>,
        total: Option<Vec<Cell>>,
    },
    /// A subtitle over what follows.
    Caption(String),
    /// People's text, or a line of kam's; `written` marks the people's.
    Text {
        text: String,
        written: Option<WrittenPart>,
    },
}

/// A part of the report: its heading and blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartBlocks {
    pub part: ReportPart,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A cell as the documents and the screen read it: amounts in yuan with
/// separators, ratios as percentages, nothing as "—".
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => "—".to_string(),
        Cell::Text(t) => t.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Money(m) => m.format_yuan(),
        Cell::Ratio(r) => percent(*r),
        Cell::Percent(r) => crate::domain::period::percent2(*r),
        Cell::Date(d) => d.to_string(),
    }
}

fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money(amounts.map(|a| a.yuan()).sum())
}

/// The report's title line: kind, unit and month.
pub fn title(lang: Lang, report: &Report, unit_name: &str) -> String {
    let t = lang.text();
    let kind = match report.key.kind {
        crate::domain::analysis_report::ReportKind::Monthly => t.ar_title,
        crate::domain::analysis_report::ReportKind::Quarterly => t.ar_title_quarterly,
    };
    format!("{unit_name} {} {kind}", period_name(lang, report))
}

/// What the report covers: its month, or for a quarterly one its quarter
/// (`2026年第3季度`, `Q3 2026`).
pub fn period_name(lang: Lang, report: &Report) -> String {
    match report.key.kind {
        crate::domain::analysis_report::ReportKind::Monthly => report.key.month.to_string(),
        crate::domain::analysis_report::ReportKind::Quarterly => quarter_name(lang, report.key.month),
    }
}

/// The quarter holding `month`, in words.
pub fn quarter_name(lang: Lang, month: crate::domain::revenue::Month) -> String {
    let (year, quarter) = (month.year(), (month.month() - 1) / 3 + 1);
    match lang {
        Lang::Zh => fill(lang.text().ar_quarter_name, &[&year, &quarter]),
        Lang::En => fill(lang.text().ar_quarter_name, &[&quarter, &year]),
    }
}

pub fn status_text(lang: Lang, status: ReportStatus) -> &'static str {
    let t = lang.text();
    match status {
        ReportStatus::Draft => t.ar_status_draft,
        ReportStatus::Submitted => t.ar_status_submitted,
    }
}

/// Who saved or submitted the report last, and when, in words.
pub fn stamp_text(lang: Lang, report: &Report) -> Option<String> {
    let t = lang.text();
    let s = report.stored.as_ref()?;
    Some(match (s.status, &s.submitted_by, s.submitted_at) {
        (ReportStatus::Submitted, Some(by), Some(at)) => fill(t.ar_submitted_by, &[by, &at.format("%Y-%m-%d %H:%M")]),
        _ => fill(t.ar_saved_by, &[&s.updated_by, &s.updated_at.format("%Y-%m-%d %H:%M")]),
    })
}

/// The seven parts, in order, with the figures and `texts` (the report's own,
/// or those being edited on the screen).
pub fn parts(lang: Lang, report: &Report, texts: &WrittenTexts) -> Vec<PartBlocks> {
    let t = lang.text();
    let f = &report.figures;
    let written = |part: WrittenPart| Block::Text { text: texts.get(part).to_string(), written: Some(part) };
    let has_last_year = f.headline.has_last_year;
    let mut overall = match &f.quarter {
        Some(q) => {
            let name = quarter_name(lang, report.key.month);
            let mut blocks = quarter_blocks(lang, f, q, &name);
            blocks.push(Block::Caption(fill(t.ar_quarter_last_month, &[&report.key.month])));
            blocks.extend(overall_blocks(lang, f).into_iter().skip(1));
            blocks
        }
        None => overall_blocks(lang, f),
    };
    overall.push(Block::Caption(t.ar_reasons.to_string()));
    overall.push(written(WrittenPart::Reasons));
    let plan: [(ReportPart, Vec<Block>); 7] = [
        (ReportPart::Overall, overall),
        (ReportPart::Tiers, vec![tier_table(lang, f)]),
        (ReportPart::Competition, vec![written(WrittenPart::Competition)]),
        (ReportPart::Fluctuations, vec![fluctuation_table(lang, f)]),
        // The key customers' table (silver and above, or the top ten) and the topic.
        (
            ReportPart::KeyCustomers,
            vec![customer_table(lang, &f.key_table, true, has_last_year), written(WrittenPart::KeyCustomers)],
        ),
        (ReportPart::Measures, vec![written(WrittenPart::Measures)]),
        (ReportPart::Plan, vec![written(WrittenPart::Plan)]),
    ];
    plan.into_iter()
        .map(|(part, blocks)| {
            let title = match part {
                ReportPart::Overall if f.quarter.is_some() => t.ar_part_overall_quarter,
                _ => crate::ui::part_title(lang, part),
            };
            PartBlocks { part, title: title.to_string(), blocks }
        })
        .collect()
}

/// Headings in the user's language.
fn titles(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Part 1's figures: the headline, statuses, customers gained and lost.
fn overall_blocks(lang: Lang, f: &ReportFigures) -> Vec<Block> {
    let t = lang.text();
    let h = f.headline.headline();
    let statuses: Vec<String> =
        f.status_counts().map(|(s, n)| format!("{} {n}", lang.pick(choice_label(s.code())))).collect();
    vec![
        Block::Fields(vec![
            (t.report_customers.to_string(), Cell::Count(f.customers as u64)),
            (t.report_total_revenue.to_string(), Cell::Money(h.month)),
            (t.report_col_previous.to_string(), Cell::Money(h.previous_month)),
            (t.report_mom.to_string(), Cell::ratio(h.month_on_month())),
            (t.report_col_year_ago.to_string(), Cell::Money(h.same_month_last_year)),
            (t.report_yoy.to_string(), Cell::ratio(h.year_on_year())),
            (t.report_ytd.to_string(), Cell::Money(h.year_to_date)),
            (t.report_ytd_yoy.to_string(), Cell::ratio(h.year_to_date_on_year())),
            (t.report_unit_revenue.to_string(), Cell::money(h.unit_month)),
            (t.report_share_of_unit.to_string(), Cell::ratio(h.share_of_unit())),
            (t.ar_statuses.to_string(), Cell::Text(statuses.join(" "))),
        ]),
        Block::Caption(fill(t.ar_gained_lost, &[&f.gained.len(), &f.lost.len()])),
        Block::Caption(t.ar_gained.to_string()),
        customer_table(lang, &f.gained, false, h.has_last_year),
        Block::Caption(t.ar_lost.to_string()),
        customer_table(lang, &f.lost, false, h.has_last_year),
    ]
}

/// A quarterly report's part 1: the quarter against the quarter before and
/// the same quarter last year, like for like, the share of the unit, and the
/// diamond and gold customers.
fn quarter_blocks(lang: Lang, f: &ReportFigures, q: &QuarterFigures, name: &str) -> Vec<Block> {
    let t = lang.text();
    let h = f.headline.headline();
    let mut fields = vec![
        (t.report_customers.to_string(), Cell::Count(q.customers)),
        (t.ar_quarter_revenue.to_string(), Cell::Money(q.current)),
        (t.ar_quarter_previous.to_string(), Cell::Money(h.previous_month)),
        (t.report_mom.to_string(), Cell::ratio(change(q.current, h.previous_month))),
        (t.ar_quarter_year_ago.to_string(), Cell::Money(q.last_year)),
        (t.report_col_change.to_string(), Cell::Money(Money(q.current.yuan() - q.last_year.yuan()))),
        (t.report_yoy.to_string(), Cell::ratio(change(q.current, q.last_year))),
        (t.ar_quarter_like_customers.to_string(), Cell::Count(q.compared_customers)),
        (t.ar_quarter_like_current.to_string(), Cell::Money(q.compared_current)),
        (t.ar_quarter_like_year_ago.to_string(), Cell::Money(q.compared_last_year)),
        (t.report_yoy.to_string(), Cell::ratio(change(q.compared_current, q.compared_last_year))),
        (t.ar_quarter_unit_revenue.to_string(), Cell::money(q.unit)),
        (t.report_share_of_unit.to_string(), Cell::percent(q.share())),
    ];
    let statuses: Vec<String> =
        f.status_counts().map(|(s, n)| format!("{} {n}", lang.pick(choice_label(s.code())))).collect();
    fields.push((t.ar_statuses.to_string(), Cell::Text(statuses.join(" "))));
    if q.cut_customers > 0 {
        fields.push((String::new(), Cell::Text(fill(t.report_cut_customers, &[&q.cut_customers]))));
    }
    vec![
        Block::Caption(fill(t.ar_quarter_overall, &[&name])),
        Block::Fields(fields),
        Block::Caption(fill(t.ar_quarter_diamond_gold, &[&name, &q.diamond_gold.len()])),
        quarter_table(lang, q),
    ]
}

/// The diamond and gold customers: this quarter, the same quarter last
/// year, the change, and the share of the unit's quarter.
fn quarter_table(lang: Lang, q: &QuarterFigures) -> Block {
    let t = lang.text();
    if q.diamond_gold.is_empty() {
        return Block::Text { text: t.analysis_none.to_string(), written: None };
    }
    let headings = titles(&[
        t.report_col_rank,
        t.col_id,
        t.col_short_name,
        t.report_col_tier,
        t.col_status,
        t.report_col_manager,
        t.ar_col_quarter,
        t.ar_col_quarter_year_ago,
        t.report_col_change,
        t.report_col_change_pct,
        t.report_col_share_unit,
    ]);
    let rows = q
        .diamond_gold
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let both = c.current.zip(c.last_year);
            vec![
                Cell::Count(i as u64 + 1),
                Cell::text(c.id.as_str()),
                Cell::text(c.short_name.as_str()),
                Cell::text(lang.pick(tier_label(c.tier))),
                Cell::text(lang.pick(choice_label(c.status.code()))),
                Cell::text(c.manager.as_str()),
                Cell::money(c.current),
                Cell::money(c.last_year),
                Cell::money(both.map(|(a, b)| Money(a.yuan() - b.yuan()))),
                Cell::ratio(both.and_then(|(a, b)| change(a, b))),
                Cell::percent(c.current.and_then(|c| share(c, q.unit))),
            ]
        })
        .collect();
    let total = vec![
        Cell::Empty,
        Cell::Empty,
        Cell::text(t.report_total),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Money(sum(q.diamond_gold.iter().filter_map(|c| c.current))),
        Cell::Money(sum(q.diamond_gold.iter().filter_map(|c| c.last_year))),
        Cell::Empty,
        Cell::Empty,
        Cell::percent(share(sum(q.diamond_gold.iter().filter_map(|c| c.current)), q.unit)),
    ];
    Block::Table { headings, rows, total: Some(total) }
}

/// A year-on-year change, when there is a last year to compare with.
fn year_on_year(has_last_year: bool, month: Money, year_ago: Money) -> Option<rust_decimal::Decimal> {
    if has_last_year { change(month, year_ago) } else { None }
}

/// Customers with their month, previous month and year ago (and year to date).
fn customer_table(lang: Lang, rows: &[CustomerRow], with_ytd: bool, has_last_year: bool) -> Block {
    let t = lang.text();
    if rows.is_empty() {
        return Block::Text { text: t.analysis_none.to_string(), written: None };
    }
    let mut headings = titles(&[
        t.report_col_rank,
        t.col_id,
        t.col_short_name,
        t.report_col_tier,
        t.report_col_manager,
        t.report_col_month,
        t.report_col_previous,
        t.report_mom,
        t.report_col_year_ago,
        t.report_yoy,
    ]);
    if with_ytd {
        headings.push(t.report_ytd.to_string());
    }
    let body = rows
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![
                Cell::Count(i as u64 + 1),
                Cell::text(c.id.as_str()),
                Cell::text(c.short_name.as_str()),
                Cell::text(lang.pick(tier_label(c.tier))),
                Cell::text(c.manager.as_str()),
                Cell::Money(c.month),
                Cell::Money(c.previous),
                Cell::ratio(change(c.month, c.previous)),
                Cell::Money(c.year_ago),
                Cell::ratio(year_on_year(has_last_year, c.month, c.year_ago)),
            ];
            if with_ytd {
                row.push(Cell::money(c.year_to_date));
            }
            row
        })
        .collect();
    Block::Table { headings, rows: body, total: None }
}

/// Part 2: customers and revenue by tier, with a total row.
fn tier_table(lang: Lang, f: &ReportFigures) -> Block {
    let t = lang.text();
    let has_last_year = f.headline.has_last_year;
    let month_total = sum(f.by_tier.iter().map(|r| r.month));
    let tier_row = |label: String, customers: u64, m: Money, p: Money, y: Money| {
        vec![
            Cell::Text(label),
            Cell::Count(customers),
            Cell::Money(m),
            Cell::Money(p),
            Cell::ratio(change(m, p)),
            Cell::Money(y),
            Cell::ratio(year_on_year(has_last_year, m, y)),
            Cell::ratio(share(m, Some(month_total))),
        ]
    };
    let rows = f
        .by_tier
        .iter()
        .map(|r| {
            tier_row(lang.pick(tier_label(r.tier)).to_string(), r.customers as u64, r.month, r.previous, r.year_ago)
        })
        .collect();
    let total = tier_row(
        t.report_total.to_string(),
        f.by_tier.iter().map(|r| r.customers as u64).sum(),
        month_total,
        sum(f.by_tier.iter().map(|r| r.previous)),
        sum(f.by_tier.iter().map(|r| r.year_ago)),
    );
    let headings = titles(&[
        t.report_col_tier,
        t.report_col_count,
        t.report_col_month,
        t.report_col_previous,
        t.report_mom,
        t.report_col_year_ago,
        t.report_yoy,
        t.report_col_share,
    ]);
    Block::Table { headings, rows, total: Some(total) }
}

/// Part 4: every move beyond 30%, with the account manager's explanation.
fn fluctuation_table(lang: Lang, f: &ReportFigures) -> Block {
    let t = lang.text();
    if f.fluctuations.is_empty() {
        return Block::Text { text: t.analysis_no_fluctuations.to_string(), written: None };
    }
    // On the bureau's measure: pieces when it is volume.
    let on_pieces = f.fluctuations.iter().any(|x| x.pieces.is_some());
    let (month, previous) = if on_pieces {
        (t.volume_report_col_pieces, t.volume_report_col_pieces_previous)
    } else {
        (t.report_col_month, t.report_col_previous)
    };
    let headings = titles(&[
        t.col_id,
        t.col_short_name,
        t.report_col_manager,
        month,
        previous,
        t.analysis_col_change,
        t.ar_explanation,
    ]);
    let rows = f
        .fluctuations
        .iter()
        .map(|x| {
            let reason = match (&x.explanation, &x.explained_by) {
                (Some(e), Some(by)) if !by.is_empty() => format!("{e}({by})"),
                (Some(e), _) => e.clone(),
                (None, _) => t.ar_not_explained.to_string(),
            };
            vec![
                Cell::text(x.customer.id.as_str()),
                Cell::text(x.customer.short_name.as_str()),
                Cell::text(x.customer.manager.as_str()),
                x.pieces.map_or(Cell::Money(x.customer.month), |(now, _)| Cell::Count(now)),
                x.pieces.map_or(Cell::Money(x.customer.previous), |(_, before)| Cell::Count(before)),
                Cell::Ratio(x.change),
                Cell::Text(reason),
            ]
        })
        .collect();
    Block::Table { headings, rows, total: None }
}

/// What the report file is written for: the report and its unit's name.
pub struct ReportDocument<'a> {
    pub lang: Lang,
    pub report: &'a Report,
    pub unit_name: &'a str,
    /// The deadline, when one applies.
    pub deadline: Option<chrono::NaiveDate>,
}

impl ReportDocument<'_> {
    /// The lines under the title: unit, month, status (with who and when), deadline, where the figures come from.
    fn header(&self) -> Vec<(String, String)> {
        let t = self.lang.text();
        let r = self.report;
        let mut status = status_text(self.lang, r.status()).to_string();
        if let Some(stamp) = stamp_text(self.lang, r) {
            status = format!("{status}({stamp})");
        }
        let mut lines = vec![
            (t.report_unit.to_string(), self.unit_name.to_string()),
            (t.report_month.to_string(), period_name(self.lang, r)),
            (t.ar_status.to_string(), status),
        ];
        if let Some(d) = self.deadline {
            lines.push((String::new(), fill(t.ar_deadline, &[&d])));
        }
        let source = if r.frozen() { t.ar_figures_frozen } else { t.ar_figures_live };
        lines.push((String::new(), source.to_string()));
        lines
    }

    /// Writes the report as `format` (Word or XLSX) to `path`, atomically.
    pub fn write(&self, path: &Path, format: ReportFormat) -> Result<(), TableError> {
        match format {
            ReportFormat::Xlsx => self.write_xlsx(path),
            ReportFormat::Docx => self.write_docx(path),
        }
    }

    fn write_xlsx(&self, path: &Path) -> Result<(), TableError> {
        let t = self.lang.text();
        let mut file = TableFile::create(path, FileFormat::Xlsx)?;
        file.section(t.ar_title)?;
        file.row(RowStyle::Title, &[Cell::text(title(self.lang, self.report, self.unit_name))])?;
        for (label, value) in self.header() {
            file.row(RowStyle::Field, &[Cell::Text(label), Cell::Text(value)])?;
        }
        for part in parts(self.lang, self.report, &self.report.texts()) {
            file.blank()?;
            file.row(RowStyle::Title, &[Cell::Text(part.title)])?;
            for block in part.blocks {
                match block {
                    Block::Fields(fields) => {
                        for (label, value) in fields {
                            file.row(RowStyle::Field, &[Cell::Text(label), value])?;
                        }
                    }
                    Block::Caption(text) => file.row(RowStyle::Field, &[Cell::Text(text)])?,
                    Block::Text { text, written } => {
                        let text =
                            if written.is_some() && text.is_empty() { t.ar_not_written.to_string() } else { text };
                        for line in text.split('\n') {
                            file.row(RowStyle::Field, &[Cell::text(line)])?;
                        }
                    }
                    Block::Table { headings, rows, total } => {
                        let headings: Vec<&str> = headings.iter().map(String::as_str).collect();
                        file.headings(&headings)?;
                        for row in rows {
                            file.row(RowStyle::Body, &row)?;
                        }
                        if let Some(total) = total {
                            file.row(RowStyle::Total, &total)?;
                        }
                    }
                }
            }
        }
        file.finish()
    }

    fn write_docx(&self, path: &Path) -> Result<(), TableError> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new().prefix(".kam-report-").suffix(".docx.tmp").tempfile_in(dir)?;
        self.docx().pack(&mut *tmp.as_file_mut()).map_err(|e| TableError::Io(std::io::Error::other(e)))?;
        let file = tmp.as_file_mut();
        file.flush()?;
        file.rewind()?;
        file.sync_all()?;
        tmp.persist(path).map_err(|e| TableError::Io(e.error))?;
        Ok(())
    }

    /// The Word document: a title, the header lines, and the seven parts as
    /// Heading 1 with their tables and paragraphs.
    pub fn docx(&self) -> Docx {
        let t = self.lang.text();
        // Word's built-in style ids, defined here so that the headings read as
        // headings (navigation pane, table of contents) in any Word.
        let fonts = RunFonts::new().east_asia("SimSun").ascii("Calibri").hi_ansi("Calibri");
        let mut doc = Docx::new()
            .default_fonts(fonts)
            .default_size(21)
            .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(36).bold())
            .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1").size(28).bold().outline_lvl(0))
            .add_style(Style::new("Heading2", StyleType::Paragraph).name("heading 2").size(22).bold().outline_lvl(1));
        let text = |s: &str| Paragraph::new().add_run(Run::new().add_text(s));
        doc = doc.add_paragraph(
            Paragraph::new().style("Title").align(AlignmentType::Center).add_run(Run::new().add_text(title(
                self.lang,
                self.report,
                self.unit_name,
            ))),
        );
        for (label, value) in self.header() {
            let line = if label.is_empty() { value } else { format!("{label}:{value}") };
            doc = doc.add_paragraph(text(&line));
        }
        for part in parts(self.lang, self.report, &self.report.texts()) {
            doc = doc.add_paragraph(Paragraph::new().style("Heading1").add_run(Run::new().add_text(&part.title)));
            for block in part.blocks {
                doc = match block {
                    Block::Fields(fields) => {
                        let rows = fields
                            .iter()
                            .map(|(label, value)| {
                                TableRow::new(vec![cell(label, false), cell(&cell_text(value), false)])
                            })
                            .collect();
                        doc.add_table(Table::new(rows).width(9000, WidthType::Dxa))
                    }
                    Block::Caption(caption) => {
                        doc.add_paragraph(Paragraph::new().style("Heading2").add_run(Run::new().add_text(caption)))
                    }
                    Block::Text { text: body, written } => {
                        let body =
                            if written.is_some() && body.is_empty() { t.ar_not_written.to_string() } else { body };
                        body.split('\n').fold(doc, |d, line| d.add_paragraph(text(line)))
                    }
                    Block::Table { headings, rows, total } => {
                        let mut table_rows = vec![TableRow::new(headings.iter().map(|h| cell(h, true)).collect())];
                        for row in rows.iter().chain(total.iter()) {
                            table_rows.push(TableRow::new(row.iter().map(|c| cell(&cell_text(c), false)).collect()));
                        }
                        doc.add_table(Table::new(table_rows))
                    }
                };
            }
        }
        doc
    }
}

fn cell(text: &str, bold: bool) -> TableCell {
    let run = Run::new().add_text(text);
    let run = if bold { run.bold() } else { run };
    TableCell::new().add_paragraph(Paragraph::new().add_run(run))
}

/// The report file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Docx,
    Xlsx,
}
